/** What a writer hands the store: one domain event, serialised as plain JSON values. */
export interface EventToAppend {
  /** A UUID: the idempotency key downstream, and EventStoreDB's event id. */
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
}

/**
 * A place in the global feed, opaque to callers: store it, hand it back, never compare or do
 * arithmetic on it. SQL stores use the decimal row position; EventStoreDB encodes its
 * {commit, prepare} pair. `undefined` means "before the first event".
 */
export type GlobalPosition = string;

/** An event as the store holds it: its place in its stream and in the global feed. */
export interface StoredEvent extends EventToAppend {
  readonly streamId: string;
  /** 0 for a stream's first event. */
  readonly revision: number;
  /** Where this event sits in the global feed; reading after it returns the events that follow. */
  readonly position: GlobalPosition;
  readonly recordedAt: string;
}

/** `no-stream`: the stream must not exist yet; a number: the revision of the stream's last event. */
export type ExpectedRevision = 'no-stream' | 'any' | number;

export interface AppendResult {
  readonly nextExpectedRevision: number;
  readonly lastPosition: GlobalPosition;
}

export interface ReadStreamOptions {
  /** Skip what the reader already holds: a writer catching up after a conflict reads only the new events. */
  readonly fromRevision?: number;
}

/** A JSON object kept beside a stream (not in it, nor in the global feed). */
export type StreamMetadata = Record<string, unknown>;

/**
 * The event types a reader of the feed wants; the others are skipped by the store. Undefined: every
 * event. Positions stay those of the whole feed: a reader hands back the last one it was given.
 */
export type EventTypes = readonly string[] | undefined;

export interface SubscribeToAllOptions {
  /** Deliver the events after this position; undefined delivers the feed from its start. */
  readonly after?: GlobalPosition;
  /** Deliver only events of these types (see `EventTypes`). */
  readonly eventTypes?: EventTypes;
  /** The most events handed over in one call; default 100. */
  readonly batchSize?: number;
  /**
   * Receives the feed in order, one batch at a time: the next call waits until this one resolves.
   * A rejection ends the subscription (see `done`).
   */
  readonly onEvents: (events: StoredEvent[]) => Promise<void>;
}

/** A running subscription to the global feed: it catches up from its start, then follows live appends. */
export interface FeedSubscription {
  /** Stops delivering (a batch in hand is finished first); resolves, or rejects as `done` does. */
  stop(): Promise<void>;
  /** Resolves once stopped; rejects with the cause when the store or `onEvents` failed. */
  readonly done: Promise<void>;
}

export interface EventStore {
  append(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult>;
  /** A stream's events in revision order (from `fromRevision`, default 0); empty when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /** Up to `limit` events of the global feed strictly after `after` (undefined reads from the start), only of `eventTypes` when given. */
  readAll(after: GlobalPosition | undefined, limit: number, eventTypes?: EventTypes): Promise<StoredEvent[]>;
  /**
   * Whether an event (of `eventTypes` when given) has committed after `after`: one `readAll` returns
   * now, or one it returns once the older transactions that hold it back end. A reader that has read
   * to the end is caught up with every commit before the call only when this says false.
   */
  hasCommittedAfter(after: GlobalPosition | undefined, eventTypes?: EventTypes): Promise<boolean>;
  subscribeToAll(options: SubscribeToAllOptions): FeedSubscription;
  /** Replaces the stream's metadata. */
  setStreamMetadata(streamId: string, metadata: StreamMetadata): Promise<void>;
  /** The stream's metadata as last set; undefined when never set. */
  getStreamMetadata(streamId: string): Promise<StreamMetadata | undefined>;
  /** Resolves when the store answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EventStore');

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** Undefined when the store does not say. */
    readonly actual: number | 'no-stream' | undefined,
  ) {
    super(`stream revision conflict: expected ${expected}, found ${actual ?? 'another revision'}`);
    this.name = 'WrongExpectedRevisionError';
  }
}
