import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE_MIGRATIONS, Lease } from '@crescent/event-store';
import { AnchorFile, anchorSignatureValid, DISCLOSURE_LEDGER_MIGRATIONS, DisclosureEntry, DisclosureLedger } from '@crescent/ledger';
import { SqlClient } from '@crescent/sql';
import { heldLease, openTestDatabase } from '@crescent/test-support';
import { LedgerAnchor } from './ledger-anchor';

const KEY = { keyId: 'a1', secret: 'relay-anchor-test' };

const delivery = (n: number): DisclosureEntry => ({
  recipientAgencyId: 'bayou-haven-shelter',
  eventId: `event-${n}`,
  recordType: 'victim-referral',
  recordId: `referral-${n}`,
  policyId: 'shelter-referrals',
  policyVersion: 1,
  consentIds: [],
  disclosedFields: ['referralId'],
  withheldFields: ['victim.dateOfBirth'],
  kind: 'delivery',
  deliveredAt: '2026-11-29T12:00:00.000Z',
});

describe("the relay's anchoring of the ledger head", () => {
  let sql: SqlClient;
  let ledger: DisclosureLedger;
  let fence: Lease;
  let file: string;

  beforeEach(async () => {
    sql = await openTestDatabase('sqlite', [...EVENT_STORE_MIGRATIONS, ...DISCLOSURE_LEDGER_MIGRATIONS]);
    ledger = await DisclosureLedger.create(sql);
    fence = await heldLease(sql);
    // In a directory that does not exist yet: the anchor makes it.
    file = join(mkdtempSync(join(tmpdir(), 'crescent-anchor-')), 'state', 'ledger-anchors.jsonl');
  });

  afterEach(() => sql.close());

  it('appends a signed anchor whenever the head moved, and nothing while it stands still', async () => {
    const anchoring = new LedgerAnchor(ledger, { key: KEY, file, intervalMs: 1000 });
    expect(await anchoring.anchorHead()).toBeUndefined();

    await ledger.record([delivery(1), delivery(2)], fence);
    const first = await anchoring.anchorHead(new Date('2026-11-29T12:01:00.000Z'));
    expect(first).toMatchObject({ sequence: 2, anchoredAt: '2026-11-29T12:01:00.000Z', keyId: 'a1' });
    expect(await anchoring.anchorHead()).toBeUndefined();

    await ledger.record([delivery(3)], fence);
    await anchoring.anchorHead();
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((anchor) => anchor.sequence)).toEqual([2, 3]);
    expect(lines.every((anchor) => anchorSignatureValid(anchor, KEY))).toBe(true);
    expect(new AnchorFile(file).latest()).toEqual(lines[1]);
  });

  it('does not anchor the same head again after a restart', async () => {
    await ledger.record([delivery(1)], fence);
    await new LedgerAnchor(ledger, { key: KEY, file, intervalMs: 1000 }).anchorHead();
    expect(await new LedgerAnchor(ledger, { key: KEY, file, intervalMs: 1000 }).anchorHead()).toBeUndefined();
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('says so when the anchor file ends in something that is not an anchor', async () => {
    await ledger.record([delivery(1)], fence);
    await new LedgerAnchor(ledger, { key: KEY, file, intervalMs: 1000 }).anchorHead();
    appendFileSync(file, '{"sequence":"many"}\n');
    expect(() => new AnchorFile(file).latest()).toThrow('is not a ledger anchor');
  });
});
