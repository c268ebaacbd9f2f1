import { CommandMetadata, EventMetadata } from './message';

/** The records of the exchange; each is one event stream per record. */
export const RECORD_TYPES = ['case', 'victim-referral', 'arrest-record', 'consent', 'agency', 'sharing-policy', 'subscription'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export interface DomainCommand<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
  readonly metadata: CommandMetadata;
}

export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

/** An event as any store or bus hands it back, at whatever schema version it was written. */
export interface SerializedEvent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
}

/** What a record's originator reads back: the record in full, as it stands. */
export interface RecordView {
  readonly originatorAgencyId: string;
  readonly status: string;
  readonly record: Readonly<Record<string, unknown>>;
}

export type EventSchemaVersions<E extends DomainEvent> = { readonly [Type in E['type']]: readonly number[] };

/** One record type's pure behaviour: how commands become events and events become state. */
export interface Decider<C extends DomainCommand, E extends DomainEvent, S> {
  readonly recordType: RecordType;
  readonly commandTypes: readonly C['type'][];
  /** Every schema version of each event type that readEvent accepts, oldest first; decide writes the last. */
  readonly eventSchemaVersions: EventSchemaVersions<E>;
  readonly initialState: S;
  decide(command: C, state: S): E[];
  evolve(state: S, event: E): S;
  streamId(recordId: string): string;
  /** The current version of a stored event (old versions upcast); undefined when it is not this record's. */
  readEvent(serialized: SerializedEvent): E | undefined;
  /** The current version's data of an event type (whole or projected) at an older version; undefined when there is no downcaster to it. */
  downcastData(type: E['type'], data: Readonly<Record<string, unknown>>, toVersion: number): Record<string, unknown> | undefined;
  /** The record as its originator sees it; undefined before the record exists. */
  view(state: S): RecordView | undefined;
}
