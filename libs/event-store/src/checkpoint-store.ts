import { SqlClient } from '@crescent/sql';

/** Where a feed reader keeps the position of the last event it has fully handled. */
export class CheckpointStore {
  private constructor(private readonly sql: SqlClient) {}

  static async create(sql: SqlClient): Promise<CheckpointStore> {
    await sql.query(
      'CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, position BIGINT NOT NULL)',
    );
    return new CheckpointStore(sql);
  }

  async load(name: string): Promise<number> {
    const [row] = await this.sql.query<{ position: string | number }>(
      'SELECT position FROM checkpoints WHERE name = $1',
      [name],
    );
    return row ? Number(row.position) : 0;
  }

  async save(name: string, position: number): Promise<void> {
    await this.sql.query(
      `INSERT INTO checkpoints (name, position) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
      [name, position],
    );
  }
}
