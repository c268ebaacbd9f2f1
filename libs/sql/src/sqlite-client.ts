import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SqlClient, SqlListener, SqlValue } from './sql-client';

/**
 * What every connection of this process to one database file shares. better-sqlite3 blocks the
 * thread while it waits for a lock, so a second connection waiting on a transaction of the first
 * (which waits for the thread) would stall until busy_timeout: all of them take turns on one queue.
 */
interface SharedFile {
  queue: Promise<unknown>;
  readonly signals: EventEmitter;
  connections: number;
}

const openFiles = new Map<string, SharedFile>();

function newSharedFile(): SharedFile {
  const signals = new EventEmitter();
  // One listener per live subscription: many are expected, none is a leak.
  signals.setMaxListeners(0);
  return { queue: Promise.resolve(), signals, connections: 0 };
}

/**
 * SQLite through better-sqlite3. Statements are synchronous, so the only hazard is an async
 * transaction interleaving with other work: every call waits its turn on the file's queue.
 * Signals reach listeners in this process only; other processes find new rows by polling.
 */
export class SqliteClient implements SqlClient {
  readonly dialect = 'sqlite';

  private constructor(
    private readonly db: Database.Database,
    private readonly shared: SharedFile,
    /** Undefined for an in-memory database: it is this connection's alone. */
    private readonly file: string | undefined,
  ) {}

  static open(file: string): SqliteClient {
    const inMemory = file === ':memory:';
    if (!inMemory) restrictToOwner(file);
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    const path = inMemory ? undefined : resolve(file);
    const shared = (path && openFiles.get(path)) || newSharedFile();
    shared.connections += 1;
    if (path) openFiles.set(path, shared);
    return new SqliteClient(db, shared, path);
  }

  query<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return this.enqueue(async () => this.run<Row>(sql, params));
  }

  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    return this.enqueue(async () => {
      const tx = new SqliteTransaction((sql, params) => this.run(sql, params));
      this.db.exec('BEGIN IMMEDIATE');
      let result: T;
      try {
        result = await work(tx);
        this.db.exec('COMMIT');
      } catch (error) {
        this.db.exec('ROLLBACK');
        throw error;
      }
      for (const [channel, payload] of tx.notified) this.shared.signals.emit(channel, payload);
      return result;
    });
  }

  async notify(channel: string, payload = ''): Promise<void> {
    this.shared.signals.emit(channel, payload);
  }

  async listen(channel: string, onSignal: (payload: string | undefined) => void): Promise<SqlListener> {
    this.shared.signals.on(channel, onSignal);
    return { close: async () => void this.shared.signals.off(channel, onSignal) };
  }

  async close(): Promise<void> {
    await this.enqueue(async () => this.db.close());
    this.shared.connections -= 1;
    if (this.file && this.shared.connections === 0) openFiles.delete(this.file);
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
    const next = this.shared.queue.then(work, work);
    this.shared.queue = next.catch(() => undefined);
    return next;
  }
}

/**
 * The file holds case records: its folder, when this creates it, and the file are the owner's alone.
 * SQLite gives the -wal and -shm files it creates the database file's mode; older ones are narrowed.
 */
function restrictToOwner(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(path)) chmodSync(path, 0o600);
  }
}

class SqliteTransaction implements SqlClient {
  readonly dialect = 'sqlite';
  /** Signalled by the owner after COMMIT, so a listener never looks before the rows are there: [channel, payload]. */
  readonly notified: [string, string][] = [];

  constructor(private readonly run: (sql: string, params: readonly SqlValue[]) => unknown[]) {}

  async query<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return this.run(sql, params) as Row[];
  }

  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    return work(this);
  }

  async notify(channel: string, payload = ''): Promise<void> {
    this.notified.push([channel, payload]);
  }

  listen(): Promise<SqlListener> {
    throw new Error('listen on the client, not inside a transaction');
  }

  async close(): Promise<void> {
    throw new Error('a transaction is closed by its owner');
  }
}
