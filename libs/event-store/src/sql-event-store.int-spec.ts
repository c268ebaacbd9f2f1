import { newTestDatabase, TestDialect } from '@crescent/test-support';
import { EventStore } from './event-store.port';
import { FeedHolder, SqlEventStore } from './sql-event-store';
import { SqlClient } from '@crescent/sql';
import { FeedRecorder, numberedEvent, numbersOf, RunningSubscriptions, until } from './testing/event-store-conformance';
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

  it('wakes a live subscriber on another connection well before its poll interval', async () => {
    const database = newTestDatabase(dialect, EVENT_STORE_MIGRATIONS);
    const pollIntervalMs = 60_000;
    const reader = await SqlEventStore.create(await database.open(), { pollIntervalMs });
    const writer = await SqlEventStore.create(await database.open(), { pollIntervalMs });
    stores.push(reader, writer);
    const recorder = new FeedRecorder();
    subscriptions.start(reader, { onEvents: recorder.onEvents });
    // Let the subscriber find the feed empty and settle into waiting.
    await new Promise((resolve) => setTimeout(resolve, 200));

    const appendedAt = Date.now();
    await writer.append('woken', [numberedEvent(1)], 'no-stream');
    await until('the live event', () => recorder.events.length === 1, 5_000);

    expect(Date.now() - appendedAt).toBeLessThan(1_000);
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

  beforeEach(async () => {
    database = newTestDatabase('postgres', EVENT_STORE_MIGRATIONS);
    first = await SqlEventStore.create(await database.open());
    second = await SqlEventStore.create(await database.open());
    stores.push(first, second);
  });

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  /** Appends event `n` in a transaction of `store` that stays open until `commit` is called. */
  const heldAppend = (store: SqlEventStore, n: number, beforeAppend: (tx: SqlClient) => Promise<unknown> = async () => undefined) => {
    let commit!: () => void;
    const released = new Promise<void>((resolve) => (commit = resolve));
    let appended!: (position: string) => void;
    const position = new Promise<string>((resolve) => (appended = resolve));
    const committed = store.transaction(async (inTransaction, tx) => {
      await beforeAppend(tx);
      appended((await inTransaction.append(`held-${n}`, [numberedEvent(n)], 'no-stream')).lastPosition);
      await released;
    });
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

    held.commit();
    await held.committed;
    const feed = await feedOnce(second, start, 2);
    expect(numbersOf(feed)).toEqual([1, 2]);
    expect(numbersOf(await second.readAll(start, 10, ['Numbered']))).toEqual([1, 2]);
    expect(numbersOf(await second.readAll(feed[0].position, 10))).toEqual([2]);
    expect(await second.readAll(feed[1].position, 10)).toEqual([]);
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
