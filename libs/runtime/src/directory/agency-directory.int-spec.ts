import { setTimeout as sleep } from 'node:timers/promises';
import { EVENT_STORE_MIGRATIONS, SqlEventStore } from '@crescent/event-store';
import { DIRECTORY_EVENT_TYPES } from '@crescent/policy';
import { feedHeldBack, newTestDatabase } from '@crescent/test-support';
import { AgencyDirectory } from './agency-directory';
import { DEMO_AGENCIES, seedDemo } from './demo-directory';

/**
 * On PostgreSQL the feed holds back what commits while an older transaction, of any session on the
 * server, is still open. A credential the admin API has just issued may be held back so: the
 * directory must wait for it, not refuse it because the feed it can read shows nothing new.
 */
describe('the agency directory on PostgreSQL, while an older transaction holds the feed back', () => {
  const [hsi] = DEMO_AGENCIES;

  it('accepts a credential whose registration committed behind the open transaction, once that ends', async () => {
    const database = newTestDatabase('postgres', EVENT_STORE_MIGRATIONS);
    const store = await SqlEventStore.create(await database.open());
    const other = await database.open();
    const directory = await AgencyDirectory.open(store, DIRECTORY_EVENT_TYPES);
    try {
      const held = await feedHeldBack(other);
      await seedDemo(store);
      expect(await store.readAll(undefined, 10)).toEqual([]);

      const answer = directory.authenticate(hsi.token);
      await sleep(300);
      await held.end();
      expect(await answer).toMatchObject({ id: hsi.agency.id });
    } finally {
      await directory.close();
      await other.close();
      await store.close();
    }
  });
});
