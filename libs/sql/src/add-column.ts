import { SqlClient } from './sql-client';

/**
 * Adds a column a table made by an older version lacks. Apps starting together may race to add it
 * (even PostgreSQL's IF NOT EXISTS can lose that race): the loser finds it there and is content.
 */
export async function addColumnIfMissing(sql: SqlClient, table: string, column: string, definition: string): Promise<void> {
  if (await hasColumn(sql, table, column)) return;
  try {
    await sql.query(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
  } catch (error) {
    if (!(await hasColumn(sql, table, column))) throw error;
  }
}

async function hasColumn(sql: SqlClient, table: string, column: string): Promise<boolean> {
  const columns =
    sql.dialect === 'postgres'
      ? await sql.query<{ name: string }>('SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1', [table])
      : await sql.query<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`);
  return columns.some(({ name }) => name === column);
}
