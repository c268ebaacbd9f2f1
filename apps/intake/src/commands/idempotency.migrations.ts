import { adoptColumns, SchemaMigration } from '@crescent/sql';

/** Intake's idempotency keys. */
export const IDEMPOTENCY_MIGRATIONS: readonly SchemaMigration[] = [
  {
    name: 'intake/001-idempotency-keys',
    up: async (tx) => {
      await tx.query(`CREATE TABLE IF NOT EXISTS idempotency_keys (
      agency_id TEXT NOT NULL,
      idempotency_key TEXT NOT NULL,
      fingerprint TEXT NOT NULL,
      result TEXT,
      created_at TEXT NOT NULL,
      PRIMARY KEY (agency_id, idempotency_key)
    )`);
      // Keys claimed before these existed: an unfinished one counts as abandoned long ago.
      await adoptColumns(tx, 'idempotency_keys', [
        ['claimed_at', 'BIGINT NOT NULL DEFAULT 0'],
        ['operation_id', 'TEXT'],
      ]);
    },
  },
  {
    // Which intake instance holds a claim: a claim of an instance whose lease lapsed is taken over at once.
    name: 'intake/002-idempotency-claimed-by',
    up: async (tx) => {
      await tx.query('ALTER TABLE idempotency_keys ADD COLUMN claimed_by TEXT');
    },
  },
];
