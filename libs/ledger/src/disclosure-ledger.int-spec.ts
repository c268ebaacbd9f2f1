import { CheckpointStore, EVENT_STORE_MIGRATIONS, Lease, LeaseLostError, LeaseStore } from '@crescent/event-store';
import { heldLease, newTestDatabase, openTestDatabase, TestDialect } from '@crescent/test-support';
import { SqlClient } from '@crescent/sql';
import { DisclosureEntry } from './disclosure-entry';
import { ChainAnchor, signAnchor } from './chain-anchor';
import { DisclosureLedger } from './disclosure-ledger';
import { hashRow } from './ledger-hash';
import { DISCLOSURE_LEDGER_MIGRATIONS } from './disclosure-ledger.migrations';

/** The ledger's writes are fenced by a lease: its table comes with the event store's. */
const LEDGER_AND_LEASES = [...EVENT_STORE_MIGRATIONS, ...DISCLOSURE_LEDGER_MIGRATIONS];

const START = Date.parse('2025-03-01T10:00:00.000Z');

/** The n-th delivery, `minutes` after the start; the record and recipient vary unless overridden. */
function delivery(n: number, overrides: Partial<DisclosureEntry> = {}): DisclosureEntry {
  return {
    recipientAgencyId: `agency-${n % 2}`,
    eventId: `event-${n}`,
    recordType: 'victim-referral',
    recordId: `referral-${n % 3}`,
    policyId: 'policy-ngo-to-police',
    policyVersion: 2,
    consentIds: n % 2 === 0 ? [`consent-${n}`] : [],
    disclosedFields: ['referralId', 'victim.ageBand'],
    withheldFields: ['victim.name', 'victim.immigrationStatus'],
    kind: 'delivery',
    deliveredAt: new Date(START + n * 60_000).toISOString(),
    ...overrides,
  };
}

const deliveries = (count: number) => Array.from({ length: count }, (_, index) => delivery(index + 1));

const eventIds = (rows: { entry: DisclosureEntry }[]) => rows.map((row) => row.entry.eventId);

describe.each<TestDialect>(['postgres', 'sqlite'])('the %s disclosure ledger', (dialect) => {
  let sql: SqlClient;
  let ledger: DisclosureLedger;
  let fence: Lease;

  beforeEach(async () => {
    sql = await openTestDatabase(dialect, LEDGER_AND_LEASES);
    // Small pages, so verification carries the chain across page boundaries.
    ledger = await DisclosureLedger.create(sql, { verifyPageSize: 2 });
    fence = await heldLease(sql);
  });

  afterEach(() => sql.close());

  it('records entries in order and answers who received what by record, by recipient and by time', async () => {
    await ledger.record(deliveries(3), fence);
    await ledger.record([delivery(4), delivery(5, { kind: 'retraction', eventId: 'event-2', recipientAgencyId: 'agency-0' })], fence);

    const aboutReferral1 = await ledger.byRecord('victim-referral', 'referral-1');
    expect(aboutReferral1).toEqual([
      { sequence: 1, previousHash: '0'.repeat(64), hash: expect.stringMatching(/^[0-9a-f]{64}$/), entry: delivery(1) },
      { sequence: 4, previousHash: expect.any(String), hash: expect.any(String), entry: delivery(4) },
    ]);
    expect(eventIds(await ledger.byRecord('victim-referral', 'referral-2'))).toEqual(['event-2', 'event-2']);
    expect((await ledger.byRecord('victim-referral', 'referral-2')).map((row) => row.entry.kind)).toEqual(['delivery', 'retraction']);
    expect(await ledger.byRecord('case', 'referral-1')).toEqual([]);

    expect(eventIds(await ledger.byRecipient('agency-0'))).toEqual(['event-2', 'event-4', 'event-2']);
    expect(eventIds(await ledger.byRecipient('agency-1'))).toEqual(['event-1', 'event-3']);
    expect(eventIds(await ledger.byRecipient('agency-0', { limit: 2 }))).toEqual(['event-2', 'event-4']);
    expect(eventIds(await ledger.byRecipient('agency-0', { from: delivery(3).deliveredAt, to: delivery(5).deliveredAt }))).toEqual(['event-4']);
    expect(eventIds(await ledger.byRecipient('agency-0', { afterSequence: 2, limit: 1 }))).toEqual(['event-4']);

    // `from` inclusive, `to` exclusive; a bound written without milliseconds still matches.
    expect(eventIds(await ledger.byTime({ from: '2025-03-01T10:02:00Z', to: delivery(4).deliveredAt, limit: 10 }))).toEqual(['event-2', 'event-3']);
    expect(eventIds(await ledger.byTime({ from: delivery(1).deliveredAt, to: delivery(6).deliveredAt, limit: 3 }))).toEqual(['event-1', 'event-2', 'event-3']);
    const rows = await ledger.byTime({ from: delivery(1).deliveredAt, to: delivery(6).deliveredAt, limit: 10 });
    expect(rows.map((row) => row.sequence)).toEqual([1, 2, 3, 4, 5]);
    rows.slice(1).forEach((row, index) => expect(row.previousHash).toBe(rows[index].hash));

    expect(await ledger.verify()).toEqual({ ok: true, rows: 5 });
  });

  it('adds nothing and keeps the chain whole when a delivery is recorded again', async () => {
    await ledger.record(deliveries(3), fence);
    const before = await ledger.byTime({ from: delivery(0).deliveredAt, to: delivery(9).deliveredAt, limit: 10 });

    // The relay re-records after a crash: the same deliveries, one of them twice in one batch, then a new one.
    await ledger.record([delivery(2), delivery(3), delivery(3), delivery(4)], fence);
    await ledger.record([delivery(1)], fence);

    const after = await ledger.byTime({ from: delivery(0).deliveredAt, to: delivery(9).deliveredAt, limit: 10 });
    expect(after.slice(0, 3)).toEqual(before);
    expect(after.map((row) => [row.sequence, row.entry.eventId])).toEqual([
      [1, 'event-1'],
      [2, 'event-2'],
      [3, 'event-3'],
      [4, 'event-4'],
    ]);
    expect(after[3].previousHash).toBe(after[2].hash);
    expect(await ledger.verify()).toEqual({ ok: true, rows: 4 });
  });

  it('chains a large batch in order, skipping what is recorded wherever it falls', async () => {
    await ledger.record([delivery(1500)], fence);
    await ledger.record(deliveries(3000), fence);

    const rows = await ledger.byTime({ from: delivery(0).deliveredAt, to: delivery(3001).deliveredAt, limit: 5000 });
    expect(rows).toHaveLength(3000);
    expect(rows.map((row) => row.sequence)).toEqual(Array.from({ length: 3000 }, (_, index) => index + 1));
    expect(rows.filter((row) => row.entry.eventId === 'event-1500').map((row) => row.sequence)).toEqual([1]);
    rows.slice(1).forEach((row, index) => expect(row.previousHash).toBe(rows[index].hash));
    expect(rows.slice(1).map((row) => row.hash)).toEqual(rows.slice(1).map((row) => hashRow(row.sequence, row.previousHash, row.entry)));
    expect(await ledger.verify()).toEqual({ ok: true, rows: 3000 });
  });

  it('stores every text as it was given, whatever characters it holds, and the chain verifies', async () => {
    // The batch reaches the database as JSON: quotes, escapes, a JSON path, SQL and characters outside ASCII must all come back alike.
    const odd = delivery(1, {
      recipientAgencyId: 'agency "quoted" \\ back\\slash',
      recordId: "referral-'1'; DROP TABLE disclosure_ledger; --",
      policyId: '$.policy_id',
      consentIds: ['consent\nwith newline', 'zoë 🛈'],
      disclosedFields: ['victim."name"', '{"json":true}'],
      policyVersion: 2_147_483_647,
    });
    await ledger.record([odd, delivery(2)], fence);

    const rows = await ledger.byRecord('victim-referral', odd.recordId);
    expect(rows.map((row) => row.entry)).toEqual([odd]);
    expect(await ledger.byRecipient(odd.recipientAgencyId)).toHaveLength(1);
    expect(await ledger.verify()).toEqual({ ok: true, rows: 2 });
  });

  it('refuses a batch with an invalid entry and records none of it', async () => {
    await expect(ledger.record([delivery(1), delivery(2, { deliveredAt: '1 March 2025' })], fence)).rejects.toMatchObject({
      code: 'LEDGER.INVALID_ENTRY',
      message: 'disclosure entry 1: deliveredAt must be an ISO-8601 UTC instant (toISOString)',
    });
    expect(await ledger.verify()).toEqual({ ok: true, rows: 0 });
  });

  it('records nothing, and writes nothing alongside, for a writer that lost its lease', async () => {
    const checkpoints = await CheckpointStore.create(sql);
    // Unfenced itself: the ledger's fence check covers what is written alongside.
    const saveAt = (position: string) => (tx: SqlClient) => checkpoints.within(tx).save('relay', position);
    await ledger.record(deliveries(2), fence, saveAt('7'));
    const leases = await LeaseStore.create(sql);
    await leases.release('relay', fence.holder);
    await leases.acquire('relay', 'successor', 60_000);

    await expect(ledger.record([delivery(3)], fence)).rejects.toBeInstanceOf(LeaseLostError);
    await expect(ledger.record([delivery(3)], fence, saveAt('8'))).rejects.toBeInstanceOf(LeaseLostError);
    await expect(ledger.record([], fence, saveAt('9'))).rejects.toBeInstanceOf(LeaseLostError);
    expect(eventIds(await ledger.byTime({ from: delivery(0).deliveredAt, to: delivery(9).deliveredAt, limit: 100 }))).toEqual(['event-1', 'event-2']);
    expect(await ledger.verify()).toEqual({ ok: true, rows: 2 });
    expect(await checkpoints.load('relay')).toBe('7');
  });

  it('commits what is written alongside with the entries, or neither, and alone when there are none', async () => {
    const checkpoints = await CheckpointStore.create(sql);
    const saveAt = (position: string) => (tx: SqlClient) => checkpoints.within(tx).save('relay', position, fence);
    await ledger.record(deliveries(2), fence, saveAt('7'));
    expect(await checkpoints.load('relay')).toBe('7');

    const failing = async (tx: SqlClient) => {
      await saveAt('9')(tx);
      throw new Error('the write alongside failed');
    };
    await expect(ledger.record([delivery(3)], fence, failing)).rejects.toThrow('the write alongside failed');
    expect(await checkpoints.load('relay')).toBe('7');
    expect(await ledger.verify()).toEqual({ ok: true, rows: 2 });

    await ledger.record([], fence, saveAt('8'));
    expect(await checkpoints.load('relay')).toBe('8');
    expect(await ledger.verify()).toEqual({ ok: true, rows: 2 });
  });

  it('verifies an empty ledger, and a chain of many rows over many pages', async () => {
    expect(await ledger.verify()).toEqual({ ok: true, rows: 0 });
    await ledger.record(deliveries(7), fence);
    expect(await ledger.verify()).toEqual({ ok: true, rows: 7 });
  });

  it('keeps one unbroken chain when several connections append at once', async () => {
    const database = newTestDatabase(dialect, LEDGER_AND_LEASES);
    // Opened at once, each applying the migrations: they must not race either.
    const writers = await Promise.all(Array.from({ length: 5 }, () => database.open()));
    try {
      const ledgers = await Promise.all(writers.map((writer) => DisclosureLedger.create(writer)));
      await Promise.all(
        ledgers.map(async (writerLedger, writer) => {
          // Each writer holds a lease of its own: the chain, not the lease, is what is under test.
          const writerFence = await heldLease(writers[writer], `writer-${writer}`);
          for (let batch = 0; batch < 8; batch += 1) {
            const own = [0, 1, 2].map((n) => delivery(n, { eventId: `w${writer}-b${batch}-${n}` }));
            // Every writer also delivers the same event of each batch: only one of them may be recorded.
            await writerLedger.record([...own.slice(0, 2), delivery(batch, { eventId: `shared-${batch}` }), own[2]], writerFence);
          }
        }),
      );

      expect(await ledgers[0].verify()).toEqual({ ok: true, rows: 5 * 8 * 3 + 8 });
      const all = await ledgers[0].byTime({ from: delivery(0).deliveredAt, to: delivery(9).deliveredAt, limit: 1000 });
      expect(all.map((row) => row.sequence)).toEqual(Array.from({ length: 5 * 8 * 3 + 8 }, (_, index) => index + 1));
      // One batch is one transaction under the lock: each writer's own entries of a batch sit together, in order.
      for (let writer = 0; writer < 5; writer += 1) {
        const mine = all.filter((row) => row.entry.eventId.startsWith(`w${writer}-`));
        expect(mine.map((row) => row.entry.eventId)).toEqual(
          Array.from({ length: 8 }, (_, batch) => [0, 1, 2].map((n) => `w${writer}-b${batch}-${n}`)).flat(),
        );
      }
    } finally {
      await Promise.all(writers.map((writer) => writer.close()));
    }
  });

  describe('verification of a tampered ledger', () => {
    beforeEach(() => ledger.record(deliveries(6), fence));

    it('reports the row whose field was altered by a direct UPDATE', async () => {
      await sql.query("UPDATE disclosure_ledger SET withheld_fields = '[]' WHERE sequence = 3");

      expect(await ledger.verify()).toEqual({
        ok: false,
        rows: 2,
        firstBrokenSequence: 3,
        reason: 'stored hash does not match the row',
      });
    });

    it('reports the missing sequence when a middle row is deleted', async () => {
      await sql.query('DELETE FROM disclosure_ledger WHERE sequence = 4');

      expect(await ledger.verify()).toEqual({ ok: false, rows: 3, firstBrokenSequence: 4, reason: 'sequence 4 is missing' });
    });

    it('reports the next row when an altered row was given a hash that matches its new content', async () => {
      const [row] = (await ledger.byRecipient('agency-0')).filter((found) => found.sequence === 4);
      const altered: DisclosureEntry = { ...row.entry, recipientAgencyId: 'agency-9' };
      await sql.query('UPDATE disclosure_ledger SET recipient_agency_id = $1, hash = $2 WHERE sequence = 4', [
        altered.recipientAgencyId,
        hashRow(4, row.previousHash, altered),
      ]);

      expect(await ledger.verify()).toEqual({
        ok: false,
        rows: 4,
        firstBrokenSequence: 5,
        reason: 'previous hash does not match the hash of sequence 4',
      });
    });

    it('reports the first row whose link to the genesis hash was rewritten', async () => {
      await sql.query("UPDATE disclosure_ledger SET previous_hash = $1 WHERE sequence = 1", ['f'.repeat(64)]);

      expect(await ledger.verify()).toEqual({
        ok: false,
        rows: 0,
        firstBrokenSequence: 1,
        reason: 'previous hash does not match the genesis hash',
      });
    });

    it('reports a row whose lists were rewritten into unreadable JSON', async () => {
      await sql.query("UPDATE disclosure_ledger SET consent_ids = 'not json' WHERE sequence = 6");

      expect(await ledger.verify()).toEqual({ ok: false, rows: 5, firstBrokenSequence: 6, reason: 'stored hash does not match the row' });
    });
  });

  describe('verification held to an anchor of its head kept outside the database', () => {
    const key = { keyId: 'a1', secret: 'anchor-test-secret' };
    let anchor: ChainAnchor;

    beforeEach(async () => {
      await ledger.record(deliveries(5), fence);
      anchor = signAnchor((await ledger.head())!, '2025-03-01T12:00:00.000Z', key);
    });

    it('anchors the newest row, and an intact chain reaches it', async () => {
      expect(anchor).toMatchObject({ sequence: 5, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(await ledger.verify({ anchor, key })).toEqual({ ok: true, rows: 5 });
      // Rows recorded after the anchor are fine: a chain only grows.
      await ledger.record([delivery(6)], fence);
      expect(await ledger.verify({ anchor, key })).toEqual({ ok: true, rows: 6 });
    });

    it('finds the newest rows deleted, which the chain alone cannot', async () => {
      await sql.query('DELETE FROM disclosure_ledger WHERE sequence > 3');

      expect(await ledger.verify()).toEqual({ ok: true, rows: 3 });
      expect(await ledger.verify({ anchor, key })).toEqual({
        ok: false,
        rows: 3,
        firstBrokenSequence: 4,
        reason: 'sequences 4 to 5 are missing: the anchored head was deleted',
      });
    });

    it('finds a chain rebuilt with consistent hashes', async () => {
      await sql.query('DELETE FROM disclosure_ledger');
      await ledger.record(deliveries(5).map((entry) => ({ ...entry, withheldFields: [] })), fence);

      expect(await ledger.verify()).toEqual({ ok: true, rows: 5 });
      expect(await ledger.verify({ anchor, key })).toEqual({
        ok: false,
        rows: 4,
        firstBrokenSequence: 5,
        reason: 'the chain was rebuilt: this sequence no longer has the hash anchored for it',
      });
    });

    it('refuses an anchor not signed with the anchoring key (a forged or altered one)', async () => {
      const forged = signAnchor({ sequence: 3, hash: anchor.hash }, anchor.anchoredAt, { keyId: 'a1', secret: 'guessed' });
      expect(await ledger.verify({ anchor: forged, key })).toMatchObject({ ok: false, reason: 'the newest anchor is not signed with the anchoring key' });
      expect(await ledger.verify({ anchor: { ...anchor, sequence: 3 }, key })).toMatchObject({ ok: false });
    });
  });
});
