import { Umzug, UmzugStorage } from 'umzug';
import { SqlClient } from './sql-client';

/**
 * One step of a module's schema. `name` is unique across every module (`<module>/<nnn>-<what>`) and
 * never changes once released: it is what the migrations table records. A module's first migration
 * also adopts a database made before migrations (CREATE … IF NOT EXISTS, `adoptColumns`); later ones
 * change a shape they know and need neither.
 */
export interface SchemaMigration {
  readonly name: string;
  up(tx: SqlClient): Promise<void>;
}

/** The one table the migrator owns: which migrations this database (PostgreSQL schema) has applied. */
const MIGRATIONS_TABLE = 'schema_migrations';

/** Held for the whole run, so instances starting together against one schema migrate one after another. */
const MIGRATION_LOCK = 'SELECT pg_advisory_xact_lock(731260423, hashtext(current_schema()))';

/** Records applied migrations in the run's own transaction, so a migration and its record commit together. */
class SqlMigrationStorage implements UmzugStorage<SqlClient> {
  async executed({ context: tx }: { context: SqlClient }): Promise<string[]> {
    await tx.query(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`);
    const rows = await tx.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE}`);
    return rows.map(({ name }) => name);
  }

  async logMigration({ name, context: tx }: { name: string; context: SqlClient }): Promise<void> {
    await tx.query(`INSERT INTO ${MIGRATIONS_TABLE} (name, applied_at) VALUES ($1, $2)`, [name, new Date().toISOString()]);
  }

  async unlogMigration({ name, context: tx }: { name: string; context: SqlClient }): Promise<void> {
    await tx.query(`DELETE FROM ${MIGRATIONS_TABLE} WHERE name = $1`, [name]);
  }
}

/**
 * Applies, in order, the migrations this database has not recorded yet, and returns their names.
 * The run is one transaction (PostgreSQL and SQLite both roll DDL back): a failing migration leaves
 * nothing of the run applied and throws umzug's MigrationError, which names the migration and its cause.
 * On PostgreSQL an advisory lock held until commit serialises runs on one schema; SQLite's single
 * writer (BEGIN IMMEDIATE) does the same for a file.
 */
export async function migrateSchema(sql: SqlClient, migrations: readonly SchemaMigration[]): Promise<string[]> {
  const names = migrations.map(({ name }) => name);
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  if (repeated.length > 0) throw new Error(`schema migration names must be unique: ${[...new Set(repeated)].join(', ')}`);
  return sql.transaction(async (tx) => {
    if (tx.dialect === 'postgres') await tx.query(MIGRATION_LOCK);
    const umzug = new Umzug<SqlClient>({
      migrations: migrations.map((migration) => ({ name: migration.name, up: ({ context }) => migration.up(context).catch(sameRealm) })),
      context: tx,
      storage: new SqlMigrationStorage(),
      logger: undefined,
    });
    const applied = await umzug.up();
    return applied.map(({ name }) => name);
  });
}

/**
 * A driver's error that is no `instanceof Error` here (better-sqlite3's SqliteError, made on another
 * realm's Error under a test runner's sandbox) would be reported by umzug as a "non-error value":
 * its message, which says why, is carried in an Error of this realm.
 */
function sameRealm(error: unknown): never {
  const message = (error as { message?: unknown } | null)?.message;
  if (error instanceof Error || typeof message !== 'string') throw error;
  throw new Error(message, { cause: error });
}

/** The names of a table's columns, as the catalog has them. */
async function columnsOf(tx: SqlClient, table: string): Promise<string[]> {
  const rows =
    tx.dialect === 'postgres'
      ? await tx.query<{ name: string }>('SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1', [table])
      : await tx.query<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`);
  return rows.map(({ name }) => name);
}

/**
 * For a module's first migration only: a database made before migrations existed may hold the table
 * in an older shape (columns were added at start by the version that needed them). Adds the columns
 * it lacks, in the order that version added them, so an adopted table ends as a new one does.
 */
export async function adoptColumns(tx: SqlClient, table: string, columns: readonly (readonly [name: string, definition: string])[]): Promise<void> {
  const present = new Set(await columnsOf(tx, table));
  for (const [name, definition] of columns) {
    if (!present.has(name)) await tx.query(`ALTER TABLE ${table} ADD COLUMN ${name} ${definition}`);
  }
}
