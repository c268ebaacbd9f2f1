import { deciderFor, RecordType } from '@crescent/domain';
import { EventStore } from '@crescent/event-store';

/** A record's current state and version (its number of events), folded from its stream. */
export async function loadRecord(store: EventStore, recordType: RecordType, recordId: string): Promise<{ state: unknown; version: number }> {
  const decider = deciderFor(recordType);
  const history = await store.readStream(decider.streamId(recordId));
  const state = history.reduce((current: unknown, stored) => {
    const event = decider.readEvent(stored);
    // Names only the type and position: an event's data may be personal.
    if (!event) throw new Error(`stream of ${recordType} holds an unreadable ${stored.type} event at revision ${stored.revision}`);
    return decider.evolve(current, event);
  }, decider.initialState);
  return { state, version: history.length };
}
