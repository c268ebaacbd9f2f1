import { Pool, PoolClient } from 'pg';
import { SqlClient, SqlValue } from './sql-client';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** A pooled PostgreSQL client whose connections all work inside one schema (created on first use). */
export class PostgresClient implements SqlClient {
  readonly dialect = 'postgres';

  private constructor(private readonly pool: Pool) {}

  static async connect(url: string, schema = 'public'): Promise<PostgresClient> {
    if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name: ${schema}`);
    const pool = new Pool({ connectionString: url, max: 10, options: `-c search_path=${schema}` });
    // A pool emits errors of idle connections; without a listener they would crash the process.
    pool.on('error', () => undefined);
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    return new PostgresClient(pool);
  }

  async query<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    const result = await this.pool.query(sql, params as SqlValue[]);
    return result.rows as Row[];
  }

  async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    const connection = await this.pool.connect();
    try {
      await connection.query('BEGIN');
      const result = await work(new PostgresTransaction(connection));
      await connection.query('COMMIT');
      return result;
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

class PostgresTransaction implements SqlClient {
  readonly dialect = 'postgres';

  constructor(private readonly connection: PoolClient) {}

  async query<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    const result = await this.connection.query(sql, params as SqlValue[]);
    return result.rows as Row[];
  }

  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    return work(this);
  }

  async close(): Promise<void> {
    throw new Error('a transaction is closed by its owner');
  }
}
