import { SqlClient } from './sql-client';

/** Adds a column to a table made before it existed; a table that has it is left alone. */
export async function addColumnIfMissing(sql: SqlClient, table: string, column: string, definition: string): Promise<void> {
  if (sql.dialect === 'postgres') {
    await sql.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${column} ${definition}`);
    return;
  }
  const columns = await sql.query<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`);
  if (!columns.some(({ name }) => name === column)) await sql.query(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
}
