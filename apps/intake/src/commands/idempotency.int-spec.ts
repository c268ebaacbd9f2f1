import { Agency, deciderFor } from '@crescent/domain';
import { EVENT_STORE_MIGRATIONS, SqlEventStore } from '@crescent/event-store';
import { AgencyDirectory, loadConfig, seedDemo } from '@crescent/runtime';
import { SqlClient } from '@crescent/sql';
import { openTestDatabase, TestDialect } from '@crescent/test-support';
import { EXAMPLE_REFERRAL } from '../../../../test/e2e/fixtures';
import { AgencyWriteSide, CommandSubmission } from './agency-write-side';
import { commandRoute } from './command-catalog';
import { CLAIMING_INSTANCE_TTL_MS, IDEMPOTENCY_KEY_TTL_MS, IDEMPOTENCY_STALE_CLAIM_MS, IdempotencyStore } from './idempotency.store';
import { IDEMPOTENCY_MIGRATIONS } from './idempotency.migrations';

const HSI: Agency = { id: 'hsi-new-orleans', name: 'HSI New Orleans', kind: 'federal-law-enforcement', department: 'DHS', jurisdiction: ['Orleans'] };

describe.each<TestDialect>(['postgres', 'sqlite'])('idempotency keys on %s', (dialect) => {
  let sql: SqlClient;
  let now: number;
  let keys: IdempotencyStore;

  beforeEach(async () => {
    sql = await openTestDatabase(dialect, [...IDEMPOTENCY_MIGRATIONS, ...EVENT_STORE_MIGRATIONS]);
    now = Date.parse('2026-11-29T12:00:00.000Z');
    keys = await IdempotencyStore.create(sql, () => now);
  });

  afterEach(() => sql.close());

  describe('the store', () => {
    it('answers a claim still being worked on as in progress, and lets a retry take over one left by a request that died', async () => {
      const first = await keys.claim('hsi', 'k1', 'request-a');
      expect(first).toMatchObject({ outcome: 'claimed', resumed: false });

      now += IDEMPOTENCY_STALE_CLAIM_MS - 1;
      expect(await keys.claim('hsi', 'k1', 'request-a')).toEqual({ outcome: 'in-progress' });
      now += 2;
      const taken = await keys.claim('hsi', 'k1', 'request-a');
      expect(taken).toEqual({ outcome: 'claimed', resumed: true, operationId: (first as { operationId: string }).operationId });
      // Once: the next retry finds it claimed again.
      expect(await keys.claim('hsi', 'k1', 'request-a')).toEqual({ outcome: 'in-progress' });
    });

    it('lets another instance take over at once a claim whose instance died (its lease lapsed), not after the stale time', async () => {
      const other = await IdempotencyStore.create(sql, () => now);
      const first = await keys.claim('hsi', 'k1', 'request-a');
      expect(await other.claim('hsi', 'k1', 'request-a')).toEqual({ outcome: 'in-progress' });
      // Stopped (cleanly here: its lease is given up; killed, it lapses unrenewed, as below).
      await keys.onApplicationShutdown();
      now += 1;
      expect(await other.claim('hsi', 'k1', 'request-a')).toEqual({ ...first, resumed: true });
      expect(await keys.claim('hsi', 'k1', 'request-a')).toEqual({ outcome: 'in-progress' });
      await other.onApplicationShutdown();
    });

    it('counts an instance alive while its lease runs: its claim is in progress until the lease lapses unrenewed', async () => {
      const other = await IdempotencyStore.create(sql, () => now);
      await keys.claim('hsi', 'k1', 'request-a');
      now += CLAIMING_INSTANCE_TTL_MS;
      expect(await other.claim('hsi', 'k1', 'request-a')).toEqual({ outcome: 'in-progress' });
      now += 1;
      expect(await other.claim('hsi', 'k1', 'request-a')).toMatchObject({ outcome: 'claimed', resumed: true });
      await other.onApplicationShutdown();
    });

    it('lets a failed request be retried at once as the same operation, and a refused one be sent again corrected', async () => {
      const first = await keys.claim('hsi', 'k1', 'request-a');
      await keys.abandon('hsi', 'k1');
      expect(await keys.claim('hsi', 'k1', 'request-a')).toEqual({ ...first, resumed: true });

      await keys.release('hsi', 'k1');
      expect(await keys.claim('hsi', 'k1', 'request-b')).toMatchObject({ outcome: 'claimed', resumed: false });
    });

    it('replays a result for a day, then forgets the key', async () => {
      await keys.claim('hsi', 'k1', 'request-a');
      await keys.complete('hsi', 'k1', { recordId: 'r1', version: 1 });
      expect(await keys.claim('hsi', 'k1', 'request-b')).toEqual({ outcome: 'different-request' });

      now += IDEMPOTENCY_KEY_TTL_MS - 1;
      expect(await keys.claim('hsi', 'k1', 'request-a')).toEqual({ outcome: 'replay', result: { recordId: 'r1', version: 1 } });
      now += 2;
      expect(await keys.claim('hsi', 'k1', 'request-b')).toMatchObject({ outcome: 'claimed', resumed: false });
      // Keys are per agency.
      expect(await keys.claim('other-agency', 'k1', 'request-a')).toMatchObject({ outcome: 'claimed' });
    });
  });

  describe('a referral whose request failed after its append', () => {
    let store: SqlEventStore;
    let writeSide: AgencyWriteSide;
    let directory: AgencyDirectory;
    let failCompletions: number;

    beforeEach(async () => {
      store = await SqlEventStore.create(sql);
      await seedDemo(store);
      directory = await AgencyDirectory.open(store);
      failCompletions = 0;
      // The write lands; recording its result does not (a crash, a lost connection): the worst moment.
      const flaky = Object.create(keys) as IdempotencyStore;
      flaky.complete = async (...args) => {
        if (failCompletions > 0) {
          failCompletions -= 1;
          throw new Error('connection lost');
        }
        return keys.complete(...args);
      };
      writeSide = new AgencyWriteSide(store, flaky, directory, loadConfig({ SEED_DEMO: 'true' }));
    });

    afterEach(() => directory.close());

    const submit = (idempotencyKey: string) => {
      const submission: CommandSubmission = { agency: HSI, route: commandRoute('SubmitVictimReferral'), body: EXAMPLE_REFERRAL, idempotencyKey };
      return writeSide.write(submission, (referralId) => ({ type: 'SubmitVictimReferral', data: { referralId, ...EXAMPLE_REFERRAL } }));
    };
    const referralStreams = async () => (await store.readAll(undefined, 1000)).filter((stored) => stored.type === 'VictimReferralSubmitted');

    it('is created once: the retry finds what the failed attempt wrote and answers as it would have', async () => {
      failCompletions = 1;
      await expect(submit('k-crash')).rejects.toThrow('connection lost');
      const [written] = await referralStreams();

      const retried = await submit('k-crash');
      expect(retried.version).toBe(1);
      expect(deciderFor('victim-referral').streamId(retried.recordId)).toBe(written.streamId);
      expect(await referralStreams()).toHaveLength(1);
      // And from then on the result is replayed.
      expect(await submit('k-crash')).toEqual(retried);
    });

    it('is created once when the process died after the append: a retry within the stale time is told to wait, then resumes', async () => {
      failCompletions = 1;
      // A death leaves no chance to give the claim up: the claim is put back as it stood.
      const original = keys.abandon.bind(keys);
      keys.abandon = async () => undefined;
      await expect(submit('k-died')).rejects.toThrow('connection lost');
      keys.abandon = original;

      await expect(submit('k-died')).rejects.toMatchObject({ code: 'IDEMPOTENCY.IN_PROGRESS' });
      now += IDEMPOTENCY_STALE_CLAIM_MS + 1;
      const resumed = await submit('k-died');
      expect(resumed.version).toBe(1);
      expect(await referralStreams()).toHaveLength(1);
    });
  });
});
