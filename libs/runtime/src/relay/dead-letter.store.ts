import { Fence } from '@crescent/event-store';
import { SqlClient } from '@crescent/sql';

export const DEAD_LETTER_STATUSES = ['open', 'replay-requested', 'replayed'] as const;
export type DeadLetterStatus = (typeof DEAD_LETTER_STATUSES)[number];

export interface DeadLetter {
  readonly eventId: string;
  readonly streamId: string;
  readonly revision: number;
  /** An error class or code: never a message, which could quote the data. */
  readonly reason: string;
  readonly status: DeadLetterStatus;
  readonly deadAt: string;
}

interface DeadLetterRow {
  event_id: string;
  stream_id: string;
  revision: string | number;
  reason: string;
  status: DeadLetterStatus;
  dead_at: string;
}

/**
 * Events the relay could not project or publish, kept so an administrator can have them re-driven
 * once the cause is fixed. The relay goes on past them.
 */
export class DeadLetterStore {
  private constructor(private readonly sql: SqlClient) {}

  /** The table comes from DEAD_LETTER_MIGRATIONS. */
  static async create(sql: SqlClient): Promise<DeadLetterStore> {
    return new DeadLetterStore(sql);
  }

  /** The relay's writes: fenced, so they happen only while its lease holds (LeaseLostError otherwise, nothing written). */
  async add(letters: readonly Omit<DeadLetter, 'status'>[], fence: Fence): Promise<void> {
    if (letters.length === 0) return;
    await this.sql.transaction(async (tx) => {
      await fence.check(tx);
      for (const letter of letters) {
        await tx.query(
          `INSERT INTO relay_dead_letters (event_id, stream_id, revision, reason, status, dead_at) VALUES ($1, $2, $3, $4, 'open', $5)
           ON CONFLICT (event_id) DO UPDATE SET reason = excluded.reason, status = 'open', dead_at = excluded.dead_at`,
          [letter.eventId, letter.streamId, letter.revision, letter.reason, letter.deadAt],
        );
      }
    });
  }

  async list(status?: DeadLetterStatus): Promise<DeadLetter[]> {
    const rows = await this.sql.query<DeadLetterRow>(
      status ? 'SELECT * FROM relay_dead_letters WHERE status = $1 ORDER BY dead_at, event_id' : 'SELECT * FROM relay_dead_letters ORDER BY dead_at, event_id',
      status ? [status] : [],
    );
    return rows.map((row) => ({
      eventId: row.event_id,
      streamId: row.stream_id,
      revision: Number(row.revision),
      reason: row.reason,
      status: row.status,
      deadAt: row.dead_at,
    }));
  }

  /** Asks the active relay to re-drive every open dead letter; returns how many it will. */
  async requestReplay(): Promise<number> {
    const rows = await this.sql.query(`UPDATE relay_dead_letters SET status = 'replay-requested' WHERE status = 'open' RETURNING event_id`);
    return rows.length;
  }

  /** Dead letters still waiting: open, or asked to be replayed and not yet replayed. */
  async depth(): Promise<number> {
    const [row] = await this.sql.query<{ waiting: string | number }>(`SELECT COUNT(*) AS waiting FROM relay_dead_letters WHERE status <> 'replayed'`);
    return Number(row.waiting);
  }

  async markReplayed(eventId: string, fence: Fence): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await fence.check(tx);
      await tx.query(`UPDATE relay_dead_letters SET status = 'replayed' WHERE event_id = $1`, [eventId]);
    });
  }
}
