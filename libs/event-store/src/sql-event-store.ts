import { SqlClient, SqlDialect } from '@crescent/sql';
import {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  FeedSubscription,
  GlobalPosition,
  ReadStreamOptions,
  StoredEvent,
  StreamMetadata,
  SubscribeToAllOptions,
  WrongExpectedRevisionError,
} from './event-store.port';
import { DEFAULT_BATCH_SIZE, startFeedSubscription, WakeUp } from './feed-subscription';

/**
 * Appends are serialised by one lock held until commit (an advisory lock in PostgreSQL,
 * SQLite's single writer), so positions become visible in the order they were allocated and
 * a reader of the global feed can never skip an event that commits later with a lower position.
 * PostgreSQL releases a transaction's locks only after its commit is visible to other sessions.
 * The lock is per schema: stores in other schemas of the database have feeds of their own.
 */
const APPEND_LOCK: Record<SqlDialect, string | undefined> = {
  postgres: `SELECT pg_advisory_xact_lock(731260419, hashtext(current_schema()))`,
  sqlite: undefined,
};

/** Signalled by every append's transaction, so live subscribers look at once instead of at their next poll. */
const APPENDED = 'events_appended';

const SQL_POSITION = /^\d+$/;

export interface SqlEventStoreOptions {
  /** How often a live subscriber looks for news when no signal came (signals can be lost). */
  readonly pollIntervalMs?: number;
}

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

/** The event store on PostgreSQL or SQLite: the same tables and statement texts for both. */
export class SqlEventStore implements EventStore {
  private constructor(
    private readonly sql: SqlClient,
    private readonly pollIntervalMs: number,
  ) {}

  /** Its tables come from EVENT_STORE_MIGRATIONS. */
  static async create(sql: SqlClient, options: SqlEventStoreOptions = {}): Promise<SqlEventStore> {
    return new SqlEventStore(sql, options.pollIntervalMs ?? 500);
  }

  append(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    return this.sql.transaction(async (tx) => {
      const lock = APPEND_LOCK[tx.dialect];
      if (lock) await tx.query(lock);
      const current = await currentRevision(tx, streamId);
      assertExpected(streamId, expected, current);
      const recordedAt = new Date().toISOString();
      let lastPosition = '';
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
        lastPosition = String(row.position);
      }
      await tx.notify(APPENDED);
      return { nextExpectedRevision: current + events.length, lastPosition };
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const rows = await this.sql.query<EventRow>(
      'SELECT * FROM events WHERE stream_id = $1 AND revision >= $2 ORDER BY revision',
      [streamId, options.fromRevision ?? 0],
    );
    return rows.map(toStoredEvent);
  }

  async readAll(after: GlobalPosition | undefined, limit: number): Promise<StoredEvent[]> {
    const rows = await this.sql.query<EventRow>(
      'SELECT * FROM events WHERE position > CAST($1 AS BIGINT) ORDER BY position LIMIT $2',
      [parsePosition(after), limit],
    );
    return rows.map(toStoredEvent);
  }

  subscribeToAll(options: SubscribeToAllOptions): FeedSubscription {
    return startFeedSubscription((stopping) => this.follow(options, stopping));
  }

  async setStreamMetadata(streamId: string, metadata: StreamMetadata): Promise<void> {
    await this.sql.query(
      `INSERT INTO stream_metadata (stream_id, metadata) VALUES ($1, $2)
       ON CONFLICT (stream_id) DO UPDATE SET metadata = excluded.metadata`,
      [streamId, JSON.stringify(metadata)],
    );
  }

  async getStreamMetadata(streamId: string): Promise<StreamMetadata | undefined> {
    const [row] = await this.sql.query<{ metadata: string }>(
      'SELECT metadata FROM stream_metadata WHERE stream_id = $1',
      [streamId],
    );
    return row ? JSON.parse(row.metadata) : undefined;
  }

  async ping(): Promise<void> {
    await this.sql.query('SELECT 1 AS ok');
  }

  close(): Promise<void> {
    return this.sql.close();
  }

  /** Reads pages of the feed until stopped; when caught up, waits for an append's signal or the next poll. */
  private async follow(options: SubscribeToAllOptions, stopping: AbortSignal): Promise<void> {
    const news = new WakeUp();
    const listener = await this.sql.listen(APPENDED, news.ring);
    try {
      let after = options.after;
      while (!stopping.aborted) {
        news.reset();
        const events = await this.readAll(after, options.batchSize ?? DEFAULT_BATCH_SIZE);
        if (stopping.aborted) break;
        if (events.length === 0) {
          await news.wait(stopping, this.pollIntervalMs);
          continue;
        }
        await options.onEvents(events);
        after = events[events.length - 1].position;
      }
    } finally {
      await listener.close();
    }
  }
}

function parsePosition(position: GlobalPosition | undefined): string {
  if (position === undefined) return '0';
  if (!SQL_POSITION.test(position)) throw new Error(`not a position of a SQL event store: ${position}`);
  return position;
}

/** -1 when the stream does not exist. */
async function currentRevision(sql: SqlClient, streamId: string): Promise<number> {
  const [{ last }] = await sql.query<{ last: string | number | null }>(
    'SELECT MAX(revision) AS last FROM events WHERE stream_id = $1',
    [streamId],
  );
  return last === null ? -1 : Number(last);
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
    position: String(row.position),
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    recordedAt: row.recorded_at,
  };
}
