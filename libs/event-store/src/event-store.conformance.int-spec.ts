import { newTestDatabase, TestDialect } from '@crescent/test-support';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { SqlEventStore } from './sql-event-store';
import { describeEventStoreConformance } from './testing/event-store-conformance';
import { EVENT_STORE_MIGRATIONS } from './event-store.migrations';

for (const dialect of ['postgres', 'sqlite'] satisfies TestDialect[]) {
  describeEventStoreConformance(dialect, async () => SqlEventStore.create(await newTestDatabase(dialect, EVENT_STORE_MIGRATIONS).open()));
}

const eventStoreUrl = process.env.EVENTSTORE_URL;
if (eventStoreUrl) {
  describeEventStoreConformance('eventstoredb', async () => EventStoreDbEventStore.connect(eventStoreUrl));
} else {
  // Said plainly: a suite that did not run must never read as one that passed.
  process.stdout.write('EventStoreDB conformance: skipped (EVENTSTORE_URL is not set)\n');
  describe.skip('the eventstoredb event store (EVENTSTORE_URL is not set)', () => {
    it('runs the conformance suite against EventStoreDB', () => undefined);
  });
}
