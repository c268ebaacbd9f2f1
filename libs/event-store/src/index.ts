export {
  type AppendResult,
  EVENT_STORE,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type StoredEvent,
  WrongExpectedRevisionError,
} from './event-store.port';
export { SqlEventStore } from './sql-event-store';
export { CheckpointStore } from './checkpoint-store';
