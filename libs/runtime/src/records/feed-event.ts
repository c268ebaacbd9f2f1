import { deciderFor, RECORD_TYPES, RecordType } from '@crescent/domain';
import { StoredEvent } from '@crescent/event-store';
import { DisclosureState, evolveDisclosureState, FeedEvent } from '@crescent/policy';

// Longest first, so no record type is mistaken for one whose name it starts with.
const BY_PREFIX = [...RECORD_TYPES].sort((a, b) => b.length - a.length).map((recordType) => ({ recordType, prefix: deciderFor(recordType).streamId('') }));

/** The record a stream holds: every stream is `<record type>-<record id>`. */
export function recordOfStream(streamId: string): { recordType: RecordType; recordId: string } | undefined {
  const match = BY_PREFIX.find(({ prefix }) => streamId.startsWith(prefix));
  return match && { recordType: match.recordType, recordId: streamId.slice(match.prefix.length) };
}

/** A stored event as the disclosure engine reads it: its record, at the current schema version. */
export function toFeedEvent(stored: StoredEvent): FeedEvent | undefined {
  const record = recordOfStream(stored.streamId);
  const event = record && deciderFor(record.recordType).readEvent(stored);
  return record && event ? ({ ...record, event } as FeedEvent) : undefined;
}

/** Stored events as the disclosure engine reads them, leaving out those of no record it reads. */
export function toFeedEvents(stored: readonly StoredEvent[]): FeedEvent[] {
  return stored.flatMap((event) => toFeedEvent(event) ?? []);
}

/** The state with a stored event folded in; an event of no record the engine reads leaves it as it was. */
export function foldStoredEvent(state: DisclosureState, stored: StoredEvent): DisclosureState {
  const feedEvent = toFeedEvent(stored);
  return feedEvent ? evolveDisclosureState(state, feedEvent) : state;
}
