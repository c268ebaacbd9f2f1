import { PostgresClient } from './postgres-client';
import { SqlClient } from './sql-client';
import { SqliteClient } from './sqlite-client';

/** `postgres://…` (with an optional schema and pool size) or `sqlite:<file>` / `sqlite::memory:`. */
export async function openSqlClient(url: string, schema?: string, poolSize?: number): Promise<SqlClient> {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return PostgresClient.connect(url, schema, poolSize);
  }
  if (url.startsWith('sqlite:')) return SqliteClient.open(url.slice('sqlite:'.length));
  throw new Error('DATABASE_URL must start with postgres:// or sqlite:');
}
