import { SchemaMigration } from '@crescent/sql';

/** The relay's dead letters. */
export const DEAD_LETTER_MIGRATIONS: readonly SchemaMigration[] = [
  {
    name: 'relay/001-dead-letters',
    up: async (tx) =>
      void (await tx.query(`CREATE TABLE IF NOT EXISTS relay_dead_letters (
      event_id TEXT PRIMARY KEY,
      stream_id TEXT NOT NULL,
      revision BIGINT NOT NULL,
      reason TEXT NOT NULL,
      status TEXT NOT NULL,
      dead_at TEXT NOT NULL
    )`)),
  },
];
