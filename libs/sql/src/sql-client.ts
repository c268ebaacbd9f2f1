/** The small slice of SQL that Crescent's stores share across PostgreSQL and SQLite. */
export type SqlDialect = 'postgres' | 'sqlite';

export type SqlValue = string | number | bigint | null;

export interface SqlClient {
  readonly dialect: SqlDialect;
  /** Runs one statement with `$1`-style parameters and returns its rows. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
