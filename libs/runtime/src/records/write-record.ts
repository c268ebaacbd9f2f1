import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { contractViolation } from '../../../../contracts/events/event-contracts';
import { deciderFor, DomainCommand, DomainError, RecordCommand, RecordType } from '@crescent/domain';
import { EventStore, WrongExpectedRevisionError } from '@crescent/event-store';
import { inSpan, metrics } from '@crescent/observability';

export interface RecordWritten {
  readonly recordId: string;
  /** The record's version after the write: the number of events in its stream, what `If-Match` names. */
  readonly version: number;
}

/** A record command as its use case builds it; the edge that sent it adds who acted and when (its metadata). */
export type Decidable<Command extends RecordCommand = RecordCommand> = Command extends RecordCommand ? Pick<Command, 'type' | 'data'> : never;

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

/**
 * The write side in one function: read the stream, decide, check each event against its contract,
 * append at the revision read. Every path that appends comes through here. Without an
 * expected version a lost race is retried once against the new state; with one, the conflict is the
 * caller's to see. `new`: the id was made for this write, so there is no stream to read (one
 * found there after all is a conflict).
 */
export async function writeRecord(
  store: EventStore,
  recordType: RecordType,
  recordId: string,
  command: DomainCommand,
  expectedVersion?: number | 'new',
  /** The id of the n-th event written: the same on a retry of the same operation, so the store can tell it was written. Default: random. */
  eventIdFor: (index: number) => string = () => randomUUID(),
): Promise<RecordWritten> {
  const attempt = async (): Promise<RecordWritten> => {
    const decider = deciderFor(recordType);
    const { state, version } = expectedVersion === 'new' ? { state: decider.initialState, version: 0 } : await loadRecord(store, recordType, recordId);
    if (typeof expectedVersion === 'number' && expectedVersion !== version) {
      // To an agency the record does not exist for (not a party, or truly missing), a conflict would tell
      // that it exists, and its version: the decider's not-found goes first.
      notFoundFirst(() => decider.decide(command, state));
      throw new WrongExpectedRevisionError(decider.streamId(recordId), expectedVersion - 1, version - 1);
    }
    const events = decider.decide(command, state);
    for (const event of events) {
      // A bug (in the decider or the schema), not the caller's fault: logged with the contract and paths, never a value.
      const violation = contractViolation(event);
      if (violation) {
        logger.error(violation.message);
        throw violation;
      }
    }
    const { nextExpectedRevision } = await inSpan(`append ${recordType}`, { attributes: { 'crescent.record_type': recordType, 'crescent.events': events.length } }, () =>
      store.append(
        decider.streamId(recordId),
        events.map((event, index) => ({ id: eventIdFor(index), ...event })),
        version === 0 ? 'no-stream' : version - 1,
      ),
    );
    metrics.eventsAppended.inc({ record_type: recordType }, events.length);
    return { recordId, version: nextExpectedRevision + 1 };
  };
  const counted = async (): Promise<RecordWritten> => {
    try {
      return await attempt();
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) metrics.appendConflicts.inc({ record_type: recordType });
      throw error;
    }
  };
  try {
    return await counted();
  } catch (error) {
    if (!(error instanceof WrongExpectedRevisionError) || expectedVersion !== undefined) throw error;
    return counted();
  }
}

const logger = new Logger('write-record');

function notFoundFirst(decide: () => unknown): void {
  try {
    decide();
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'not-found') throw error;
  }
}
