import { EventStore, EventStoreDbEventStore, SqlEventStore } from '@crescent/event-store';
import { SqlClient } from '@crescent/sql';
import { RuntimeConfig } from './config';

/** The exchange's event store: EventStoreDB when EVENT_STORE_URL names one, else the database's own tables. */
export function openEventStore(config: Pick<RuntimeConfig, 'eventStoreUrl'>, sql: SqlClient): Promise<EventStore> {
  return config.eventStoreUrl ? Promise.resolve(EventStoreDbEventStore.connect(config.eventStoreUrl)) : SqlEventStore.create(sql);
}
