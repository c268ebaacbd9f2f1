import { openTestDatabase, TestDialect, uniqueName } from '@crescent/test-support';
import { EventStore, EventToAppend, WrongExpectedRevisionError } from './event-store.port';
import { SqlEventStore } from './sql-event-store';

function anEvent(n: number): EventToAppend {
  return { id: uniqueName('evt'), type: 'Numbered', data: { n, text: 'ñandú 🦤' }, metadata: { schemaVersion: 1 } };
}

describe.each<TestDialect>(['postgres', 'sqlite'])('the %s event store', (dialect) => {
  let store: EventStore;

  beforeEach(async () => {
    store = await SqlEventStore.create(await openTestDatabase(dialect));
  });

  afterEach(() => store.close());

  it('reads back what it appended, in revision order, with data and metadata intact', async () => {
    const events = [anEvent(1), anEvent(2), anEvent(3)];
    const result = await store.append('s-1', events, 'no-stream');

    const read = await store.readStream('s-1');
    expect(result.nextExpectedRevision).toBe(2);
    expect(read.map(({ id, type, data, metadata }) => ({ id, type, data, metadata }))).toEqual(events);
    expect(read.map((event) => event.revision)).toEqual([0, 1, 2]);
    expect(read.every((event) => event.streamId === 's-1' && !Number.isNaN(Date.parse(event.recordedAt)))).toBe(true);
  });

  it('returns an empty stream for one never written', async () => {
    expect(await store.readStream('never-written')).toEqual([]);
  });

  it('appends at the expected revision and refuses a stale one as a conflict, writing nothing', async () => {
    await store.append('s-2', [anEvent(1)], 'no-stream');
    await store.append('s-2', [anEvent(2)], 0);

    await expect(store.append('s-2', [anEvent(3)], 0)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    await expect(store.append('s-2', [anEvent(3)], 'no-stream')).rejects.toMatchObject({ actual: 1, expected: 'no-stream' });
    await expect(store.append('s-3', [anEvent(3)], 4)).rejects.toMatchObject({ actual: 'no-stream' });
    expect((await store.readStream('s-2')).map((event) => event.data)).toEqual([anEvent(1).data, anEvent(2).data]);
    expect(await store.readStream('s-3')).toEqual([]);
  });

  it("appends at 'any' revision whether or not the stream exists", async () => {
    await store.append('s-4', [anEvent(1)], 'any');
    await store.append('s-4', [anEvent(2)], 'any');
    expect(await store.readStream('s-4')).toHaveLength(2);
  });

  it('reads the global feed across streams in append order, after a position and up to a limit', async () => {
    await store.append('a', [anEvent(1), anEvent(2)], 'no-stream');
    await store.append('b', [anEvent(3)], 'no-stream');
    await store.append('a', [anEvent(4)], 1);

    const all = await store.readAll(0, 100);
    expect(all.map((event) => (event.data as { n: number }).n)).toEqual([1, 2, 3, 4]);
    expect(all.map((event) => event.position)).toEqual([...all.map((event) => event.position)].sort((x, y) => x - y));
    const rest = await store.readAll(all[1].position, 1);
    expect(rest.map((event) => (event.data as { n: number }).n)).toEqual([3]);
  });

  it('keeps every event exactly once when writers race for one stream, and reports each loser as a conflict', async () => {
    const writers = 4;
    const appendsEach = 10;
    let conflicts = 0;
    const writer = async (): Promise<void> => {
      for (let done = 0; done < appendsEach; ) {
        const current = (await store.readStream('race')).length - 1;
        try {
          await store.append('race', [anEvent(done)], current < 0 ? 'no-stream' : current);
          done += 1;
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError)) throw error;
          conflicts += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: writers }, writer));

    const stream = await store.readStream('race');
    expect(stream.map((event) => event.revision)).toEqual(Array.from({ length: writers * appendsEach }, (_, i) => i));
    const feed = await store.readAll(0, 1000);
    expect(feed).toHaveLength(writers * appendsEach);
    process.stdout.write(`${dialect}: ${writers} writers x ${appendsEach} appends, ${conflicts} conflicts reported\n`);
  });
});
