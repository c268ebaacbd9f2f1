import { openTestDatabase, TestDialect } from '@crescent/test-support';
import { SqlClient } from '@crescent/sql';
import { InboxStore, ReferralChange } from './inbox.store';

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
    sql = await openTestDatabase(dialect);
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

  it('opens an inbox made before referrals kept their later events, with what it held', async () => {
    await sql.query('DROP TABLE inbox_referrals');
    await sql.query(`CREATE TABLE inbox_referrals (
      agency_id TEXT NOT NULL, referral_id TEXT NOT NULL, event_id TEXT NOT NULL UNIQUE, policy_version INTEGER NOT NULL,
      payload TEXT NOT NULL, received_at TEXT NOT NULL, PRIMARY KEY (agency_id, referral_id))`);
    await sql.query('INSERT INTO inbox_referrals VALUES ($1, $2, $3, $4, $5, $6)', [SHELTER, 'ref-1', 'event-1', 1, JSON.stringify(SUBMITTED), '2026-11-02T14:30:00.000Z']);

    const reopened = await InboxStore.create(sql);
    expect(await reopened.list(SHELTER)).toEqual([
      { referralId: 'ref-1', receivedAt: '2026-11-02T14:30:00.000Z', updatedAt: '2026-11-02T14:30:00.000Z', status: 'received', recordVersion: 1, policyVersion: 1, referral: SUBMITTED },
    ]);
    expect(await reopened.change(newPhone(2, '+1 504 555 0200'))).toBe(true);
    await expect((await InboxStore.create(sql)).list(SHELTER)).resolves.toMatchObject([{ recordVersion: 2, referral: { victim: { phone: '+1 504 555 0200' } } }]);
  });
});
