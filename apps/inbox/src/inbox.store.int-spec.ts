import { openTestDatabase, TestDialect } from '@crescent/test-support';
import { migrateSchema, SqlClient } from '@crescent/sql';
import { InboxStore, ReferralChange } from './inbox.store';
import { INBOX_MIGRATIONS } from './inbox.migrations';

const SHELTER = 'bayou-haven-shelter';
const SUBMITTED = { referralId: 'ref-1', victim: { givenName: 'Maria', phone: '+1 504 555 0142', preferredLanguages: ['es'] }, needs: ['shelter'] };

const received = (overrides = {}) => ({
  agencyId: SHELTER,
  referralId: 'ref-1',
  eventId: 'event-1',
  recordVersion: 1,
  policyVersion: 1,
  referral: SUBMITTED,
  receivedAt: '2026-11-02T14:30:00.000Z',
  ...overrides,
});

const newPhone = (recordVersion: number, phone: string): ReferralChange => ({
  agencyId: SHELTER,
  referralId: 'ref-1',
  recordVersion,
  policyVersion: 1,
  status: undefined,
  update: (held) => ({ ...held, victim: { ...(held.victim as object), phone } }),
  receivedAt: `2026-11-02T15:0${recordVersion}:00.000Z`,
});

describe.each<TestDialect>(['postgres', 'sqlite'])('the %s inbox', (dialect) => {
  let sql: SqlClient;
  let inbox: InboxStore;

  beforeEach(async () => {
    sql = await openTestDatabase(dialect, INBOX_MIGRATIONS);
    inbox = await InboxStore.create(sql);
  });

  afterEach(() => sql.close());

  it('keeps a referral up to date with its later events, in record order, ignoring repeated and older ones', async () => {
    expect(await inbox.receive(received())).toBe(true);
    expect(await inbox.receive(received())).toBe(false);
    expect(await inbox.change(newPhone(3, '+1 504 555 0300'))).toBe(true);
    expect(await inbox.change(newPhone(2, '+1 504 555 0200'))).toBe(false);
    expect(await inbox.change(newPhone(3, '+1 504 555 0300'))).toBe(false);
    expect(await inbox.change({ ...newPhone(4, '+1 504 555 0300'), status: 'withdrawn', update: (held) => ({ ...held, reason: 'Victim moved away' }) })).toBe(true);

    expect(await inbox.list(SHELTER)).toEqual([
      {
        referralId: 'ref-1',
        receivedAt: '2026-11-02T14:30:00.000Z',
        updatedAt: '2026-11-02T15:04:00.000Z',
        status: 'withdrawn',
        recordVersion: 4,
        policyVersion: 1,
        referral: { ...SUBMITTED, victim: { ...SUBMITTED.victim, phone: '+1 504 555 0300' }, reason: 'Victim moved away' },
      },
    ]);
  });

  it('changes nothing for a referral it does not hold, or has forgotten', async () => {
    expect(await inbox.change(newPhone(2, '+1 504 555 0200'))).toBe(false);
    await inbox.receive(received());
    expect(await inbox.forget(SHELTER, 'ref-1')).toBe(true);
    expect(await inbox.change(newPhone(3, '+1 504 555 0300'))).toBe(false);
    expect(await inbox.list(SHELTER)).toEqual([]);
  });

  it('opens an inbox made before referrals kept their later events, with what it held, once migrated', async () => {
    const older = await openTestDatabase(dialect);
    try {
      await older.query(`CREATE TABLE inbox_referrals (
        agency_id TEXT NOT NULL, referral_id TEXT NOT NULL, event_id TEXT NOT NULL UNIQUE, policy_version INTEGER NOT NULL,
        payload TEXT NOT NULL, received_at TEXT NOT NULL, PRIMARY KEY (agency_id, referral_id))`);
      await older.query('INSERT INTO inbox_referrals VALUES ($1, $2, $3, $4, $5, $6)', [SHELTER, 'ref-1', 'event-1', 1, JSON.stringify(SUBMITTED), '2026-11-02T14:30:00.000Z']);

      await migrateSchema(older, INBOX_MIGRATIONS);
      const reopened = await InboxStore.create(older);
      expect(await reopened.list(SHELTER)).toEqual([
        { referralId: 'ref-1', receivedAt: '2026-11-02T14:30:00.000Z', updatedAt: '2026-11-02T14:30:00.000Z', status: 'received', recordVersion: 1, policyVersion: 1, referral: SUBMITTED },
      ]);
      expect(await reopened.change(newPhone(2, '+1 504 555 0200'))).toBe(true);
      await expect((await InboxStore.create(older)).list(SHELTER)).resolves.toMatchObject([{ recordVersion: 2, referral: { victim: { phone: '+1 504 555 0200' } } }]);
    } finally {
      await older.close();
    }
  });
});

describe.each<TestDialect>(['postgres', 'sqlite'])('the %s inbox, as caseworkers query it', (dialect) => {
  let sql: SqlClient;
  let inbox: InboxStore;
  const MARIA = { referralId: 'ref-1', victim: { givenName: 'Maria', familyName: 'Example' }, needs: ['shelter'] };
  const ROSA = { referralId: 'ref-2', victim: { givenName: 'Rosa', familyName: '50%_off' }, needs: ['legal'] };
  const JUANA = { referralId: 'ref-3', victim: { givenName: 'Juana' }, needs: ['shelter', 'medical'] };
  const page = { newestFirst: true, page: 1, pageSize: 20 };
  const ids = async (query: Partial<Parameters<InboxStore['query']>[1]>) => (await inbox.query(SHELTER, { ...page, ...query })).items.map(({ referralId }) => referralId);

  beforeEach(async () => {
    sql = await openTestDatabase(dialect, INBOX_MIGRATIONS);
    inbox = await InboxStore.create(sql);
    await inbox.receive(received({ referralId: 'ref-1', eventId: 'e1', referral: MARIA, receivedAt: '2026-11-02T10:00:00.000Z' }));
    await inbox.receive(received({ referralId: 'ref-2', eventId: 'e2', referral: ROSA, receivedAt: '2026-11-03T10:00:00.000Z' }));
    await inbox.receive(received({ referralId: 'ref-3', eventId: 'e3', referral: JUANA, receivedAt: '2026-11-04T10:00:00.000Z' }));
    await inbox.receive(received({ agencyId: 'other-shelter', referralId: 'ref-9', eventId: 'e9', referral: MARIA, receivedAt: '2026-11-04T11:00:00.000Z' }));
    await inbox.change({ ...newPhone(2, '+1 504 555 0200'), status: 'acknowledged', receivedAt: '2026-11-05T09:00:00.000Z' });
  });

  afterEach(() => sql.close());

  it('filters by status, time received and words of what was received, sorts, pages, and counts each status', async () => {
    expect(await inbox.query(SHELTER, page)).toMatchObject({ total: 3, counts: { received: 2, acknowledged: 1 } });
    expect(await ids({})).toEqual(['ref-3', 'ref-2', 'ref-1']);
    expect(await ids({ newestFirst: false })).toEqual(['ref-1', 'ref-2', 'ref-3']);
    expect(await ids({ pageSize: 2, page: 2 })).toEqual(['ref-1']);
    expect(await ids({ status: 'acknowledged' })).toEqual(['ref-1']);
    expect(await inbox.query(SHELTER, { ...page, status: 'acknowledged' })).toMatchObject({ total: 1, counts: { received: 2, acknowledged: 1 } });
    expect(await ids({ receivedFrom: '2026-11-03T00:00:00.000Z', receivedTo: '2026-11-04T10:00:00.000Z' })).toEqual(['ref-2']);
    expect(await ids({ text: 'SHELTER maria' })).toEqual(['ref-1']);
    expect(await ids({ text: 'shelter' })).toEqual(['ref-3', 'ref-1']);
    // LIKE's wildcards are the caseworker's text, not patterns; keys are not searched.
    expect(await ids({ text: '50%_' })).toEqual(['ref-2']);
    expect(await ids({ text: '%' })).toEqual(['ref-2']);
    expect(await ids({ text: 'givenName' })).toEqual([]);
    expect(await ids({ text: '0200' })).toEqual(['ref-1']);
  });

  it('keeps the status history with times, and a retraction: the data gone, the ids, status and history left, a note of when', async () => {
    expect(await inbox.retract(SHELTER, 'ref-1', '2026-11-06T08:00:00.000Z')).toBe(true);
    expect(await inbox.retract(SHELTER, 'ref-1', '2026-11-06T09:00:00.000Z')).toBe(false);
    expect(await inbox.detail(SHELTER, 'ref-1')).toEqual({
      referralId: 'ref-1',
      status: 'acknowledged',
      receivedAt: '2026-11-02T10:00:00.000Z',
      updatedAt: '2026-11-06T08:00:00.000Z',
      recordVersion: 2,
      policyVersion: 1,
      referral: {},
      retracted: true,
      history: [
        { status: 'received', at: '2026-11-02T10:00:00.000Z' },
        { status: 'acknowledged', at: '2026-11-05T09:00:00.000Z' },
      ],
      retractions: [{ at: '2026-11-06T08:00:00.000Z' }],
      consents: [],
    });
    expect(await ids({ text: 'maria' })).toEqual([]);
    expect((await inbox.list(SHELTER)).map(({ referralId }) => referralId)).toEqual(['ref-3', 'ref-2']);
    expect(await inbox.change(newPhone(3, '+1 504 555 0300'))).toBe(false);
  });

  it("keeps the consents it recorded, by referral, and marks a revocation; another agency's are not its own", async () => {
    const consent = { consentId: 'c-1', recipients: ['hsi-new-orleans'], purposes: ['investigation' as const], fields: ['status'], expiresAt: '2026-12-01T00:00:00.000Z', recordedAt: '2026-11-05T10:00:00.000Z' };
    await inbox.recordConsent(SHELTER, 'ref-1', consent);
    expect(await inbox.referralOfConsent(SHELTER, 'c-1')).toBe('ref-1');
    expect(await inbox.referralOfConsent('other-shelter', 'c-1')).toBeUndefined();
    await inbox.revokeConsent(SHELTER, 'c-1', '2026-11-06T10:00:00.000Z');
    expect((await inbox.detail(SHELTER, 'ref-1'))?.consents).toEqual([{ ...consent, revokedAt: '2026-11-06T10:00:00.000Z' }]);
  });

  it('tells its listeners the id of each referral it stores, changes or loses, once stored', async () => {
    const heard: string[] = [];
    const stop = inbox.onChange(({ referralId }) => heard.push(referralId));
    await inbox.receive(received({ referralId: 'ref-4', eventId: 'e4' }));
    await inbox.receive(received({ referralId: 'ref-4', eventId: 'e4' }));
    await inbox.change({ ...newPhone(3, '+1 504 555 0300') });
    await inbox.retract(SHELTER, 'ref-3', '2026-11-06T08:00:00.000Z');
    stop();
    await inbox.retract(SHELTER, 'ref-2', '2026-11-06T08:00:00.000Z');
    expect(heard).toEqual(['ref-4', 'ref-1', 'ref-3']);
  });
});
