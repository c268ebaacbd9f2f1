export {
  AppendResult,
  EVENT_STORE,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  StoredEvent,
  WrongExpectedRevisionError,
} from './event-store.port';
export { SqlEventStore } from './sql-event-store';
export { CheckpointStore } from './checkpoint-store';
