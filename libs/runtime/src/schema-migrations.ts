import { DynamicModule, Logger, SetMetadata, Type } from '@nestjs/common';
import { ACCESS_AUDIT_MIGRATIONS } from '@crescent/audit';
import { EVENT_STORE_MIGRATIONS } from '@crescent/event-store';
import { DISCLOSURE_LEDGER_MIGRATIONS } from '@crescent/ledger';
import { migrateSchema, openSqlClient, PostgresClientOptions, SchemaMigration, SqlClient } from '@crescent/sql';
import { DEAD_LETTER_MIGRATIONS } from './relay/dead-letter.migrations';
import type { RuntimeRole } from './runtime.module';

const SCHEMA_MIGRATIONS = 'crescent:schema-migrations';

/** Declares, on a feature module, the migrations of the stores it uses: an app applies them at start. */
export const UsesSchema = (...migrations: readonly (readonly SchemaMigration[])[]) => SetMetadata(SCHEMA_MIGRATIONS, migrations.flat());

/** Every migration an app of this role with these features needs, the runtime's own first. */
export function schemaMigrationsFor(role: RuntimeRole, features: readonly (Type | DynamicModule)[]): SchemaMigration[] {
  // A connector audits its own users in its own database; the exchange also holds the feed, the ledger and the relay's state.
  const runtime = role === 'exchange' ? [ACCESS_AUDIT_MIGRATIONS, EVENT_STORE_MIGRATIONS, DISCLOSURE_LEDGER_MIGRATIONS, DEAD_LETTER_MIGRATIONS] : [ACCESS_AUDIT_MIGRATIONS];
  const declared = features.map((feature): readonly SchemaMigration[] => Reflect.getMetadata(SCHEMA_MIGRATIONS, moduleOf(feature)) ?? []);
  return [...runtime, ...declared].flat();
}

/** The class a feature's declarations sit on: the module itself, or a dynamic module's. */
export function moduleOf(feature: Type | DynamicModule): Type {
  return 'module' in feature ? feature.module : feature;
}

/** Opens the database and brings its schema up to date; a migration that fails closes it again and fails the start. */
export async function openMigratedSqlClient(url: string, options: PostgresClientOptions, migrations: readonly SchemaMigration[]): Promise<SqlClient> {
  const sql = await openSqlClient(url, options);
  try {
    const applied = await migrateSchema(sql, migrations);
    if (applied.length > 0) new Logger('schema').log(`applied ${applied.length} schema migration(s): ${applied.join(', ')}`);
    return sql;
  } catch (error) {
    await sql.close();
    throw error;
  }
}
