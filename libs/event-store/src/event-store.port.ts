/** What a writer hands the store: one domain event, serialised as plain JSON values. */
export interface EventToAppend {
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
}

/** An event as the store holds it: its place in its stream and in the global feed. */
export interface StoredEvent extends EventToAppend {
  readonly streamId: string;
  /** 0 for a stream's first event. */
  readonly revision: number;
  /** Strictly increasing over the global feed; a reader that has seen position p never later sees a lower one. */
  readonly position: number;
  readonly recordedAt: string;
}

/** `no-stream`: the stream must not exist yet; a number: the revision of the stream's last event. */
export type ExpectedRevision = 'no-stream' | 'any' | number;

export interface AppendResult {
  readonly nextExpectedRevision: number;
  readonly lastPosition: number;
}

export interface EventStore {
  append(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult>;
  /** A stream's events in revision order; empty when the stream does not exist. */
  readStream(streamId: string): Promise<StoredEvent[]>;
  /** Up to `limit` events of the global feed after `afterPosition` (0 reads from the start). */
  readAll(afterPosition: number, limit: number): Promise<StoredEvent[]>;
  /** Resolves when the store answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EventStore');

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no-stream',
  ) {
    super(`stream revision conflict: expected ${expected}, found ${actual}`);
    this.name = 'WrongExpectedRevisionError';
  }
}
