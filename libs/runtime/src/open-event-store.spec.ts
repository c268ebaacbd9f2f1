import { EventStoreDbEventStore, SqlEventStore } from '@crescent/event-store';
import { SqliteClient } from '@crescent/sql';
import { loadConfig } from './config';
import { openEventStore } from './open-event-store';

const SECRETS = { SEED_DEMO: 'true' };

describe('openEventStore', () => {
  it('keeps the events in the database when EVENT_STORE_URL is unset', async () => {
    const sql = SqliteClient.open(':memory:');
    const store = await openEventStore(loadConfig(SECRETS), sql);
    expect(store).toBeInstanceOf(SqlEventStore);
    await sql.close();
  });

  it('selects EventStoreDB for an esdb:// URL, connecting only when first used', async () => {
    const sql = SqliteClient.open(':memory:');
    const store = await openEventStore(loadConfig({ ...SECRETS, EVENT_STORE_URL: 'esdb://127.0.0.1:2113?tls=false' }), sql);
    expect(store).toBeInstanceOf(EventStoreDbEventStore);
    await store.close();
    await sql.close();
  });

  it.each(['kurrentdb://127.0.0.1:2113', 'postgres://127.0.0.1/test', 'esdb://'])('refuses EVENT_STORE_URL=%s at start', (url) => {
    expect(() => loadConfig({ ...SECRETS, EVENT_STORE_URL: url })).toThrow('EVENT_STORE_URL must be an esdb:// or esdb+discover:// connection string');
  });
});
