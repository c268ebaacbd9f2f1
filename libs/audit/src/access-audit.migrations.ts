import { CHAIN_COLUMNS } from '@crescent/ledger';
import { adoptColumns, SchemaMigration, SqlDialect } from '@crescent/sql';

/**
 * The database refuses to change or remove a row, whoever asks through it. The table's owner can still
 * drop the guard; the hash chain is what shows that happened, and production grants the apps' role
 * only INSERT and SELECT.
 */
const APPEND_ONLY: Record<SqlDialect, readonly string[]> = {
  postgres: [
    `CREATE OR REPLACE FUNCTION access_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'access_audit is append-only: % refused', TG_OP; END $$`,
    `CREATE OR REPLACE TRIGGER access_audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON access_audit
      FOR EACH STATEMENT EXECUTE FUNCTION access_audit_refuse_change()`,
  ],
  sqlite: [
    `CREATE TRIGGER IF NOT EXISTS access_audit_no_update BEFORE UPDATE ON access_audit
      BEGIN SELECT RAISE(ABORT, 'access_audit is append-only: UPDATE refused'); END`,
    `CREATE TRIGGER IF NOT EXISTS access_audit_no_delete BEFORE DELETE ON access_audit
      BEGIN SELECT RAISE(ABORT, 'access_audit is append-only: DELETE refused'); END`,
  ],
};

/** The access audit's table, its indexes and its append-only guard. */
export const ACCESS_AUDIT_MIGRATIONS: readonly SchemaMigration[] = [
  {
    name: 'audit/001-access-audit',
    up: async (tx) => {
      await tx.query(`CREATE TABLE IF NOT EXISTS access_audit (
        ${CHAIN_COLUMNS},
        id TEXT NOT NULL UNIQUE,
        at TEXT NOT NULL,
        principal TEXT NOT NULL,
        action TEXT NOT NULL,
        category TEXT NOT NULL,
        record_type TEXT,
        record_id TEXT,
        source TEXT NOT NULL,
        outcome TEXT NOT NULL,
        status INTEGER,
        code TEXT
      )`);
      await tx.query('CREATE INDEX IF NOT EXISTS access_audit_by_principal ON access_audit (principal, sequence)');
      await tx.query('CREATE INDEX IF NOT EXISTS access_audit_by_record ON access_audit (record_id, sequence)');
      await tx.query('CREATE INDEX IF NOT EXISTS access_audit_by_category ON access_audit (category, sequence)');
      await tx.query('CREATE INDEX IF NOT EXISTS access_audit_by_time ON access_audit (at)');
      for (const statement of APPEND_ONLY[tx.dialect]) await tx.query(statement);
      // Added after the table's first version: older rows have none.
      await adoptColumns(tx, 'access_audit', [['on_behalf_of', 'TEXT']]);
    },
  },
];
