import { newTestDatabase, TestDialect } from '@crescent/test-support';
import { EventStore } from './event-store.port';
import { SqlEventStore } from './sql-event-store';
import { FeedRecorder, numberedEvent, RunningSubscriptions, until } from './testing/event-store-conformance';
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
