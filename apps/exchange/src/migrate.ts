import { loadDatabaseConfig, schemaMigrationsFor } from '@crescent/runtime';
import { migrateSchema, openSqlClient } from '@crescent/sql';
import { EXCHANGE_FEATURES } from './exchange-features';

/** `npm run migrate`: applies every app's schema migrations to the configured database (DATABASE_URL, DATABASE_SCHEMA); exits 1 if one fails. */
async function main(): Promise<void> {
  const config = loadDatabaseConfig();
  const sql = await openSqlClient(config.databaseUrl, { schema: config.databaseSchema });
  try {
    const applied = await migrateSchema(sql, schemaMigrationsFor('exchange', EXCHANGE_FEATURES));
    process.stdout.write(`${JSON.stringify({ applied })}\n`);
  } finally {
    await sql.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`schema migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
