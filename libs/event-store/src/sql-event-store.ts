import { SqlClient, SqlDialect } from '@crescent/sql';
import {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  StoredEvent,
  WrongExpectedRevisionError,
} from './event-store.port';

const POSITION_COLUMN: Record<SqlDialect, string> = {
  postgres: 'position BIGSERIAL PRIMARY KEY',
  sqlite: 'position INTEGER PRIMARY KEY AUTOINCREMENT',
};

/**
 * Appends are serialised by one lock held until commit (an advisory lock in PostgreSQL,
 * SQLite's single writer), so positions become visible in the order they were allocated and
 * a reader of the global feed can never skip an event that commits later with a lower position.
 */
const APPEND_LOCK: Record<SqlDialect, string | undefined> = {
  postgres: `SELECT pg_advisory_xact_lock(7312604190451)`,
  sqlite: undefined,
};

interface EventRow {
  position: string | number;
  event_id: string;
  stream_id: string;
  revision: string | number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

/** The event store on PostgreSQL or SQLite: one table, one statement text for both. */
export class SqlEventStore implements EventStore {
  private constructor(private readonly sql: SqlClient) {}

  static async create(sql: SqlClient): Promise<SqlEventStore> {
    await sql.query(`CREATE TABLE IF NOT EXISTS events (
      ${POSITION_COLUMN[sql.dialect]},
      event_id TEXT NOT NULL UNIQUE,
      stream_id TEXT NOT NULL,
      revision BIGINT NOT NULL,
      type TEXT NOT NULL,
      data TEXT NOT NULL,
      metadata TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      UNIQUE (stream_id, revision)
    )`);
    return new SqlEventStore(sql);
  }

  append(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    return this.sql.transaction(async (tx) => {
      const lock = APPEND_LOCK[tx.dialect];
      if (lock) await tx.query(lock);
      const [{ last }] = await tx.query<{ last: string | number | null }>(
        'SELECT MAX(revision) AS last FROM events WHERE stream_id = $1',
        [streamId],
      );
      const current = last === null ? -1 : Number(last);
      assertExpected(streamId, expected, current);
      const recordedAt = new Date().toISOString();
      let lastPosition = 0;
      for (const [offset, event] of events.entries()) {
        const [row] = await tx.query<{ position: string | number }>(
          `INSERT INTO events (event_id, stream_id, revision, type, data, metadata, recorded_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING position`,
          [
            event.id,
            streamId,
            current + 1 + offset,
            event.type,
            JSON.stringify(event.data),
            JSON.stringify(event.metadata),
            recordedAt,
          ],
        );
        lastPosition = Number(row.position);
      }
      return { nextExpectedRevision: current + events.length, lastPosition };
    });
  }

  async readStream(streamId: string): Promise<StoredEvent[]> {
    const rows = await this.sql.query<EventRow>(
      'SELECT * FROM events WHERE stream_id = $1 ORDER BY revision',
      [streamId],
    );
    return rows.map(toStoredEvent);
  }

  async readAll(afterPosition: number, limit: number): Promise<StoredEvent[]> {
    const rows = await this.sql.query<EventRow>(
      'SELECT * FROM events WHERE position > $1 ORDER BY position LIMIT $2',
      [afterPosition, limit],
    );
    return rows.map(toStoredEvent);
  }

  async ping(): Promise<void> {
    await this.sql.query('SELECT 1 AS ok');
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}

function assertExpected(streamId: string, expected: ExpectedRevision, current: number): void {
  const actual = current < 0 ? 'no-stream' : current;
  const matches =
    expected === 'any' || (expected === 'no-stream' ? current < 0 : expected === current);
  if (!matches) throw new WrongExpectedRevisionError(streamId, expected, actual);
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    revision: Number(row.revision),
    position: Number(row.position),
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    recordedAt: row.recorded_at,
  };
}
