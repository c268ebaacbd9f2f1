import {
  AllStreamResolvedEvent,
  AllStreamRecordedEvent,
  AppendToStreamOptions,
  EventStoreDBClient,
  NO_STREAM,
  Position,
  ReadAllOptions,
  SubscribeToAllOptions,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { PassThrough, Readable } from 'node:stream';
import { WrongExpectedRevisionError } from './event-store.port';
import { decodePosition, encodePosition, EventStoreDbEventStore } from './eventstoredb-event-store';
import { FeedRecorder, until } from './testing/event-store-conformance';

/**
 * EventStoreDB cannot run on these machines, so the adapter's own logic (positions, the strictly-after
 * read of $all past system events, error mapping, batching of the live subscription) is checked
 * here against a fake client; the conformance suite runs against a real server when EVENTSTORE_URL is set.
 */
function recorded(commit: number, streamId: string, type: string, n: number): AllStreamRecordedEvent {
  return {
    streamId,
    id: `00000000-0000-4000-8000-${String(commit).padStart(12, '0')}`,
    isJson: true,
    revision: 0n,
    type,
    created: new Date('2025-01-02T03:04:05Z'),
    data: { n },
    metadata: { schemaVersion: 1 },
    position: { commit: BigInt(commit), prepare: BigInt(commit) },
  };
}

const ALL: AllStreamRecordedEvent[] = [
  recorded(100, 'a', 'Numbered', 1),
  recorded(200, '$$a', '$metadata', 0),
  recorded(300, 'b', 'Kept', 2),
  recorded(400, '$stats-127.0.0.1:2113', '$statsCollected', 0),
  recorded(500, '$et-Numbered', '$>', 0),
  recorded(600, 'a', 'Numbered', 3),
  recorded(700, 'c', 'Kept', 4),
];

class FakeClient {
  readonly subscription = Object.assign(new PassThrough({ objectMode: true }), {
    unsubscribe: async () => undefined,
  });
  subscribedWith: SubscribeToAllOptions | undefined;

  /** Like the server: forwards from a position, that position's event included. */
  readAll(options: ReadAllOptions): Readable {
    const from = options.fromPosition;
    const start = typeof from === 'object' ? ALL.findIndex((event) => event.position.commit >= from.commit) : 0;
    const page = ALL.slice(start, start + Number(options.maxCount));
    return Readable.from(page.map((event): AllStreamResolvedEvent => ({ event })));
  }

  async appendToStream(streamName: string, _events: unknown, options: AppendToStreamOptions): Promise<never> {
    throw new WrongExpectedVersionError(undefined, { streamName, expected: options.expectedRevision ?? NO_STREAM, current: 3n });
  }

  subscribeToAll(options: SubscribeToAllOptions): unknown {
    this.subscribedWith = options;
    return this.subscription;
  }
}

function storeOn(client: FakeClient): EventStoreDbEventStore {
  return new EventStoreDbEventStore(client as unknown as EventStoreDBClient);
}

describe('the EventStoreDB adapter, against a fake client', () => {
  it('encodes a {commit, prepare} position as an opaque token and decodes it back exactly', () => {
    const position: Position = { commit: 18446744073709551615n, prepare: 42n };
    expect(encodePosition(position)).toBe('18446744073709551615/42');
    expect(decodePosition(encodePosition(position))).toEqual(position);
    expect(() => decodePosition('42')).toThrow('not an EventStoreDB position');
  });

  it('reads $all strictly after the given position, past system events, up to the limit', async () => {
    const store = storeOn(new FakeClient());

    const fromStart = await store.readAll(undefined, 10);
    expect(fromStart.map((event) => event.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    expect(fromStart[0]).toMatchObject({ streamId: 'a', position: '100/100', recordedAt: '2025-01-02T03:04:05.000Z' });
    expect((await store.readAll('300/300', 1)).map((event) => event.data)).toEqual([{ n: 3 }]);
    expect((await store.readAll('100/100', 2)).map((event) => event.data)).toEqual([{ n: 2 }, { n: 3 }]);
    expect(await store.readAll('700/700', 10)).toEqual([]);
  });

  it('reads only the event types asked for, paging on past the others', async () => {
    const store = storeOn(new FakeClient());

    expect((await store.readAll(undefined, 10, ['Kept'])).map((event) => event.data)).toEqual([{ n: 2 }, { n: 4 }]);
    expect((await store.readAll('300/300', 1, ['Kept'])).map((event) => event.position)).toEqual(['700/700']);
    expect(await store.readAll(undefined, 10, ['$metadata', 'Numbered.'])).toEqual([]);
  });

  it('turns a wrong expected version into a WrongExpectedRevisionError carrying the actual revision', async () => {
    const appending = storeOn(new FakeClient()).append('a', [], 1);
    await expect(appending).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    await expect(appending).rejects.toMatchObject({ streamId: 'a', expected: 1, actual: 3 });
  });

  it('subscribes after the given position without system events, and hands over batches one after another', async () => {
    const client = new FakeClient();
    const recorder = new FeedRecorder();
    const subscription = storeOn(client).subscribeToAll({ after: '100/100', batchSize: 2, onEvents: recorder.onEvents });

    expect(client.subscribedWith?.fromPosition).toEqual({ commit: 100n, prepare: 100n });
    expect(client.subscribedWith?.filter).toMatchObject({ filterOn: 'eventType', regex: '^[^$].*' });
    for (const event of ALL.slice(1)) client.subscription.write({ event });
    await until('the three events after the position', () => recorder.events.length === 3);
    await subscription.stop();

    expect(recorder.events.map((event) => event.data)).toEqual([{ n: 2 }, { n: 3 }, { n: 4 }]);
    expect(Math.max(...recorder.batchSizes)).toBeLessThanOrEqual(2);
    expect(recorder.overlapped).toBe(false);
  });

  it('subscribes to the event types asked for with a server-side filter of exactly those names, and drops any other it is sent', async () => {
    const client = new FakeClient();
    const recorder = new FeedRecorder();
    const subscription = storeOn(client).subscribeToAll({ eventTypes: ['Kept', 'A.B+'], onEvents: recorder.onEvents });

    expect(client.subscribedWith?.filter).toMatchObject({ filterOn: 'eventType', regex: '^(?:Kept|A\\.B\\+)$' });
    for (const event of ALL) client.subscription.write({ event });
    await until('the two events of the type', () => recorder.events.length === 2);
    await subscription.stop();

    expect(recorder.events.map((event) => event.data)).toEqual([{ n: 2 }, { n: 4 }]);
  });

  it('rejects done when the server drops the subscription', async () => {
    const client = new FakeClient();
    const subscription = storeOn(client).subscribeToAll({ onEvents: async () => undefined });
    client.subscription.destroy(new Error('connection reset'));

    await expect(subscription.done).rejects.toThrow('connection reset');
  });
});
