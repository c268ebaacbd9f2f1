import {
  ANY,
  AppendExpectedRevision,
  AllStreamResolvedEvent,
  BACKWARDS,
  END,
  EventStoreDBClient,
  eventTypeFilter,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  JSONType,
  NO_STREAM,
  Position,
  RecordedEvent,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  AppendResult,
  EventStore,
  EventToAppend,
  EventTypes,
  ExpectedRevision,
  FeedSubscription,
  GlobalPosition,
  ReadStreamOptions,
  StoredEvent,
  StreamMetadata,
  SubscribeToAllOptions,
  WrongExpectedRevisionError,
} from './event-store.port';
import { DEFAULT_BATCH_SIZE, startFeedSubscription, WakeUp } from './feed-subscription';

/** `commit/prepare`, both decimal: the two bigints of an EventStoreDB log position. */
const ESDB_POSITION = /^(\d+)\/(\d+)$/;

/**
 * Our metadata lives under one custom key of the stream's metadata: EventStoreDB gives keys such as
 * `maxCount`, `maxAge` or `acl` a meaning (truncation, access), and a caller's key must never do that.
 */
const METADATA_KEY = 'crescent';

/** The event store on EventStoreDB, through its gRPC client. */
export class EventStoreDbEventStore implements EventStore {
  /** Public so a test can hand in a fake client; production code uses `connect`. */
  constructor(private readonly client: EventStoreDBClient) {}

  /** `esdb://host:2113?tls=false`, as in EVENTSTORE_URL. */
  static connect(connectionString: string): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString));
  }

  async append(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    try {
      const result = await this.client.appendToStream(
        streamId,
        events.map((event) =>
          jsonEvent({ id: event.id, type: event.type, data: event.data as JSONType, metadata: event.metadata }),
        ),
        { expectedRevision: toEsdbExpected(expected) },
      );
      return {
        nextExpectedRevision: Number(result.nextExpectedRevision),
        lastPosition: result.position ? encodePosition(result.position) : '',
      };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new WrongExpectedRevisionError(streamId, expected, fromEsdbActual(error.actualVersion));
      }
      throw error;
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    const fromRevision = BigInt(options.fromRevision ?? 0);
    try {
      for await (const resolved of this.client.readStream(streamId, { fromRevision, direction: FORWARDS })) {
        if (resolved.event) events.push(toStoredEvent(resolved.event));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  /** The client reads $all unfiltered (only a subscription filters on the server), so other types are skipped here. */
  async readAll(after: GlobalPosition | undefined, limit: number, eventTypes?: EventTypes): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    const wanted = wantedEvents(eventTypes);
    let from = after;
    // Pages go on past system events and unwanted types until `limit` of ours are found or $all ends.
    while (events.length < limit) {
      const page = await this.readAllPage(from, limit + 1, wanted);
      for (const event of page.events) {
        if (events.length < limit) events.push(event);
      }
      if (page.exhausted || page.lastPosition === undefined) break;
      from = page.lastPosition;
    }
    return events;
  }

  /** $all is in commit order: no event waits behind another's transaction. */
  async hasCommittedAfter(after: GlobalPosition | undefined, eventTypes?: EventTypes): Promise<boolean> {
    return (await this.readAll(after, 1, eventTypes)).length > 0;
  }

  subscribeToAll(options: SubscribeToAllOptions): FeedSubscription {
    return startFeedSubscription((stopping) => this.follow(options, stopping));
  }

  async setStreamMetadata(streamId: string, metadata: StreamMetadata): Promise<void> {
    await this.client.setStreamMetadata(streamId, { [METADATA_KEY]: metadata });
  }

  async getStreamMetadata(streamId: string): Promise<StreamMetadata | undefined> {
    const { metadata } = await this.client.getStreamMetadata(streamId);
    return metadata?.[METADATA_KEY] as StreamMetadata | undefined;
  }

  /** Reading the last event of $all proves the server answers and lets this client read the feed. */
  async ping(): Promise<void> {
    for await (const last of this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 })) void last;
  }

  close(): Promise<void> {
    return this.client.dispose();
  }

  /** One read of $all from `after` (inclusive on the server, so that event is dropped here). */
  private async readAllPage(
    after: GlobalPosition | undefined,
    maxCount: number,
    wanted: (event: RecordedEvent) => boolean,
  ): Promise<{ events: StoredEvent[]; lastPosition: GlobalPosition | undefined; exhausted: boolean }> {
    const events: StoredEvent[] = [];
    let lastPosition: GlobalPosition | undefined;
    let read = 0;
    const fromPosition = after === undefined ? START : decodePosition(after);
    for await (const resolved of this.client.readAll({ fromPosition, direction: FORWARDS, maxCount })) {
      read += 1;
      if (!resolved.event) continue;
      lastPosition = encodePosition(resolved.event.position);
      if (lastPosition !== after && wanted(resolved.event)) events.push(toStoredEvent(resolved.event));
    }
    return { events, lastPosition, exhausted: read < maxCount };
  }

  /**
   * The client's subscription pushes events as they come; they wait in a buffer of at most one batch
   * (the subscription is paused when it is full) until the handler has finished the previous batch.
   */
  private async follow(options: SubscribeToAllOptions, stopping: AbortSignal): Promise<void> {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const wanted = wantedEvents(options.eventTypes);
    const subscription = this.client.subscribeToAll({
      fromPosition: options.after === undefined ? START : decodePosition(options.after),
      filter: options.eventTypes === undefined ? excludeSystemEvents() : eventTypeFilter({ regex: `^(?:${options.eventTypes.map(escapeRegex).join('|')})$` }),
    });
    const buffer: StoredEvent[] = [];
    const news = new WakeUp();
    let failure: Error | undefined;
    subscription.on('data', (resolved: AllStreamResolvedEvent) => {
      if (resolved.event && wanted(resolved.event)) buffer.push(toStoredEvent(resolved.event));
      if (buffer.length >= batchSize) subscription.pause();
      news.ring();
    });
    subscription.on('error', (error) => {
      failure = error;
      news.ring();
    });
    subscription.on('end', () => {
      failure ??= new Error('the EventStoreDB subscription to $all ended');
      news.ring();
    });
    try {
      while (!stopping.aborted) {
        if (failure) throw failure;
        news.reset();
        if (buffer.length === 0) {
          await news.wait(stopping);
          continue;
        }
        const batch = buffer.splice(0, batchSize);
        subscription.resume();
        await options.onEvents(batch);
      }
    } finally {
      await subscription.unsubscribe().catch(() => undefined);
    }
  }
}

export function encodePosition(position: Position): GlobalPosition {
  return `${position.commit}/${position.prepare}`;
}

export function decodePosition(position: GlobalPosition): Position {
  const parts = ESDB_POSITION.exec(position);
  if (!parts) throw new Error(`not an EventStoreDB position: ${position}`);
  return { commit: BigInt(parts[1]), prepare: BigInt(parts[2]) };
}

function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'no-stream') return NO_STREAM;
  if (expected === 'any') return ANY;
  return BigInt(expected);
}

function fromEsdbActual(actual: unknown): number | 'no-stream' | undefined {
  if (typeof actual === 'bigint') return Number(actual);
  return actual === NO_STREAM ? 'no-stream' : undefined;
}

/** EventStoreDB's own events ($metadata, $>, $stats…) are not part of Crescent's feed; of the rest, only `eventTypes` when given. */
function wantedEvents(eventTypes: EventTypes): (event: RecordedEvent) => boolean {
  const types = eventTypes && new Set(eventTypes);
  return (event) => !event.type.startsWith('$') && !event.streamId.startsWith('$') && (types === undefined || types.has(event.type));
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function toStoredEvent(event: RecordedEvent): StoredEvent {
  if (!event.position) throw new Error(`event ${event.id} was read without its position in $all`);
  return {
    id: event.id,
    streamId: event.streamId,
    revision: Number(event.revision),
    position: encodePosition(event.position),
    type: event.type,
    data: event.isJson ? event.data : JSON.parse(Buffer.from(event.data).toString('utf8')),
    metadata: event.metadata,
    recordedAt: event.created.toISOString(),
  };
}
