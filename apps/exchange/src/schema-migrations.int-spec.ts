import { openMigratedSqlClient, schemaMigrationsFor } from '@crescent/runtime';
import { migrateSchema, SchemaMigration, SqlClient } from '@crescent/sql';
import { newTestDatabase, openTestDatabase, TEST_DATABASE_URL, TestDialect, uniqueName } from '@crescent/test-support';
import { EXCHANGE_FEATURES } from './exchange-features';
import { mainSchemaStatements } from './testing/main-schema.fixture';

/** What `npm run migrate` applies. */
const ALL = schemaMigrationsFor('exchange', EXCHANGE_FEATURES);
/** Migrations written after the fixture's commit: they change main's shape, so an empty database matches the fixture without them. */
const SINCE_FIXTURE: ReadonlySet<string> = new Set(['event-store/004-feed-transaction-ids', 'event-store/005-feed-by-type', 'intake/002-idempotency-claimed-by', 'intake/003-referral-matters', 'relay/002-facts']);
/** The tables those migrations add. */
const TABLES_SINCE_FIXTURE = ['referral_matters', 'relay_facts'];
const UP_TO_FIXTURE = ALL.filter(({ name }) => !SINCE_FIXTURE.has(name));

/** The tables today's main makes, named by hand. */
const MAIN_TABLES = [
  'access_audit',
  'admin_people',
  'admin_sessions',
  'admin_sign_in_failures',
  'disclosure_ledger',
  'events',
  'feed_checkpoints',
  'idempotency_keys',
  'inbox_consents',
  'inbox_people',
  'inbox_referral_history',
  'inbox_referrals',
  'inbox_retractions',
  'inbox_sessions',
  'inbox_sign_in_failures',
  'leases',
  'relay_dead_letters',
  'stream_metadata',
];

type Shape = Record<string, unknown>;

/**
 * The schema as the database's catalog describes it: tables, columns, keys, indexes and triggers; the
 * migrator is not asked. `except` leaves out one table (the migrator's own, against a database that never had it).
 */
async function shapeOf(sql: SqlClient, except = ''): Promise<Shape> {
  return sql.dialect === 'postgres' ? postgresShape(sql, except) : sqliteShape(sql, except);
}

async function postgresShape(sql: SqlClient, except: string): Promise<Shape> {
  const [{ schema }] = await sql.query<{ schema: string }>('SELECT current_schema() AS schema');
  const inSchema = (text: string) => text.split(`${schema}.`).join('<schema>.');
  const tables = await sql.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name <> $2 ORDER BY table_name",
    [schema, except],
  );
  const columns = await sql.query(
    `SELECT table_name, ordinal_position, column_name, data_type, is_nullable, column_default
     FROM information_schema.columns WHERE table_schema = $1 AND table_name <> $2 ORDER BY table_name, ordinal_position`,
    [schema, except],
  );
  const constraints = await sql.query(
    `SELECT tc.table_name, tc.constraint_name, tc.constraint_type, string_agg(kcu.column_name, ',' ORDER BY kcu.ordinal_position) AS columns
     FROM information_schema.table_constraints tc
     JOIN information_schema.key_column_usage kcu ON kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name
     WHERE tc.table_schema = $1 AND tc.table_name <> $2 GROUP BY tc.table_name, tc.constraint_name, tc.constraint_type ORDER BY tc.table_name, tc.constraint_name`,
    [schema, except],
  );
  const indexes = await sql.query<{ indexname: string; indexdef: string }>('SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename <> $2 ORDER BY indexname', [schema, except]);
  const triggers = await sql.query(
    `SELECT trigger_name, event_object_table, event_manipulation, action_timing, action_orientation, action_statement
     FROM information_schema.triggers WHERE trigger_schema = $1 ORDER BY trigger_name, event_manipulation`,
    [schema],
  );
  return {
    tables: tables.map(({ table_name }) => table_name),
    columns,
    constraints,
    indexes: indexes.map(({ indexname, indexdef }) => ({ indexname, indexdef: inSchema(indexdef) })),
    triggers,
  };
}

async function sqliteShape(sql: SqlClient, except: string): Promise<Shape> {
  const tables = (await sql.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> $1 ORDER BY name", [except])).map(({ name }) => name);
  const perTable: Shape = {};
  for (const table of tables) {
    const indexes = await sql.query<{ name: string; unique: number; origin: string; partial: number }>(`SELECT name, "unique", origin, partial FROM pragma_index_list('${table}') ORDER BY name`);
    perTable[table] = {
      columns: await sql.query(`SELECT cid, name, type, "notnull", dflt_value, pk FROM pragma_table_info('${table}') ORDER BY cid`),
      indexes: await Promise.all(
        indexes.map(async (index) => ({ ...index, columns: await sql.query(`SELECT seqno, name FROM pragma_index_info('${index.name}') ORDER BY seqno`) })),
      ),
      foreignKeys: await sql.query(`SELECT "table", "from", "to" FROM pragma_foreign_key_list('${table}')`),
    };
  }
  const triggers = await sql.query("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' ORDER BY name");
  return { tables, perTable, triggers };
}

async function withDatabase<T>(dialect: TestDialect, work: (sql: SqlClient) => Promise<T>): Promise<T> {
  const sql = await openTestDatabase(dialect);
  try {
    return await work(sql);
  } finally {
    await sql.close();
  }
}

async function runAll(sql: SqlClient, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await sql.query(statement);
}

describe.each<TestDialect>(['postgres', 'sqlite'])('the %s schema migrations', (dialect) => {
  it("make an empty database the shape today's main makes, and bring main's database (and its older inbox) to exactly that shape", async () => {
    const [fromEmpty, emptyUpToFixture] = await withDatabase(dialect, async (sql) => {
      expect(await migrateSchema(sql, UP_TO_FIXTURE)).toEqual(UP_TO_FIXTURE.map(({ name }) => name));
      const upToFixture = await shapeOf(sql, 'schema_migrations');
      expect(await migrateSchema(sql, ALL)).toEqual([...SINCE_FIXTURE]);
      return [await shapeOf(sql), upToFixture];
    });
    const [mainShape, fromMain] = await withDatabase(dialect, async (sql) => {
      await runAll(sql, mainSchemaStatements(dialect));
      const before = await shapeOf(sql);
      await migrateSchema(sql, ALL);
      return [before, await shapeOf(sql)];
    });
    const fromOlderInbox = await withDatabase(dialect, async (sql) => {
      await runAll(sql, mainSchemaStatements(dialect, { olderInbox: true }));
      await sql.query('INSERT INTO inbox_referrals VALUES ($1, $2, $3, $4, $5, $6)', ['shelter', 'ref-1', 'event-1', 1, '{}', '2026-11-02T14:30:00.000Z']);
      await migrateSchema(sql, ALL);
      expect(await sql.query('SELECT referral_id, status, record_version, retracted, search_text FROM inbox_referrals')).toEqual([
        { referral_id: 'ref-1', status: 'received', record_version: 1, retracted: 0, search_text: '' },
      ]);
      return shapeOf(sql);
    });

    expect(mainShape.tables).toEqual(MAIN_TABLES);
    expect(fromEmpty.tables).toEqual([...MAIN_TABLES, ...TABLES_SINCE_FIXTURE, 'schema_migrations'].sort());
    expect(emptyUpToFixture).toEqual(mainShape);
    expect(fromMain).toEqual(fromEmpty);
    expect(fromOlderInbox).toEqual(fromEmpty);
  });

  it('apply nothing the second time, and record each migration once', async () => {
    await withDatabase(dialect, async (sql) => {
      await migrateSchema(sql, ALL);
      const shape = await shapeOf(sql);
      expect(await migrateSchema(sql, ALL)).toEqual([]);
      expect(await shapeOf(sql)).toEqual(shape);
      const recorded = await sql.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
      expect(recorded.map(({ name }) => name)).toEqual(ALL.map(({ name }) => name).sort());
    });
  });

  it('serialise two migrators starting at once on one database: both succeed, one of them applies everything', async () => {
    const database = newTestDatabase(dialect);
    const [first, second] = await Promise.all([database.open(), database.open()]);
    try {
      const applied = await Promise.all([migrateSchema(first, ALL), migrateSchema(second, ALL)]);
      expect(applied.map((names) => names.length).sort((a, b) => a - b)).toEqual([0, ALL.length]);
      expect((await shapeOf(first)).tables).toEqual([...MAIN_TABLES, ...TABLES_SINCE_FIXTURE, 'schema_migrations'].sort());
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('leave nothing of a run whose migration fails, and say which one failed and why', async () => {
    const halfDone: SchemaMigration = {
      name: 'test/001-half-done',
      up: async (tx) => {
        await tx.query('CREATE TABLE half_done (id TEXT PRIMARY KEY)');
        await tx.query('INSERT INTO no_such_table VALUES (1)');
      },
    };
    await withDatabase(dialect, async (sql) => {
      await expect(migrateSchema(sql, [...ALL, halfDone])).rejects.toThrow(/^Migration test\/001-half-done \(up\) failed: Original error: .*no_such_table/);
      expect((await shapeOf(sql)).tables).toEqual([]);
      expect(await migrateSchema(sql, ALL)).toHaveLength(ALL.length);
    });
  });

  it('refuse two migrations of one name before applying either', async () => {
    await withDatabase(dialect, async (sql) => {
      await expect(migrateSchema(sql, [...ALL, ALL[0]])).rejects.toThrow(`schema migration names must be unique: ${ALL[0].name}`);
      expect((await shapeOf(sql)).tables).toEqual([]);
    });
  });
});

describe('an app start against a database its migrations cannot bring up to date', () => {
  it('fails with the migration and its cause, and leaves the database as it found it', async () => {
    const schema = uniqueName('t');
    const sql = await openMigratedSqlClient(TEST_DATABASE_URL, { schema }, []);
    try {
      // A table of that name, but not the audit's: its indexes cannot be made.
      await sql.query('CREATE TABLE access_audit (id TEXT PRIMARY KEY)');
      const before = await shapeOf(sql);
      await expect(openMigratedSqlClient(TEST_DATABASE_URL, { schema }, ALL)).rejects.toThrow(/^Migration audit\/001-access-audit \(up\) failed: Original error: column "principal" does not exist/);
      expect(await shapeOf(sql)).toEqual(before);
    } finally {
      await sql.close();
    }
  });
});
