/** The small slice of SQL that Crescent's stores share across PostgreSQL and SQLite. */
export type SqlDialect = 'postgres' | 'sqlite';

export type SqlValue = string | number | bigint | null;

/** A subscription to one notification channel; close it to stop listening. */
export interface SqlListener {
  close(): Promise<void>;
}

export interface SqlClient {
  readonly dialect: SqlDialect;
  /**
   * Runs one statement with `$1`-style parameters and returns its rows. `preparedAs` names a statement
   * run often: PostgreSQL then plans it once per connection instead of every time. One name per text,
   * and only for a statement whose result columns are named (no `*`: a column added later would
   * change a prepared result and fail it).
   */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[], preparedAs?: string): Promise<Row[]>;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
  /**
   * Signals `channel` to the listeners of this database once the surrounding transaction commits
   * (at once outside a transaction); a rolled-back transaction signals nothing.
   */
  notify(channel: string): Promise<void>;
  /**
   * Calls `onSignal` for each signal on `channel`. A signal is only a hint to look again: it carries
   * no data, may be lost (PostgreSQL connection loss; SQLite writers in other processes), so a
   * listener still polls.
   */
  listen(channel: string, onSignal: () => void): Promise<SqlListener>;
  close(): Promise<void>;
}
