export {
  type AppendResult,
  EVENT_STORE,
  type EventStore,
  type EventTypes,
  type EventToAppend,
  type ExpectedRevision,
  type FeedSubscription,
  type GlobalPosition,
  type ReadStreamOptions,
  type StoredEvent,
  type StreamMetadata,
  type SubscribeToAllOptions,
  WrongExpectedRevisionError,
} from './event-store.port';
export { type FeedHolder, SqlEventStore, type SqlEventStoreOptions } from './sql-event-store';
export { EventStoreDbEventStore } from './eventstoredb-event-store';
export { CheckpointStore } from './checkpoint-store';
export { type Fence, Lease, LeaseLostError, LeaseStore } from './lease-store';
export { EVENT_STORE_MIGRATIONS } from './event-store.migrations';
