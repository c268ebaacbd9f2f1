import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SqlClient, SqlValue } from './sql-client';

/**
 * SQLite through better-sqlite3. Statements are synchronous, so the only hazard is an
 * async transaction interleaving with other work: every call waits its turn on one queue.
 */
export class SqliteClient implements SqlClient {
  readonly dialect = 'sqlite';
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly db: Database.Database) {}

  static open(file: string): SqliteClient {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    return new SqliteClient(db);
  }

  query<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return this.enqueue(async () => this.run<Row>(sql, params));
  }

  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    return this.enqueue(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(new SqliteTransaction((sql, params) => this.run(sql, params)));
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    await this.enqueue(async () => this.db.close());
  }

  private run<Row>(sql: string, params: readonly SqlValue[]): Row[] {
    // PostgreSQL's `$n` placeholders become positional `?`, so one statement text serves both dialects.
    const ordered: SqlValue[] = [];
    const statement = this.db.prepare(
      sql.replace(/\$(\d+)/g, (_, index: string) => {
        ordered.push(params[Number(index) - 1]);
        return '?';
      }),
    );
    if (statement.reader) return statement.all(...ordered) as Row[];
    statement.run(...ordered);
    return [];
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

class SqliteTransaction implements SqlClient {
  readonly dialect = 'sqlite';

  constructor(private readonly run: (sql: string, params: readonly SqlValue[]) => unknown[]) {}

  async query<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return this.run(sql, params) as Row[];
  }

  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    return work(this);
  }

  async close(): Promise<void> {
    throw new Error('a transaction is closed by its owner');
  }
}
