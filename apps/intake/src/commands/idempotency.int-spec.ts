import { Agency, deciderFor } from '@crescent/domain';
import { CheckpointStore, EVENT_STORE_MIGRATIONS, SqlEventStore } from '@crescent/event-store';
import { DIRECTORY_EVENT_TYPES } from '@crescent/policy';
import { AgencyDirectory, loadConfig, seedDemo } from '@crescent/runtime';
import { SqlClient } from '@crescent/sql';
import { openTestDatabase, TestDialect } from '@crescent/test-support';
import { EXAMPLE_REFERRAL } from '../../../../test/e2e/fixtures';
import { AgencyWriteSide, CommandSubmission } from './agency-write-side';
import { commandRoute } from './command-catalog';
import { CommandWrites } from './command-writes';
import { CLAIMING_INSTANCE_TTL_MS, IDEMPOTENCY_KEY_TTL_MS, IDEMPOTENCY_STALE_CLAIM_MS, IdempotencyStore } from './idempotency.store';
import { IDEMPOTENCY_MIGRATIONS } from './idempotency.migrations';
import { REFERRAL_MATTER_MIGRATIONS, ReferralMatters } from './referral-matters';

const HSI: Agency = { id: 'hsi-new-orleans', name: 'HSI New Orleans', kind: 'federal-law-enforcement', department: 'DHS', jurisdiction: ['Orleans'] };

/** A connection lost on the next `left` writes it is asked about. */
class LostConnections {
  left = 0;

  strike(): void {
    if (this.left === 0) return;
    this.left -= 1;
    throw new Error('connection lost');
  }
}

describe.each<TestDialect>(['postgres', 'sqlite'])('idempotency keys on %s', (dialect) => {
  let sql: SqlClient;
  let now: number;
  let keys: IdempotencyStore;

  beforeEach(async () => {
    sql = await openTestDatabase(dialect, [...IDEMPOTENCY_MIGRATIONS, ...REFERRAL_MATTER_MIGRATIONS, ...EVENT_STORE_MIGRATIONS]);
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

  /** A write side over a fresh store seeded with the demo, its writes as `writesFor` makes them, submitting the example referral. */
  const referralWriteSide = (writesFor: (store: SqlEventStore, matters: ReferralMatters) => CommandWrites) => {
    const context = {} as { store: SqlEventStore; directory: AgencyDirectory; matters: ReferralMatters; writeSide: AgencyWriteSide };
    beforeEach(async () => {
      context.store = await SqlEventStore.create(sql);
      await seedDemo(context.store);
      context.directory = await AgencyDirectory.open(context.store, DIRECTORY_EVENT_TYPES);
      context.matters = await ReferralMatters.open(sql, context.store, await CheckpointStore.create(sql));
      context.writeSide = new AgencyWriteSide(context.store, writesFor(context.store, context.matters), context.directory, loadConfig({ SEED_DEMO: 'true' }), context.matters);
    });
    afterEach(() => Promise.all([context.directory.close(), context.matters.close()]));
    const submit = (idempotencyKey: string, body: object = EXAMPLE_REFERRAL) => {
      const submission: CommandSubmission = { agency: HSI, route: commandRoute('SubmitVictimReferral'), body, idempotencyKey };
      return context.writeSide.write(submission, (referralId) => ({ type: 'SubmitVictimReferral', data: { referralId, ...EXAMPLE_REFERRAL } }));
    };
    // Read from the table, not the feed: PostgreSQL's feed holds back what any open transaction of the server (another test's) may precede.
    const referralStreams = () => sql.query<{ streamId: string }>(`SELECT stream_id AS "streamId" FROM events WHERE type = 'VictimReferralSubmitted' ORDER BY position`);
    /** The first attempt writes, then `lost` fails it; the retry answers with that referral and writes no other. */
    const retryAfter = async (lost: LostConnections, idempotencyKey: string) => {
      lost.left = 1;
      await expect(submit(idempotencyKey)).rejects.toThrow('connection lost');
      const [written] = await referralStreams();

      const retried = await submit(idempotencyKey);
      expect(retried.version).toBe(1);
      expect(deciderFor('victim-referral').streamId(retried.recordId)).toBe(written.streamId);
      expect(await referralStreams()).toHaveLength(1);
      return retried;
    };
    return { submit, referralStreams, retryAfter };
  };

  describe('a referral whose request failed after its append, its events committed apart from its key (as on EventStoreDB)', () => {
    // The write lands; recording its result does not (a crash, a lost connection): the worst moment.
    const completions = new LostConnections();
    const { submit, referralStreams, retryAfter } = referralWriteSide((store, matters) => {
      const flaky = Object.create(keys) as IdempotencyStore;
      flaky.complete = async (...args) => {
        completions.strike();
        return keys.complete(...args);
      };
      return CommandWrites.stepByStep(store, flaky, matters);
    });

    it('is created once: the retry finds what the failed attempt wrote and answers as it would have', async () => {
      const retried = await retryAfter(completions, 'k-crash');
      // And from then on the result is replayed.
      expect(await submit('k-crash')).toEqual(retried);
    });

    it('is created once when the process died after the append: a retry within the stale time is told to wait, then resumes', async () => {
      completions.left = 1;
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

  describe('a referral whose key and events commit in one transaction (the events in the same database)', () => {
    // Recording the result fails after the append, inside the transaction.
    const completions = new LostConnections();
    // The commit happens, its answer never arrives: the caller cannot tell whether anything was written.
    const answers = new LostConnections();
    const { submit, referralStreams, retryAfter } = referralWriteSide((store, matters) => {
      const flaky = Object.create(keys) as IdempotencyStore;
      flaky.within = (tx) => {
        const view = keys.within(tx);
        const complete = view.complete.bind(view);
        view.complete = async (...args) => {
          completions.strike();
          return complete(...args);
        };
        return view;
      };
      const writes = CommandWrites.oneTransaction(store, flaky, matters);
      return {
        run: async (work) => {
          const result = await writes.run(work);
          answers.strike();
          return result;
        },
      };
    });

    it('writes nothing when the request fails before its commit, and a retry creates the referral once', async () => {
      completions.left = 1;
      await expect(submit('k-failed')).rejects.toThrow('connection lost');
      expect(await referralStreams()).toEqual([]);

      const retried = await submit('k-failed');
      expect(retried.version).toBe(1);
      expect((await referralStreams()).map((stored) => stored.streamId)).toEqual([deciderFor('victim-referral').streamId(retried.recordId)]);
      expect(await submit('k-failed')).toEqual(retried);
    });

    it('is created once when the commit happened but its answer was lost: the retry answers what was committed', async () => {
      const retried = await retryAfter(answers, 'k-lost');
      expect(await submit('k-lost')).toEqual(retried);
    });

    it('answers two requests sent at once under one key with one referral, and refuses the key for another request', async () => {
      const [first, second] = await Promise.all([submit('k-twice'), submit('k-twice')]);
      expect(second).toEqual(first);
      expect(await referralStreams()).toHaveLength(1);
      await expect(submit('k-twice', { ...EXAMPLE_REFERRAL, needs: ['legal'] })).rejects.toMatchObject({ code: 'IDEMPOTENCY.KEY_REUSED' });
    });

    it('replays the result for a day, then takes the key as new', async () => {
      const first = await submit('k-day');
      now += IDEMPOTENCY_KEY_TTL_MS - 1;
      expect(await submit('k-day')).toEqual(first);
      now += 2;
      const next = await submit('k-day');
      expect(next.recordId).not.toBe(first.recordId);
      expect(await referralStreams()).toHaveLength(2);
    });
  });
});
