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
   * (at once outside a transaction); a rolled-back transaction signals nothing. `payload` (under
   * 8,000 bytes on PostgreSQL; '' by default) goes to each listener with the signal.
   */
  notify(channel: string, payload?: string): Promise<void>;
  /**
   * Calls `onSignal` for each signal on `channel`, with its payload. A signal is only a hint to look
   * again: it may be lost (PostgreSQL connection loss; SQLite writers in other processes), so a
   * listener still polls. A lost connection gives one last signal with no payload (undefined).
   */
  listen(channel: string, onSignal: (payload: string | undefined) => void): Promise<SqlListener>;
  close(): Promise<void>;
}
