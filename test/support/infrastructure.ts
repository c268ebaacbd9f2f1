import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lease, LeaseStore } from '@crescent/event-store';
import { KafkaTokenIssuer } from '@crescent/messaging';
import { kafkaTokensFrom, RuntimeConfig } from '@crescent/runtime';
import { migrateSchema, openSqlClient, SchemaMigration, SqlClient } from '@crescent/sql';

/** The machine's PostgreSQL unless DATABASE_URL names another. */
export const TEST_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A short random suffix, so each test works in its own schema, streams and topics. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** The broker `npm test` started; int and e2e tests need a real one and say so when it is missing. */
export function kafkaBrokers(): string[] {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run the int and e2e tiers through npm test or npm run test:int');
  return brokers.split(',');
}

/** The exchange's token signer for the test broker (deploy/kafka made its key): the exchange's side of every test. */
export function kafkaTokens(): KafkaTokenIssuer {
  const tokens = kafkaTokensFrom(process.env);
  if (!tokens) throw new Error('KAFKA_TOKEN_SIGNING_KEY_FILE is not set: run the int and e2e tiers through npm test or npm run test:int');
  return tokens;
}

/** What an exchange app needs to reach the test broker as `principal`. */
export function exchangeKafka(principal: string): Pick<RuntimeConfig, 'kafkaBrokers' | 'kafkaTokens' | 'kafkaPrincipal'> {
  return { kafkaBrokers: kafkaBrokers(), kafkaTokens: kafkaTokens(), kafkaPrincipal: principal };
}

/** The same for an app spawned as its own process. */
export function exchangeKafkaEnv(principal: string): Record<string, string> {
  const names = ['KAFKA_BROKERS', 'KAFKA_TOKEN_SIGNING_KEY_FILE', 'KAFKA_TOKEN_KEY_ID', 'KAFKA_TOKEN_ISSUER', 'KAFKA_TOKEN_AUDIENCE'];
  const set = names.filter((name) => process.env[name] !== undefined);
  return { ...Object.fromEntries(set.map((name) => [name, process.env[name]!])), KAFKA_PRINCIPAL: principal };
}

export type TestDialect = 'postgres' | 'sqlite';

/** A fresh database of each dialect (a new PostgreSQL schema or a new in-memory SQLite file) with the tables of `migrations`. */
export async function openTestDatabase(dialect: TestDialect, migrations: readonly SchemaMigration[] = []): Promise<SqlClient> {
  const sql = await (dialect === 'postgres' ? openSqlClient(TEST_DATABASE_URL, { schema: uniqueName('t') }) : openSqlClient('sqlite::memory:'));
  return migrated(sql, migrations);
}

/** A fresh, empty database that a test may open as often as it needs separate connections. */
export interface TestDatabase {
  open(): Promise<SqlClient>;
}

/**
 * A new PostgreSQL schema, or a new SQLite file in a temporary folder (a real file: WAL, locks, several
 * connections); each connection applies `migrations` as an app's start does (the first one makes the tables).
 */
export function newTestDatabase(dialect: TestDialect, migrations: readonly SchemaMigration[] = []): TestDatabase {
  const url =
    dialect === 'postgres'
      ? TEST_DATABASE_URL
      : `sqlite:${join(mkdtempSync(join(tmpdir(), 'crescent-test-')), 'store.sqlite')}`;
  const schema = dialect === 'postgres' ? uniqueName('t') : undefined;
  return { open: async () => migrated(await openSqlClient(url, { schema }), migrations) };
}

/** No migrations, no migrations table: a test may build a database the way an older version left it. */
async function migrated(sql: SqlClient, migrations: readonly SchemaMigration[]): Promise<SqlClient> {
  if (migrations.length > 0) await migrateSchema(sql, migrations);
  return sql;
}

/** A lease (the relay's by default) for a test that writes as its holder: the ledger, dead-letter and checkpoint writes it fences. Needs EVENT_STORE_MIGRATIONS. */
export async function heldLease(sql: SqlClient, name = 'relay'): Promise<Lease> {
  const lease = await (await LeaseStore.create(sql)).acquire(name, uniqueName('test-holder'), 3_600_000);
  if (!lease) throw new Error(`another holder has the ${name} lease in this test database`);
  return lease;
}

/**
 * A transaction on `sql` (PostgreSQL) that has taken its id and stays open until `end` is called: what
 * commits meanwhile, in any schema of the server, the feed holds back behind it. Resolves once it is open.
 */
export async function feedHeldBack(sql: SqlClient): Promise<{ end(): Promise<void> }> {
  let opened!: () => void;
  const open = new Promise<void>((resolve) => (opened = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const held = sql.transaction(async (tx) => {
    await tx.query('SELECT pg_current_xact_id()');
    opened();
    await released;
  });
  await Promise.race([open, held]);
  return {
    end: async () => {
      release();
      await held;
    },
  };
}
