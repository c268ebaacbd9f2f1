import { setTimeout as sleep } from 'node:timers/promises';
import { EVENT_STORE_MIGRATIONS, EventStore, SqlEventStore } from '@crescent/event-store';
import { DIRECTORY_EVENT_TYPES } from '@crescent/policy';
import { openTestDatabase } from '@crescent/test-support';
import { writeRecord } from '../records/write-record';
import { Module } from '@nestjs/common';
import { AgencyDirectory, agencyDirectoryUsedBy, sha256Hex, UsesAgencyDirectory } from './agency-directory';
import { ADMIN_ACTOR } from './demo-directory';

/** How late the directory's feed subscription hands over each page here: a feed that lags the admin API's answer. */
const FEED_LAG_MS = 300;

/** The store as it is, but for its live feed, which hands each page over FEED_LAG_MS late. */
function lagging(store: EventStore): EventStore {
  return Object.assign(Object.create(store) as EventStore, {
    subscribeToAll: (options: Parameters<EventStore['subscribeToAll']>[0]) =>
      store.subscribeToAll({ ...options, onEvents: async (events) => (await sleep(FEED_LAG_MS), options.onEvents(events)) }),
  });
}

const register = (store: EventStore, agencyId: string, token: string) =>
  writeRecord(
    store,
    'agency',
    agencyId,
    {
      type: 'RegisterAgency',
      data: { agencyId, name: `Agency ${agencyId}`, kind: 'local-law-enforcement', jurisdiction: [], credentialSha256: sha256Hex(token) },
      metadata: { ...ADMIN_ACTOR, now: new Date().toISOString(), correlationId: 'directory-spec' },
    },
    0,
  );

describe('the agency directory authenticating a credential', () => {
  let directory: AgencyDirectory;
  let store: EventStore;

  beforeEach(async () => {
    store = lagging(await SqlEventStore.create(await openTestDatabase('sqlite', EVENT_STORE_MIGRATIONS)));
    directory = await AgencyDirectory.open(store, DIRECTORY_EVENT_TYPES);
  });

  afterEach(() => directory.close());

  it('accepts a credential the moment its registration is stored, though the feed has not brought it yet', async () => {
    await register(store, 'just-registered', 'token-just-issued');
    // The lagging feed has not applied the registration yet: the directory's state does not know the agency.
    expect(directory.find('just-registered')).toBeUndefined();
    expect(await directory.authenticate('token-just-issued')).toMatchObject({ id: 'just-registered' });
  });

  it('answers from what it holds when the feed cannot be read: the known credential works, an unknown one is refused', async () => {
    await register(store, 'known', 'the-known-token');
    expect(await directory.authenticate('the-known-token')).toMatchObject({ id: 'known' });
    const down = () => Promise.reject(new Error('the database is down'));
    Object.assign(store, { readAll: down, hasCommittedAfter: down });
    await expect(directory.authenticate('a-token-never-issued')).resolves.toBeUndefined();
    await expect(directory.authenticate('the-known-token')).resolves.toMatchObject({ id: 'known' });
  });

  it('refuses a credential nobody was issued, once it has caught up with the feed', async () => {
    await register(store, 'registered', 'the-real-token');
    expect(await directory.authenticate('a-guessed-token')).toBeUndefined();
    expect(directory.find('registered')).toMatchObject({ id: 'registered' });
  });
});

describe("what an app's agency directory folds", () => {
  @UsesAgencyDirectory(['AgencyRegistered', 'ConsentRecorded'])
  @Module({})
  class Consents {}
  @UsesAgencyDirectory(['AgencyRegistered', 'SubscriptionCreated'])
  @Module({})
  class Subscriptions {}
  @UsesAgencyDirectory('whole feed')
  @Module({})
  class Previews {}
  @Module({})
  class Relaying {}

  it('is every event type its features declared, the whole feed when one needs it, and nothing when none serves agencies', () => {
    expect(agencyDirectoryUsedBy([Consents, Relaying, Subscriptions])).toEqual(['AgencyRegistered', 'ConsentRecorded', 'SubscriptionCreated']);
    expect(agencyDirectoryUsedBy([Consents, Previews])).toBe('whole feed');
    expect(agencyDirectoryUsedBy([Relaying])).toBeUndefined();
  });

  it('asks the store for the event types it folds, at start and live', async () => {
    const store = await SqlEventStore.create(await openTestDatabase('sqlite', EVENT_STORE_MIGRATIONS));
    await register(store, 'registered', 'the-real-token');
    const asked: (readonly string[] | undefined)[] = [];
    const watched = Object.assign(Object.create(store) as EventStore, {
      readAll: (...args: Parameters<EventStore['readAll']>) => (asked.push(args[2]), store.readAll(...args)),
      subscribeToAll: (options: Parameters<EventStore['subscribeToAll']>[0]) => (asked.push(options.eventTypes), store.subscribeToAll(options)),
    });
    const directory = await AgencyDirectory.open(watched, DIRECTORY_EVENT_TYPES);
    await directory.close();

    expect(directory.find('registered')).toMatchObject({ id: 'registered' });
    // Its reads of the feed at start, and its subscription.
    expect(asked.length).toBeGreaterThanOrEqual(2);
    expect(asked.every((types) => types === DIRECTORY_EVENT_TYPES)).toBe(true);
  });
});
