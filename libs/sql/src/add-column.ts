import { SqlClient } from './sql-client';

/** Adds a column a table made by an older version lacks; PostgreSQL and SQLite say "if missing" differently. */
export async function addColumnIfMissing(sql: SqlClient, table: string, column: string, definition: string): Promise<void> {
  if (sql.dialect === 'postgres') {
    await sql.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${column} ${definition}`);
    return;
  }
  const columns = await sql.query<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`);
  if (!columns.some(({ name }) => name === column)) await sql.query(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
}
