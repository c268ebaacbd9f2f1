import { newTestDatabase, TestDatabase, TestDialect } from '@crescent/test-support';
import { CheckpointStore } from './checkpoint-store';
import { EventStore, StoredEvent, SubscribeToAllOptions, WrongExpectedRevisionError } from './event-store.port';
import { SqlEventStore } from './sql-event-store';
import { FeedRecorder, numberedEvent, readWholeFeed, RunningSubscriptions, until } from './testing/event-store-conformance';
import { EVENT_STORE_MIGRATIONS } from './event-store.migrations';

/**
 * Many writers at once, each on a connection of its own, against a real database: the cases where
 * a store loses a write, leaks a constraint error, or lets a feed reader skip a late commit.
 */
describe.each<TestDialect>(['postgres', 'sqlite'])('the %s event store under concurrent writers', (dialect) => {
  let database: TestDatabase;
  let opened: EventStore[];
  const subscriptions = new RunningSubscriptions();
  const subscribe = (store: EventStore, options: SubscribeToAllOptions) => subscriptions.start(store, options);

  const openStore = async (): Promise<EventStore> => {
    const store = await SqlEventStore.create(await database.open(), { pollIntervalMs: 50 });
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    database = newTestDatabase(dialect, EVENT_STORE_MIGRATIONS);
    opened = [];
  });

  afterEach(async () => {
    await subscriptions.stopAll();
    for (const store of opened) await store.close();
  });

  it('keeps every append to one contended stream exactly once, and reports each loser as a conflict', async () => {
    const writers = 8;
    const appendsEach = 500;
    const stream = 'contended';
    let conflicts = 0;
    /** Read the current revision, append at it; on a conflict read what is new and try again. */
    const writer = async (store: EventStore): Promise<void> => {
      let revision = -1;
      for (let done = 0; done < appendsEach; ) {
        revision += (await store.readStream(stream, { fromRevision: revision + 1 })).length;
        try {
          await store.append(stream, [numberedEvent(done)], revision < 0 ? 'no-stream' : revision);
          done += 1;
          revision += 1;
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError)) throw error;
          conflicts += 1;
        }
      }
    };
    const stores = await Promise.all(Array.from({ length: writers }, openStore));
    await Promise.all(stores.map(writer));

    const total = writers * appendsEach;
    const events = await stores[0].readStream(stream);
    expect(events.map((event) => event.revision)).toEqual(Array.from({ length: total }, (_, revision) => revision));
    const feed = await readWholeFeed(stores[0]);
    expect(feed).toHaveLength(total);
    expect(new Set(feed.map((event) => event.id))).toEqual(new Set(events.map((event) => event.id)));
    expect(conflicts).toBeGreaterThan(0);
    process.stdout.write(`${dialect}: ${writers} writers x ${appendsEach} appends = ${total} events, ${conflicts} conflicts\n`);
  });

  it('delivers every event to a live subscriber exactly once, in feed order, while writers race on their own streams', async () => {
    const writers = 6;
    const appendsEach = 300;
    const subscriberStore = await openStore();
    const recorder = new FeedRecorder();
    const subscription = subscribe(subscriberStore, { batchSize: 7, onEvents: recorder.onEvents });

    const writerStores = await Promise.all(Array.from({ length: writers }, openStore));
    await Promise.all(writerStores.map((store, writer) => appendToOwnStreams(store, `writer-${writer}`, appendsEach)));
    const total = writers * appendsEach;
    const feed = await readWholeFeed(subscriberStore);
    // Waiting for the feed's last event (not for a count) makes a skipping reader fail here, quickly, on the comparison.
    await until('the subscriber at the end of the feed', () => recorder.lastPosition === feed[total - 1].position);
    await subscription.stop();

    expect(feed).toHaveLength(total);
    expect(recorder.events.map((event) => event.id)).toEqual(feed.map((event) => event.id));
    expect(recorder.overlapped).toBe(false);
    process.stdout.write(
      `${dialect}: ${writers} concurrent writers x ${appendsEach} appends on their own streams; ` +
        `a live subscriber received ${recorder.events.length} of ${total} exactly once in order, in ${recorder.batchSizes.length} batches\n`,
    );
  });

  it('delivers every event exactly once, in order, to a subscriber stopped and restarted from its checkpoint while writers append', async () => {
    const writers = 4;
    const appendsEach = 250;
    const total = writers * appendsEach;
    const subscriberSql = await database.open();
    const checkpoints = await CheckpointStore.create(subscriberSql);
    const subscriberStore = await SqlEventStore.create(subscriberSql, { pollIntervalMs: 50 });
    opened.push(subscriberStore);
    const delivered: StoredEvent[] = [];
    const follow = async () => {
      const after = await checkpoints.load('restarting');
      return subscribe(subscriberStore, {
        after,
        batchSize: 10,
        onEvents: async (events) => {
          delivered.push(...events);
          await checkpoints.save('restarting', events[events.length - 1].position);
        },
      });
    };

    const writerStores = await Promise.all(Array.from({ length: writers }, openStore));
    // Paced writers, so the restarts fall while they write.
    const writing = Promise.all(
      writerStores.map((store, writer) => appendToOwnStreams(store, `restart-${writer}`, appendsEach, 1)),
    );
    let restarts = 0;
    let subscription = await follow();
    for (let finished = false; !finished; ) {
      finished = await Promise.race([writing.then(() => true), pause(25).then(() => false)]);
      await subscription.stop();
      subscription = await follow();
      restarts += 1;
    }
    const feed = await readWholeFeed(subscriberStore);
    await until('the subscriber at the end of the feed', () => delivered[delivered.length - 1]?.position === feed[total - 1].position);
    await subscription.stop();

    expect(feed).toHaveLength(total);
    expect(delivered.map((event) => event.id)).toEqual(feed.map((event) => event.id));
    expect(restarts).toBeGreaterThan(3);
    process.stdout.write(
      `${dialect}: a subscriber restarted ${restarts} times from its checkpoint while ${writers} writers appended ${total} events ` +
        `received ${delivered.length}, each exactly once, in order\n`,
    );
  });
});

/** Appends one event at a time, round-robin over a handful of this writer's streams, each at its known revision. */
async function appendToOwnStreams(store: EventStore, writer: string, appends: number, pauseMs = 0): Promise<void> {
  const streams = 5;
  for (let n = 0; n < appends; n += 1) {
    const stream = n % streams;
    const revision = Math.floor(n / streams) - 1;
    await store.append(`${writer}-${stream}`, [numberedEvent(n)], revision < 0 ? 'no-stream' : revision);
    if (pauseMs > 0) await pause(pauseMs);
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
