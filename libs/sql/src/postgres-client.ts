import { Client, Pool, PoolClient } from 'pg';
import { SqlClient, SqlListener, SqlValue } from './sql-client';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const CHANNEL_NAME = /^[a-z_][a-z0-9_]*$/;
const NOTIFY = 'SELECT pg_notify($1, $2)';

export interface PostgresClientOptions {
  /** The schema every connection works in (created on first use); `public` by default. */
  readonly schema?: string;
  /** The most connections open at once, so the most statements and transactions under way at once (10 by default). */
  readonly poolSize?: number;
  /** Shown in pg_stat_activity, so an operator can tell which app holds a connection or a transaction (the URL's application_name wins). */
  readonly applicationName?: string;
}

/** A pooled PostgreSQL client whose connections all work inside one schema. */
export class PostgresClient implements SqlClient {
  readonly dialect = 'postgres';

  private constructor(
    private readonly pool: Pool,
    private readonly url: string,
    private readonly schema: string,
  ) {}

  static async connect(url: string, { schema = 'public', poolSize = 10, applicationName }: PostgresClientOptions = {}): Promise<PostgresClient> {
    if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name: ${schema}`);
    const pool = new Pool({ connectionString: url, max: poolSize, options: `-c search_path=${schema}`, application_name: applicationName });
    // A pool emits errors of idle connections; without a listener they would crash the process.
    pool.on('error', () => undefined);
    // So does a connection cut while checked out between statements (pg_terminate_backend, a server restart):
    // every connection gets a listener for good. The next statement on it fails, and the pool drops it on release.
    pool.on('connect', (connection) => connection.on('error', () => undefined));
    const client = new PostgresClient(pool, url, schema);
    // Clients connecting at once would race on the catalog ("duplicate key"); one at a time creates it.
    await client.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(731260418, hashtext($1))', [schema]);
      await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    });
    return client;
  }

  async query<Row>(sql: string, params: readonly SqlValue[] = [], preparedAs?: string): Promise<Row[]> {
    const result = await this.pool.query({ text: sql, values: params as SqlValue[], name: preparedAs });
    return result.rows as Row[];
  }

  async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    const connection = await this.pool.connect();
    // A connection cut between statements (the server restarted, pg_terminate_backend) emits an error the
    // pool does not listen for while it is checked out: unheard, it would crash the process. The next statement fails instead.
    let lost: Error | undefined;
    const onLost = (error: Error) => (lost = error);
    connection.on('error', onLost);
    try {
      await connection.query('BEGIN');
      const result = await work(new PostgresTransaction(connection, this.schema));
      await connection.query('COMMIT');
      return result;
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      connection.off('error', onLost);
      // A lost connection is closed, not handed out again.
      connection.release(lost);
    }
  }

  async notify(channel: string, payload = ''): Promise<void> {
    await this.query(NOTIFY, [channelIn(this.schema, channel), payload]);
  }

  /** LISTEN needs a connection of its own: a pooled one would be handed to other work. */
  async listen(channel: string, onSignal: (payload: string | undefined) => void): Promise<SqlListener> {
    const name = channelIn(this.schema, channel);
    const connection = new Client({ connectionString: this.url });
    // A lost connection only costs promptness (listeners poll too); one last signal makes them look now.
    connection.on('error', () => onSignal(undefined));
    connection.on('notification', (message) => {
      if (message.channel === name) onSignal(message.payload ?? '');
    });
    await connection.connect();
    try {
      await connection.query(`LISTEN "${name}"`);
    } catch (error) {
      await connection.end().catch(() => undefined);
      throw error;
    }
    return { close: () => connection.end().catch(() => undefined) };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** NOTIFY reaches the whole database; the schema in the name keeps each schema's listeners apart. */
function channelIn(schema: string, channel: string): string {
  const name = `${schema}.${channel}`;
  if (!CHANNEL_NAME.test(channel) || name.length > 63) throw new Error(`invalid channel name: ${channel}`);
  return name;
}

class PostgresTransaction implements SqlClient {
  readonly dialect = 'postgres';

  constructor(
    private readonly connection: PoolClient,
    private readonly schema: string,
  ) {}

  async query<Row>(sql: string, params: readonly SqlValue[] = [], preparedAs?: string): Promise<Row[]> {
    const result = await this.connection.query({ text: sql, values: params as SqlValue[], name: preparedAs });
    return result.rows as Row[];
  }

  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    return work(this);
  }

  /** PostgreSQL holds a NOTIFY until the transaction commits and drops it on rollback. */
  async notify(channel: string, payload = ''): Promise<void> {
    await this.query(NOTIFY, [channelIn(this.schema, channel), payload]);
  }

  listen(): Promise<SqlListener> {
    throw new Error('listen on the client, not inside a transaction');
  }

  async close(): Promise<void> {
    throw new Error('a transaction is closed by its owner');
  }
}
