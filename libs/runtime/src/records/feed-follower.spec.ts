import { randomUUID } from 'node:crypto';
import { EVENT_STORE_MIGRATIONS, EventStore, SqlEventStore, StoredEvent } from '@crescent/event-store';
import { eventually, openTestDatabase } from '@crescent/test-support';
import { FeedFollower } from './feed-follower';

/** Appends one event of `type` to its own stream; answers its id. */
async function append(store: EventStore, type: string): Promise<string> {
  const id = randomUUID();
  await store.append(`test-${id}`, [{ id, type, data: {}, metadata: {} }], 'no-stream');
  return id;
}

describe('a feed follower', () => {
  let store: EventStore;
  let follower: FeedFollower | undefined;

  beforeEach(async () => {
    store = await SqlEventStore.create(await openTestDatabase('sqlite', EVENT_STORE_MIGRATIONS));
  });

  afterEach(async () => {
    await follower?.close();
    follower = undefined;
    await store.close();
  });

  it('has taken every event of its types after its start when it starts (several pages of them), in feed order, then what the feed brings', async () => {
    const wanted: string[] = [];
    // 1,200 events of the type followed, more than two of the follower's pages, between others.
    for (let n = 0; n < 1200; n++) {
      wanted.push(await append(store, 'Wanted'));
      if (n % 100 === 0) await append(store, 'Other');
    }
    const taken: StoredEvent[] = [];
    follower = await FeedFollower.start(store, { name: 'test', after: undefined, eventTypes: ['Wanted'], onEvents: async (events) => void taken.push(...events) });
    expect(taken.map((event) => event.id)).toEqual(wanted);
    expect(follower.position).toBe(taken[taken.length - 1].position);

    const live = await append(store, 'Wanted');
    await append(store, 'Other');
    await eventually('the live event', async () => (taken.length === wanted.length + 1 ? true : undefined));
    expect(taken[taken.length - 1].id).toBe(live);
  });

  it('starts after `after`, and takes nothing more once closed', async () => {
    await append(store, 'Wanted');
    const [first] = await store.readAll(undefined, 1);
    const second = await append(store, 'Wanted');
    const taken: string[] = [];
    follower = await FeedFollower.start(store, { name: 'test', after: first.position, eventTypes: undefined, onEvents: async (events) => void taken.push(...events.map((event) => event.id)) });
    expect(taken).toEqual([second]);
    await follower.close();
    await append(store, 'Wanted');
    // A live subscription polls well within this: a follower still open would have taken the event.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(taken).toEqual([second]);
  });

  it('takes a live batch again when taking it failed, resuming where it stood, and does not move past it meanwhile', async () => {
    const taken: string[] = [];
    let failures = 0;
    follower = await FeedFollower.start(store, {
      name: 'test',
      after: undefined,
      eventTypes: undefined,
      onEvents: async (events) => {
        if (failures === 0) {
          failures++;
          throw new Error('the database is down');
        }
        taken.push(...events.map((event) => event.id));
      },
    });
    const id = await append(store, 'Wanted');
    await eventually('the failed batch, taken again', async () => (taken.length > 0 ? true : undefined));
    expect(failures).toBe(1);
    expect(taken).toEqual([id]);
    const [stored] = await store.readAll(undefined, 1);
    expect(follower.position).toBe(stored.position);
  });
});
