import { SqlClient, SqlDialect } from './sql-client';

/** A column's value as an insert takes it: what JSON carries as it is. */
export type RowValue = string | number | null;

/** How each database takes the rows as one JSON parameter and expands them into the table's columns. */
const FROM_JSON: Record<SqlDialect, { readonly select: (table: string, columns: readonly string[]) => string; readonly row: (columns: readonly string[], values: readonly RowValue[]) => unknown }> = {
  // Objects named by column, read as the table's own row type.
  postgres: {
    select: (table, columns) => `SELECT ${columns.join(', ')} FROM json_populate_recordset(NULL::${table}, CAST($1 AS json))`,
    row: (columns, values) => Object.fromEntries(columns.map((column, index) => [column, values[index]])),
  },
  // Arrays in column order: ->> gives each element as the SQL value of its JSON type (objects, looked up by name, took SQLite twice as long).
  // `WHERE true` keeps SQLite from reading a following ON CONFLICT as part of the SELECT's join.
  sqlite: {
    select: (_, columns) => `SELECT ${columns.map((_column, index) => `value ->> '$[${index}]'`).join(', ')} FROM json_each($1) WHERE true`,
    row: (_, values) => values,
  },
};

/**
 * Inserts rows (each the columns' values, in order) with one statement whatever their number: they go
 * as one JSON parameter. A multi-row VALUES with a parameter per value took PostgreSQL half as long
 * again for a thousand rows, parsing and planning a statement that grew with the batch. With
 * `replacingOn` (a unique key's columns), a row whose key is taken replaces the other columns of the
 * row there (a row that is all key is left as it is); the rows given must not repeat a key.
 */
export async function insertRows(tx: SqlClient, table: string, columns: readonly string[], rows: readonly (readonly RowValue[])[], replacingOn?: readonly string[]): Promise<void> {
  if (rows.length === 0) return;
  const { select, row } = FROM_JSON[tx.dialect];
  const replaced = columns.filter((column) => !replacingOn?.includes(column));
  const replacing = !replacingOn
    ? ''
    : replaced.length === 0
      ? ` ON CONFLICT (${replacingOn.join(', ')}) DO NOTHING`
      : ` ON CONFLICT (${replacingOn.join(', ')}) DO UPDATE SET ${replaced.map((column) => `${column} = excluded.${column}`).join(', ')}`;
  await tx.query(`INSERT INTO ${table} (${columns.join(', ')}) ${select(table, columns)}${replacing}`, [JSON.stringify(rows.map((values) => row(columns, values)))]);
}
