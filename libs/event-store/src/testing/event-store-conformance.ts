import { randomUUID } from 'node:crypto';
import {
  EventStore,
  EventToAppend,
  FeedSubscription,
  GlobalPosition,
  StoredEvent,
  SubscribeToAllOptions,
  WrongExpectedRevisionError,
} from '../event-store.port';

/** A numbered test event; `n` is what the assertions follow through the store. */
export function numberedEvent(n: number, text = 'ñandú 🦤'): EventToAppend {
  return { id: randomUUID(), type: 'Numbered', data: { n, text }, metadata: { schemaVersion: 1, correlationId: `c-${n}` } };
}

/** A numbered test event of another type than `Numbered`. */
export function typed(type: string, n: number): EventToAppend {
  return { ...numberedEvent(n), type };
}

export function numbersOf(events: readonly StoredEvent[]): number[] {
  return events.map((event) => (event.data as { n: number }).n);
}

/** Waits until `condition` holds, or fails naming what it waited for. */
export async function until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The global feed from its start, page by page. */
export async function readWholeFeed(store: EventStore, pageSize = 500): Promise<StoredEvent[]> {
  const feed: StoredEvent[] = [];
  for (let page = await store.readAll(undefined, pageSize); page.length > 0; page = await store.readAll(page[page.length - 1].position, pageSize)) {
    feed.push(...page);
  }
  return feed;
}

/** The subscriptions a test started, so each is stopped before its store closes, even when the test fails half-way. */
export class RunningSubscriptions {
  private running: FeedSubscription[] = [];

  start(store: EventStore, options: SubscribeToAllOptions): FeedSubscription {
    const subscription = store.subscribeToAll(options);
    // Tests that expect a failure await `done` themselves; this only keeps it from counting as unhandled meanwhile.
    subscription.done.catch(() => undefined);
    this.running.push(subscription);
    return subscription;
  }

  async stopAll(): Promise<void> {
    for (const subscription of this.running.splice(0)) await subscription.stop().catch(() => undefined);
  }
}

/** A subscriber that keeps what it was handed, and checks batches never overlap. */
export class FeedRecorder {
  readonly events: StoredEvent[] = [];
  readonly batchSizes: number[] = [];
  overlapped = false;
  private busy = false;

  constructor(private readonly keep: (event: StoredEvent) => boolean = () => true) {}

  readonly onEvents = async (events: StoredEvent[]): Promise<void> => {
    if (this.busy) this.overlapped = true;
    this.busy = true;
    // A turn of the event loop inside the handler, so an overlapping delivery would be caught.
    await new Promise((resolve) => setImmediate(resolve));
    this.batchSizes.push(events.length);
    this.events.push(...events.filter(this.keep));
    this.busy = false;
  };

  get lastPosition(): GlobalPosition | undefined {
    return this.events[this.events.length - 1]?.position;
  }
}

/**
 * The behaviour every EventStore adapter must show, declared as jest cases against `openStore`.
 * A store may hold other events already (EventStoreDB is a shared server), so each case writes to
 * streams of its own and reads the feed after a marker event it appended first.
 */
export function describeEventStoreConformance(name: string, openStore: () => Promise<EventStore>): void {
  let cases = 0;
  const conformance = (title: string, test: () => Promise<void>): void => {
    cases += 1;
    it(title, test);
  };

  describe(`the ${name} event store`, () => {
    let store: EventStore;
    const running = new RunningSubscriptions();
    const stream = (label: string): string => `${label}-${randomUUID()}`;
    const subscribe = (options: SubscribeToAllOptions): FeedSubscription => running.start(store, options);
    /** The feed position just before this case's own events. */
    const markFeed = async (): Promise<GlobalPosition> =>
      (await store.append(stream('marker'), [numberedEvent(-1)], 'no-stream')).lastPosition;

    beforeAll(() => {
      process.stdout.write(`${name}: ${cases} conformance cases\n`);
    });

    beforeEach(async () => {
      store = await openStore();
    });

    afterEach(async () => {
      await running.stopAll();
      await store.close();
    });

    conformance('reads back what it appended, in revision order, with ids, data and metadata intact', async () => {
      const id = stream('order');
      const events = [numberedEvent(1), numberedEvent(2), numberedEvent(3)];
      const result = await store.append(id, events, 'no-stream');

      const read = await store.readStream(id);
      expect(result.nextExpectedRevision).toBe(2);
      expect(read.map(({ id: eventId, type, data, metadata }) => ({ id: eventId, type, data, metadata }))).toEqual(events);
      expect(read.map((event) => event.revision)).toEqual([0, 1, 2]);
      expect(read.every((event) => event.streamId === id && !Number.isNaN(Date.parse(event.recordedAt)))).toBe(true);
      expect(read[2].position).toBe(result.lastPosition);
    });

    conformance('numbers revisions on from the last append and reports the next expected revision', async () => {
      const id = stream('numbering');
      expect((await store.append(id, [numberedEvent(1)], 'no-stream')).nextExpectedRevision).toBe(0);
      expect((await store.append(id, [numberedEvent(2), numberedEvent(3)], 0)).nextExpectedRevision).toBe(2);
      expect((await store.append(id, [numberedEvent(4)], 'any')).nextExpectedRevision).toBe(3);

      expect((await store.readStream(id)).map((event) => event.revision)).toEqual([0, 1, 2, 3]);
    });

    conformance("refuses 'no-stream' for a stream that exists, writing nothing", async () => {
      const id = stream('exists');
      await store.append(id, [numberedEvent(1), numberedEvent(2)], 'no-stream');

      const conflict = store.append(id, [numberedEvent(3)], 'no-stream');
      await expect(conflict).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(conflict).rejects.toMatchObject({ streamId: id, expected: 'no-stream', actual: 1 });
      expect(numbersOf(await store.readStream(id))).toEqual([1, 2]);
    });

    conformance('refuses a stale revision, writing nothing', async () => {
      const id = stream('stale');
      await store.append(id, [numberedEvent(1)], 'no-stream');
      await store.append(id, [numberedEvent(2)], 0);

      const conflict = store.append(id, [numberedEvent(3), numberedEvent(4)], 0);
      await expect(conflict).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(conflict).rejects.toMatchObject({ expected: 0, actual: 1 });
      expect(numbersOf(await store.readStream(id))).toEqual([1, 2]);
    });

    conformance('refuses a revision for a stream that does not exist, creating nothing', async () => {
      const id = stream('missing');
      const conflict = store.append(id, [numberedEvent(1)], 4);
      await expect(conflict).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(conflict).rejects.toMatchObject({ expected: 4, actual: 'no-stream' });
      expect(await store.readStream(id)).toEqual([]);
    });

    conformance("appends at 'any' revision whether or not the stream exists", async () => {
      const id = stream('any');
      await store.append(id, [numberedEvent(1)], 'any');
      await store.append(id, [numberedEvent(2)], 'any');
      expect(numbersOf(await store.readStream(id))).toEqual([1, 2]);
    });

    conformance('reads a stream from a given revision on', async () => {
      const id = stream('from-revision');
      await store.append(id, [1, 2, 3, 4].map((n) => numberedEvent(n)), 'no-stream');

      expect(numbersOf(await store.readStream(id, { fromRevision: 2 }))).toEqual([3, 4]);
      expect(await store.readStream(id, { fromRevision: 4 })).toEqual([]);
    });

    conformance('reads an empty stream for one never written', async () => {
      expect(await store.readStream(stream('never-written'))).toEqual([]);
    });

    conformance('keeps unicode text exactly: accents, emoji, right-to-left, combining marks, escapes', async () => {
      const id = stream('unicode');
      const texts = ['ñandú 🦤', 'שָׁלוֹם عليكم', 'e\u0301 vs é', 'tab\tquote"backslash\\nul\u0000', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👩🏽‍⚖️'];
      await store.append(id, texts.map((text, n) => numberedEvent(n, text)), 'no-stream');

      const read = await store.readStream(id);
      expect(read.map((event) => (event.data as { text: string }).text)).toEqual(texts);
    });

    conformance('reads the global feed across streams in append order, after a position and up to a limit', async () => {
      const start = await markFeed();
      const [a, b] = [stream('a'), stream('b')];
      await store.append(a, [numberedEvent(1), numberedEvent(2)], 'no-stream');
      await store.append(b, [numberedEvent(3)], 'no-stream');
      await store.append(a, [numberedEvent(4)], 1);

      const all = await store.readAll(start, 100);
      expect(numbersOf(all)).toEqual([1, 2, 3, 4]);
      expect(all.map((event) => event.streamId)).toEqual([a, a, b, a]);
      expect(numbersOf(await store.readAll(all[1].position, 1))).toEqual([3]);
      expect(numbersOf(await store.readAll(all[0].position, 2))).toEqual([2, 3]);
      expect(await store.readAll(all[3].position, 10)).toEqual([]);
    });

    conformance('tells whether an event, of the types asked for when given, has committed after a position', async () => {
      const start = await markFeed();
      await store.append(stream('committed-after'), [numberedEvent(1), typed('Kept', 2), numberedEvent(3)], 'no-stream');
      const [first, kept, last] = await store.readAll(start, 10);

      expect(await store.hasCommittedAfter(start)).toBe(true);
      expect(await store.hasCommittedAfter(kept.position)).toBe(true);
      expect(await store.hasCommittedAfter(last.position)).toBe(false);
      expect(await store.hasCommittedAfter(first.position, ['Kept'])).toBe(true);
      expect(await store.hasCommittedAfter(kept.position, ['Kept'])).toBe(false);
      expect(await store.hasCommittedAfter(start, [])).toBe(false);
    });

    conformance('reads the whole feed from its start when no position is given', async () => {
      const id = stream('from-start');
      await store.append(id, [numberedEvent(1), numberedEvent(2)], 'no-stream');

      const fromStart = await readWholeFeed(store, 50);
      expect(numbersOf(fromStart.filter((event) => event.streamId === id))).toEqual([1, 2]);
    });

    conformance('reads only the event types asked for, in feed order, at the positions of the whole feed', async () => {
      const start = await markFeed();
      const [a, b] = [stream('typed-a'), stream('typed-b')];
      await store.append(a, [numberedEvent(1), typed('Kept', 2), typed('AlsoKept', 3)], 'no-stream');
      await store.append(b, [typed('Kept', 4), typed('KeptLater', 5)], 'no-stream');
      await store.append(a, [numberedEvent(6), typed('Kept', 7)], 2);
      const wanted = ['Kept', 'AlsoKept'];

      const all = await store.readAll(start, 100);
      const kept = await store.readAll(start, 100, wanted);
      expect(numbersOf(kept)).toEqual([2, 3, 4, 7]);
      expect(kept).toEqual(all.filter((event) => wanted.includes(event.type)));
      expect(numbersOf(await store.readAll(kept[1].position, 1, wanted))).toEqual([4]);
      expect(numbersOf(await store.readAll(all[0].position, 2, wanted))).toEqual([2, 3]);
      expect(numbersOf(await store.readAll(kept[0].position, 10, ['AlsoKept']))).toEqual([3]);
      // A position of an event of another type is a place in the feed like any other.
      expect(numbersOf(await store.readAll(all[4].position, 10, wanted))).toEqual([7]);
      expect(await store.readAll(kept[3].position, 10, wanted)).toEqual([]);
      expect(await store.readAll(start, 10, [])).toEqual([]);
      // A name is matched as it is, whatever it holds.
      const odd = `Odd'"$[0]%_.*`;
      await store.append(b, [typed(odd, 8)], 1);
      expect(numbersOf(await store.readAll(start, 10, [odd, 'Kept']))).toEqual([2, 4, 7, 8]);
      expect(await store.readAll(start, 10, ['Odd%'])).toEqual([]);
    });

    conformance('delivers only the event types asked for to a subscriber, before and after it caught up, and resumes', async () => {
      const start = await markFeed();
      const id = stream('typed-live');
      await store.append(id, [typed('Kept', 1), numberedEvent(2), typed('KeptLater', 3), typed('Kept', 4)], 'no-stream');
      const recorder = new FeedRecorder();
      const subscription = subscribe({ after: start, batchSize: 1, eventTypes: ['Kept'], onEvents: recorder.onEvents });
      await until('the events written before subscribing', () => recorder.events.length >= 2);

      await store.append(id, [numberedEvent(5), typed('Kept', 6)], 3);
      await until('the live event', () => recorder.events.length >= 3);
      await subscription.stop();
      await store.append(id, [typed('KeptLater', 7), typed('Kept', 8)], 5);
      const resumed = new FeedRecorder();
      subscribe({ after: recorder.lastPosition, eventTypes: ['Kept'], onEvents: resumed.onEvents });
      await until('the event appended while stopped', () => resumed.events.length >= 1);
      await store.append(id, [typed('Kept', 9)], 7);
      await until('the live event after resuming', () => resumed.events.length >= 2);

      expect(numbersOf(recorder.events)).toEqual([1, 4, 6]);
      expect(numbersOf(resumed.events)).toEqual([8, 9]);
      expect([...recorder.events, ...resumed.events].every((event) => event.type === 'Kept')).toBe(true);
      expect(Math.max(...recorder.batchSizes)).toBe(1);
    });

    conformance('delivers the feed to a subscriber: first what was there, then live appends, in order, in batches', async () => {
      const start = await markFeed();
      const id = stream('live');
      await store.append(id, [1, 2, 3, 4, 5].map((n) => numberedEvent(n)), 'no-stream');
      const recorder = new FeedRecorder();
      subscribe({ after: start, batchSize: 2, onEvents: recorder.onEvents });
      await until('the events written before subscribing', () => recorder.events.length >= 5);

      await store.append(id, [numberedEvent(6)], 4);
      await store.append(stream('live-other'), [numberedEvent(7), numberedEvent(8)], 'no-stream');
      await until('the live events', () => recorder.events.length >= 8);

      expect(numbersOf(recorder.events)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(Math.max(...recorder.batchSizes)).toBeLessThanOrEqual(2);
      expect(recorder.overlapped).toBe(false);
    });

    conformance('resumes a stopped subscriber from its last delivered position: every event exactly once, in order', async () => {
      const start = await markFeed();
      const id = stream('resume');
      await store.append(id, [1, 2, 3].map((n) => numberedEvent(n)), 'no-stream');
      const first = new FeedRecorder();
      const subscription = subscribe({ after: start, onEvents: first.onEvents });
      await until('the first three events', () => first.events.length >= 3);
      await subscription.stop();

      await store.append(id, [4, 5].map((n) => numberedEvent(n)), 2);
      const second = new FeedRecorder();
      subscribe({ after: first.lastPosition, onEvents: second.onEvents });
      await until('the events appended while stopped', () => second.events.length >= 2);
      await store.append(id, [numberedEvent(6)], 4);
      await until('the live event after resuming', () => second.events.length >= 3);

      expect(numbersOf([...first.events, ...second.events])).toEqual([1, 2, 3, 4, 5, 6]);
    });

    conformance('stops delivering once stopped, and resolves done', async () => {
      const start = await markFeed();
      const recorder = new FeedRecorder();
      const subscription = subscribe({ after: start, onEvents: recorder.onEvents });
      await store.append(stream('stop'), [numberedEvent(1)], 'no-stream');
      await until('the first event', () => recorder.events.length === 1);

      await subscription.stop();
      await store.append(stream('stop'), [numberedEvent(2)], 'no-stream');
      await new Promise((resolve) => setTimeout(resolve, 300));

      await expect(subscription.done).resolves.toBeUndefined();
      expect(numbersOf(recorder.events)).toEqual([1]);
    });

    conformance('rejects done with the handler failure and delivers nothing after it', async () => {
      const start = await markFeed();
      const failure = new Error('projection failed');
      let calls = 0;
      const subscription = subscribe({
        after: start,
        batchSize: 1,
        onEvents: async () => {
          calls += 1;
          throw failure;
        },
      });
      await store.append(stream('fail'), [numberedEvent(1), numberedEvent(2)], 'no-stream');

      await expect(subscription.done).rejects.toBe(failure);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(calls).toBe(1);
    });

    conformance('keeps a JSON object as stream metadata, replaced by the next one, apart from the events', async () => {
      const id = stream('meta');
      await store.append(id, [numberedEvent(1)], 'no-stream');
      expect(await store.getStreamMetadata(id)).toBeUndefined();

      await store.setStreamMetadata(id, { sealed: false, retention: { years: 7 }, note: 'ñandú' });
      expect(await store.getStreamMetadata(id)).toEqual({ sealed: false, retention: { years: 7 }, note: 'ñandú' });
      await store.setStreamMetadata(id, { sealed: true, maxCount: 1 });

      expect(await store.getStreamMetadata(id)).toEqual({ sealed: true, maxCount: 1 });
      expect(await store.getStreamMetadata(stream('meta-other'))).toBeUndefined();
      expect(numbersOf(await store.readStream(id))).toEqual([1]);
    });
  });
}
