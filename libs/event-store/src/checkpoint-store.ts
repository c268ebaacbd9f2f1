import { SqlClient } from '@crescent/sql';
import { GlobalPosition } from './event-store.port';
import { Fence } from './lease-store';

/** Where a feed reader keeps the position of the last event it has fully handled. */
export class CheckpointStore {
  private constructor(private readonly sql: SqlClient) {}

  /** The table comes from EVENT_STORE_MIGRATIONS. */
  static async create(sql: SqlClient): Promise<CheckpointStore> {
    return new CheckpointStore(sql);
  }

  /** The same checkpoints, read and written in the transaction `tx` of their database: a save commits with the rest of `tx`. */
  within(tx: SqlClient): CheckpointStore {
    return new CheckpointStore(tx);
  }

  /** Undefined until a position is saved: read the feed from its start. */
  async load(name: string): Promise<GlobalPosition | undefined> {
    const [row] = await this.sql.query<{ position: string }>(
      'SELECT position FROM feed_checkpoints WHERE name = $1',
      [name],
    );
    return row?.position;
  }

  /** With a fence, saved only while its lease holds (LeaseLostError otherwise, nothing saved). */
  async save(name: string, position: GlobalPosition, fence?: Fence): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await fence?.check(tx);
      await tx.query(
        `INSERT INTO feed_checkpoints (name, position) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
        [name, position],
      );
    });
  }
}
