import { newTestDatabase, TestDialect } from '@crescent/test-support';
import { EventStore } from './event-store.port';
import { FeedHolder, SqlEventStore } from './sql-event-store';
import { SqlClient } from '@crescent/sql';
import { FeedRecorder, numberedEvent, numbersOf, RunningSubscriptions, typed, until } from './testing/event-store-conformance';
import { EVENT_STORE_MIGRATIONS } from './event-store.migrations';

/**
 * What the SQL adapter adds to the conformance suite: a live subscriber hears of an append made on
 * another connection at once (PostgreSQL NOTIFY; SQLite's in-process signal), not at its next poll.
 */
describe.each<TestDialect>(['postgres', 'sqlite'])('the %s event store signals appends', (dialect) => {
  const subscriptions = new RunningSubscriptions();
  const stores: EventStore[] = [];

  afterEach(async () => {
    await subscriptions.stopAll();
    for (const store of stores.splice(0)) await store.close();
  });

  /** Two stores on separate connections to a new database, whose subscribers poll only once a minute: sooner, a signal woke them. */
  const readerAndWriter = async () => {
    const database = newTestDatabase(dialect, EVENT_STORE_MIGRATIONS);
    const pollIntervalMs = 60_000;
    const [reader, writer] = [await SqlEventStore.create(await database.open(), { pollIntervalMs }), await SqlEventStore.create(await database.open(), { pollIntervalMs })];
    stores.push(reader, writer);
    return { reader, writer };
  };

  it('wakes a live subscriber on another connection well before its poll interval', async () => {
    const { reader, writer } = await readerAndWriter();
    const recorder = new FeedRecorder();
    subscriptions.start(reader, { onEvents: recorder.onEvents });
    // Let the subscriber find the feed empty and settle into waiting.
    await new Promise((resolve) => setTimeout(resolve, 200));

    const appendedAt = Date.now();
    await writer.append('woken', [numberedEvent(1)], 'no-stream');
    await until('the live event', () => recorder.events.length === 1, 5_000);

    expect(Date.now() - appendedAt).toBeLessThan(1_000);
  });

  it('wakes a subscriber of some types only for appends of one of them, made in a transaction or not', async () => {
    const { reader, writer } = await readerAndWriter();
    const reads = jest.spyOn(reader, 'readAll');
    const recorder = new FeedRecorder();
    subscriptions.start(reader, { eventTypes: ['Wanted'], onEvents: recorder.onEvents });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const readsWhenSettled = reads.mock.calls.length;
    expect(readsWhenSettled).toBeGreaterThan(0);

    await writer.append('other-1', [typed('Other', 1)], 'no-stream');
    await writer.transaction((store) => store.append('other-2', [typed('Other', 2), typed('AlsoOther', 3)], 'no-stream'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(reads.mock.calls.length).toBe(readsWhenSettled);

    await writer.transaction((store) => store.append('wanted', [typed('Other', 4), typed('Wanted', 5)], 'no-stream'));
    await until('the wanted event', () => recorder.events.length === 1, 5_000);
    expect(numbersOf(recorder.events)).toEqual([5]);
  });

  it('reads a short page once: the next read waits for a signal, a full page is followed at once', async () => {
    const { reader, writer } = await readerAndWriter();
    await writer.append('before', [numberedEvent(1), numberedEvent(2), numberedEvent(3)], 'no-stream');
    const reads = jest.spyOn(reader, 'readAll');
    const recorder = new FeedRecorder();
    subscriptions.start(reader, { batchSize: 2, onEvents: recorder.onEvents });
    await until('the events stored before', () => recorder.events.length === 3, 5_000);
    // On PostgreSQL another session's open transaction may hold an event back for a moment, and then the subscriber reads again soon.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const readsCaughtUp = reads.mock.calls.length;
    if (dialect === 'sqlite') expect(readsCaughtUp).toBe(2);

    await writer.append('after', [numberedEvent(4)], 'no-stream');
    await until('the live event', () => recorder.events.length === 4, 5_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (dialect === 'sqlite') expect(reads.mock.calls.length).toBe(readsCaughtUp + 1);
    expect(recorder.batchSizes).toEqual([2, 1, 1]);
  });

  it('wakes every subscriber when the types appended are too many to name in one signal', async () => {
    const { reader, writer } = await readerAndWriter();
    const long = 'L'.repeat(8_000);
    const recorder = new FeedRecorder();
    subscriptions.start(reader, { eventTypes: [long], onEvents: recorder.onEvents });
    await new Promise((resolve) => setTimeout(resolve, 200));

    await writer.append('long', [typed(long, 1)], 'no-stream');
    await until('the event of a long type', () => recorder.events.length === 1, 5_000);
  });
});

/**
 * PostgreSQL appends run in parallel, so positions are taken in one order and committed in another.
 * A reader must never pass an event whose transaction is still open: it would skip it once it commits.
 * (SQLite has one writer at a time: there a held transaction holds every other append back.)
 */
describe('the postgres event store keeps its feed gap-free while appends overlap', () => {
  const stores: SqlEventStore[] = [];
  let database: ReturnType<typeof newTestDatabase>;
  let first: SqlEventStore;
  let second: SqlEventStore;
  /** The transactions a test holds open; each ends with the test, whatever became of it, so a failed expectation fails the test rather than hang its store's close. */
  const held: Promise<void>[] = [];
  let tearDown!: () => void;
  let tornDown: Promise<void>;
  /** `step` awaited, unless the test is over first. */
  const unlessTornDown = (step: Promise<unknown>) => Promise.race([step, tornDown]);

  beforeEach(async () => {
    tornDown = new Promise<void>((resolve) => (tearDown = resolve));
    database = newTestDatabase('postgres', EVENT_STORE_MIGRATIONS);
    first = await SqlEventStore.create(await database.open());
    second = await SqlEventStore.create(await database.open());
    stores.push(first, second);
  });

  afterEach(async () => {
    tearDown();
    await Promise.allSettled(held.splice(0));
    for (const store of stores.splice(0)) await store.close();
  });

  /** Appends event `n` in a transaction of `store` that stays open until `commit` is called. */
  const heldAppend = (store: SqlEventStore, n: number, beforeAppend: (tx: SqlClient) => Promise<unknown> = async () => undefined) => {
    let commit!: () => void;
    const released = new Promise<void>((resolve) => (commit = resolve));
    let appended!: (position: string) => void;
    const position = new Promise<string>((resolve) => (appended = resolve));
    const committed = store.transaction(async (inTransaction, tx) => {
      await unlessTornDown(beforeAppend(tx));
      appended((await inTransaction.append(`held-${n}`, [numberedEvent(n)], 'no-stream')).lastPosition);
      await unlessTornDown(released);
    });
    held.push(committed);
    return { position, commit, committed };
  };
  /** The feed after `start` once it holds `count` events: another session's open transaction may hold it back a moment. */
  const feedOnce = async (store: EventStore, start: string, count: number) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const feed = await store.readAll(start, 10);
      if (feed.length >= count || Date.now() > deadline) return feed;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  it('holds back an event that committed while one with a lower position was still open, then delivers both', async () => {
    const start = (await second.append('marker', [numberedEvent(0)], 'no-stream')).lastPosition;
    const held = heldAppend(first, 1);
    const heldPosition = await held.position;
    const late = await second.append('late', [numberedEvent(2)], 'no-stream');
    expect(Number(late.lastPosition)).toBeGreaterThan(Number(heldPosition));

    expect(await second.readAll(start, 10)).toEqual([]);
    expect(await second.readAll(start, 10, ['Numbered'])).toEqual([]);

    held.commit();
    await held.committed;
    expect(numbersOf(await feedOnce(second, start, 2))).toEqual([1, 2]);
    expect(numbersOf(await second.readAll(start, 10, ['Numbered']))).toEqual([1, 2]);
  });

  it('orders by transaction: an open transaction that appends after a later one committed still comes first, and nothing is passed twice', async () => {
    const start = (await second.append('marker', [numberedEvent(0)], 'no-stream')).lastPosition;
    // The held transaction takes its id before the other appends, its position after.
    let begun!: () => void;
    const idTaken = new Promise<void>((resolve) => (begun = resolve));
    let goOn!: () => void;
    const appendNow = new Promise<void>((resolve) => (goOn = resolve));
    const held = heldAppend(first, 1, async (tx) => {
      await tx.query('SELECT pg_current_xact_id()');
      begun();
      await appendNow;
    });
    await idTaken;
    const early = await second.append('early', [numberedEvent(2)], 'no-stream');
    goOn();
    expect(Number(await held.position)).toBeGreaterThan(Number(early.lastPosition));
    expect(await second.readAll(start, 10)).toEqual([]);
    expect(await second.readAll(start, 10, ['Numbered'])).toEqual([]);
    // Held back, yet committed: a reader that has read to the end is not caught up with it.
    expect(await second.hasCommittedAfter(start)).toBe(true);
    expect(await second.hasCommittedAfter(start, ['Numbered'])).toBe(true);
    expect(await second.hasCommittedAfter(start, ['Other'])).toBe(false);

    held.commit();
    await held.committed;
    const feed = await feedOnce(second, start, 2);
    expect(numbersOf(feed)).toEqual([1, 2]);
    expect(numbersOf(await second.readAll(start, 10, ['Numbered']))).toEqual([1, 2]);
    expect(numbersOf(await second.readAll(feed[0].position, 10))).toEqual([2]);
    expect(await second.readAll(feed[1].position, 10)).toEqual([]);
    expect(await second.hasCommittedAfter(feed[0].position, ['Numbered'])).toBe(true);
    expect(await second.hasCommittedAfter(feed[1].position)).toBe(false);
  });

  it('tells its owner, while a caught-up subscriber waits on held-back events, which open transaction holds them', async () => {
    const reports: FeedHolder[] = [];
    const reader = await SqlEventStore.create(await database.open(), { heldBackReportMs: 300, onHeldBack: (holder) => reports.push(holder) });
    stores.push(reader);
    const subscriptions = new RunningSubscriptions();
    const recorder = new FeedRecorder();
    const start = (await second.append('marker', [numberedEvent(0)], 'no-stream')).lastPosition;
    const held = heldAppend(first, 1, (tx) => tx.query("SET LOCAL application_name = 'feed-holder'"));
    await held.position;
    await second.append('late', [numberedEvent(2)], 'no-stream');
    subscriptions.start(reader, { after: start, onEvents: recorder.onEvents });

    try {
      await until('a report', () => reports.length > 0, 5_000);
      expect(recorder.events).toEqual([]);
      expect(reports[0]).toEqual({
        heldSeconds: expect.any(Number),
        transaction: { pid: expect.any(Number), applicationName: 'feed-holder', state: 'idle in transaction', openSeconds: expect.any(Number) },
      });
      const reported = reports.length;
      held.commit();
      await held.committed;
      await until('both events', () => recorder.events.length === 2, 5_000);
      expect(numbersOf(recorder.events)).toEqual([1, 2]);
      // Caught up and no longer held back: it says nothing more.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(reports.length).toBe(reported);
    } finally {
      held.commit();
      await subscriptions.stopAll();
    }
  });
});

/**
 * A read of some event types must cost what its page holds, not what the feed holds after the position:
 * each type read in order from the index by type. PostgreSQL without statistics (a fresh table, as here,
 * and wherever autovacuum has not yet run) chose otherwise before: the feed's own index, filtering every
 * row after the position, or a bitmap over all the type's rows, sorted. Checked on the plans of the
 * store's own statements, run as it runs them.
 */
describe('the postgres event store reads some event types by their index', () => {
  type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: PlanNode[] };
  const scansOfEvents = (node: PlanNode): PlanNode[] => [
    ...(node['Relation Name'] === 'events' ? [node] : []),
    ...(node.Plans ?? []).flatMap(scansOfEvents),
  ];

  /** The client as it is, but that each typed read's plan is asked for first, in the same transaction. */
  function explaining(client: SqlClient, plans: PlanNode[]): SqlClient {
    return Object.assign(Object.create(client) as SqlClient, {
      query: async (text: string, params: Parameters<SqlClient['query']>[1] = [], name?: string) => {
        if (text.includes('AS wanted(type)')) {
          const [row] = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${text}`, params);
          plans.push(row['QUERY PLAN'][0].Plan);
        }
        return client.query(text, params, name);
      },
      transaction: <T>(work: (tx: SqlClient) => Promise<T>) => client.transaction((tx) => work(explaining(tx, plans))),
    });
  }

  const BATCHES = 40;

  it('reads each type in order from the index by type, from the start and from a position, with no statistics', async () => {
    const database = newTestDatabase('postgres', EVENT_STORE_MIGRATIONS);
    const writer = await SqlEventStore.create(await database.open());
    // Half one type, a few of a rare one, the rest of types nobody asks for; rows about as large as a referral's.
    const text = 'x'.repeat(1_000);
    for (let batch = 0; batch < BATCHES; batch++) {
      const events = Array.from({ length: 500 }, (_, offset) => {
        const n = batch * 500 + offset;
        return { ...numberedEvent(n, text), type: n % 2 === 0 ? 'Frequent' : n % 250 === 1 ? 'Rare' : `Other${n % 7}` };
      });
      await writer.append('typed', events, batch === 0 ? 'no-stream' : batch * 500 - 1);
    }
    const plans: PlanNode[] = [];
    const reader = await SqlEventStore.create(explaining(await database.open(), plans));

    const wanted = ['Frequent', 'Rare', 'Absent'];
    const first = await reader.readAll(undefined, 100, wanted);
    const later = await reader.readAll(first[first.length - 1].position, 100, wanted);
    await Promise.all([writer.close(), reader.close()]);

    expect(numbersOf([...first, ...later])).toEqual(Array.from({ length: BATCHES * 500 }, (_, n) => n).filter((n) => n % 2 === 0 || n % 250 === 1).slice(0, 200));
    expect(plans).toHaveLength(2);
    for (const plan of plans) {
      const scans = scansOfEvents(plan).map((scan) => `${scan['Node Type']} ${scan['Index Name'] ?? ''}`.trim());
      // The position's own row, looked up by its key; then each type wanted, in order from its index.
      expect(scans).toEqual(['Index Scan events_pkey', 'Index Scan events_feed_by_type']);
    }
  });
});
