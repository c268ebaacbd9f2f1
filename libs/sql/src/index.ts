export type { SqlClient, SqlDialect, SqlValue } from './sql-client';
export { PostgresClient, type PostgresClientOptions } from './postgres-client';
export { SqliteClient } from './sqlite-client';
export { openSqlClient } from './open-sql-client';
export { adoptColumns, migrateSchema, type SchemaMigration } from './schema-migrations';
export { insertRows, type RowValue } from './insert-rows';
