import { Decider, DomainCommand, DomainEvent, EventSchemaVersions, RecordType, RecordView } from './decider';
import { DomainError } from './domain-error';
import { dataDowncaster, Downcasters, eventReader, Upcasters } from './event-reader';
import { CommandMetadata } from './message';
import { requireSoundData } from './validation';

/** Every record's state: nothing yet, or a lifecycle status with its originator and the record as it stands. */
export type RecordState<Status extends string, Data> =
  | { readonly status: 'none' }
  | { readonly status: Status; readonly originatorAgencyId: string; readonly record: Data };

export type ExistingRecord<S> = Exclude<S, { readonly status: 'none' }>;

/** What differs between records; the rest of a Decider is the same for every record type. */
export interface RecordBehaviour<C extends DomainCommand, E extends DomainEvent, S> {
  readonly recordType: RecordType;
  readonly commandTypes: readonly C['type'][];
  readonly eventSchemaVersions: EventSchemaVersions<E>;
  readonly upcasters?: Upcasters<E>;
  readonly downcasters?: Downcasters<E>;
  decide(command: C, state: S): E[];
  evolve(state: S, event: E): S;
}

export function recordDecider<C extends DomainCommand, E extends DomainEvent, Status extends string, Data extends object>(
  behaviour: RecordBehaviour<C, E, RecordState<Status, Data>>,
): Decider<C, E, RecordState<Status, Data>> {
  const { recordType, commandTypes, eventSchemaVersions, upcasters, downcasters, decide, evolve } = behaviour;
  return {
    recordType,
    commandTypes,
    eventSchemaVersions,
    initialState: { status: 'none' },
    // The record's own rules first, for their precise codes; then the rules every command's data follows.
    decide: (command, state) => {
      const events = decide(command, state);
      requireSoundData(command.data, command.metadata.now);
      return events;
    },
    evolve,
    streamId: (recordId) => `${recordType}-${recordId}`,
    readEvent: eventReader(eventSchemaVersions, upcasters),
    downcastData: dataDowncaster(downcasters),
    view: viewOf,
  };
}

/** Refuses to create a record whose stream already holds one. */
export function requireNew(state: { readonly status: string }, code: string, message: string): void {
  if (state.status !== 'none') throw new DomainError('conflict', code, message);
}

/**
 * The record, to an agency it concerns (`parties` names them). To any other agency it does not exist:
 * the refusal is the one a missing record gets, so a command cannot find out which records exist.
 */
export function requireRecord<S extends { readonly status: string }>(
  state: S,
  metadata: CommandMetadata,
  parties: (record: ExistingRecord<S>) => readonly string[],
  code: string,
  what: string,
): ExistingRecord<S> {
  if (state.status === 'none' || !parties(state as ExistingRecord<S>).includes(metadata.agencyId)) {
    throw new DomainError('not-found', code, `no such ${what}`);
  }
  return state as ExistingRecord<S>;
}

/** The record's originator alone. */
export const originator = (record: { readonly originatorAgencyId: string }): readonly string[] => [record.originatorAgencyId];

export type Refusals<Status extends string> = Partial<Record<Status, readonly [code: string, message: string]>>;

/** Refuses a lifecycle step from a status it does not start from, with the code that status stands for. */
export function requireStatus<Status extends string>(status: Status, allowed: readonly Status[], refusals: Refusals<Status>): void {
  if (allowed.includes(status)) return;
  const [code, message] = refusals[status] ?? ['ILLEGAL_TRANSITION', `not allowed while ${status}`];
  throw new DomainError('illegal-state', code, message);
}

export function requireAgency(metadata: CommandMetadata, agencyIds: readonly string[], code: string, message: string): void {
  if (!agencyIds.includes(metadata.agencyId)) throw new DomainError('forbidden', code, message);
}

function viewOf<Status extends string, Data extends object>(state: RecordState<Status, Data>): RecordView | undefined {
  if (!('record' in state)) return undefined;
  // Record data types are interfaces, which TypeScript does not widen to an index signature on its own.
  return { originatorAgencyId: state.originatorAgencyId, status: state.status, record: state.record as Readonly<Record<string, unknown>> };
}

/** An event of the current schema version (1 unless a type says otherwise), stamped with who did it and when. */
export function eventOf<Type extends string, Data>(
  type: Type,
  data: Data,
  metadata: CommandMetadata,
  schemaVersion = 1,
): DomainEvent<Type, Data> {
  return { type, data, metadata: { ...metadata, schemaVersion } };
}

export function assertNever(value: never): never {
  throw new Error(`unhandled message type: ${String(value)}`);
}
