import { PostgresClient, PostgresClientOptions } from './postgres-client';
import { SqlClient } from './sql-client';
import { SqliteClient } from './sqlite-client';

/** `postgres://…` (the options apply to it alone) or `sqlite:<file>` / `sqlite::memory:`. */
export async function openSqlClient(url: string, options: PostgresClientOptions = {}): Promise<SqlClient> {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return PostgresClient.connect(url, options);
  }
  if (url.startsWith('sqlite:')) return SqliteClient.open(url.slice('sqlite:'.length));
  throw new Error('DATABASE_URL must start with postgres:// or sqlite:');
}
