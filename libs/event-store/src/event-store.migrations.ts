import { adoptColumns, SchemaMigration, SqlDialect } from '@crescent/sql';

const POSITION_COLUMN: Record<SqlDialect, string> = {
  postgres: 'position BIGSERIAL PRIMARY KEY',
  sqlite: 'position INTEGER PRIMARY KEY AUTOINCREMENT',
};

/** The feed's order within one event type: SqlEventStore's feed order, after the type. */
const FEED_ORDER_BY_TYPE: Record<SqlDialect, string> = {
  postgres: 'type, transaction_id, position',
  sqlite: 'type, position',
};

/** The tables of the SQL event store, the feed readers' checkpoints and the leases, in the order they are made. */
export const EVENT_STORE_MIGRATIONS: readonly SchemaMigration[] = [
  {
    name: 'event-store/001-events',
    up: async (tx) => {
      await tx.query(`CREATE TABLE IF NOT EXISTS events (
        ${POSITION_COLUMN[tx.dialect]},
        event_id TEXT NOT NULL UNIQUE,
        stream_id TEXT NOT NULL,
        revision BIGINT NOT NULL,
        type TEXT NOT NULL,
        data TEXT NOT NULL,
        metadata TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        UNIQUE (stream_id, revision)
      )`);
      await tx.query('CREATE TABLE IF NOT EXISTS stream_metadata (stream_id TEXT PRIMARY KEY, metadata TEXT NOT NULL)');
    },
  },
  {
    // Positions are opaque text: EventStoreDB's are not numbers.
    name: 'event-store/002-feed-checkpoints',
    up: async (tx) => void (await tx.query('CREATE TABLE IF NOT EXISTS feed_checkpoints (name TEXT PRIMARY KEY, position TEXT NOT NULL)')),
  },
  {
    name: 'event-store/003-leases',
    up: async (tx) => {
      await tx.query('CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at BIGINT NOT NULL)');
      // Leases taken before fencing existed start at token 0.
      await adoptColumns(tx, 'leases', [['fence', 'BIGINT NOT NULL DEFAULT 0']]);
    },
  },
  {
    // PostgreSQL's feed is read in (transaction id, position) order below the oldest transaction in flight
    // (SqlEventStore), so appends need no store-wide lock. Rows written before the column existed all get
    // this migration's transaction id: they keep their position order. SQLite has one writer and no need.
    name: 'event-store/004-feed-transaction-ids',
    up: async (tx) => {
      if (tx.dialect !== 'postgres') return;
      await tx.query('ALTER TABLE events ADD COLUMN transaction_id XID8 NOT NULL DEFAULT pg_current_xact_id()');
      await tx.query('CREATE INDEX events_feed ON events (transaction_id, position)');
    },
  },
  {
    // Readers that want only some event types (the agency directory) read each from this index, in feed order.
    name: 'event-store/005-feed-by-type',
    up: async (tx) => void (await tx.query(`CREATE INDEX IF NOT EXISTS events_feed_by_type ON events (${FEED_ORDER_BY_TYPE[tx.dialect]})`)),
  },
];
