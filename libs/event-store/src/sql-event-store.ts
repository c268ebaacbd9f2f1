import { SqlClient, SqlDialect, SqlValue } from '@crescent/sql';
import {
  AppendResult,
  EventStore,
  EventToAppend,
  EventTypes,
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
 * How the global feed stays gap-free while writers append at once. A reader that moved past a position
 * must never later find an event sorted before it: one that committed late.
 * - PostgreSQL: appends run in parallel. Each row records its transaction's id, the feed is ordered by
 *   (transaction id, position), and a reader reads only rows of transactions older than the oldest one
 *   still in flight (the snapshot's xmin): every transaction that can still commit sorts after them.
 *   A position stands for its row's place (its transaction id is looked up), so it stays a plain number.
 * - SQLite: one writer at a time, so position order is commit order.
 */
const FEED_AFTER: Record<SqlDialect, (horizon: string) => string> = {
  postgres: (horizon) => `WITH after AS (
      SELECT COALESCE((SELECT transaction_id FROM events WHERE position = CAST($1 AS BIGINT)), '0'::xid8) AS transaction_id
    )
    SELECT events.* FROM events, after
    WHERE (events.transaction_id, events.position) > (after.transaction_id, CAST($1 AS BIGINT))${horizon}
    ORDER BY events.transaction_id, events.position LIMIT $2`,
  sqlite: () => 'SELECT * FROM events WHERE position > CAST($1 AS BIGINT) ORDER BY position LIMIT $2',
};

/** FEED_AFTER's condition that keeps a read below the horizon; without it, a read sees events held back too. */
const BELOW_HORIZON = ' AND events.transaction_id < pg_snapshot_xmin(pg_current_snapshot())';

/**
 * The same read, only of the event types in $3 (a JSON array of `types` names). Each type is read in
 * order from the index on (type, [transaction id,] position), `limit` at most, and the pages merged: a
 * page costs the same however many events of other types the feed holds, or of these types lie ahead.
 * - PostgreSQL: the row comparison leads with the type, which the type's equality makes no different,
 *   so that only that index can serve it: compared on (transaction id, position) alone, the planner
 *   takes the feed's own index and skips other types row by row to the feed's end, for each type. The
 *   types go through an array so that the planner counts them (it takes a JSON set to hold a hundred).
 * - SQLite: one subquery a type (given `IN`, it scans the feed from the position on).
 */
const FEED_AFTER_OF_TYPES: Record<SqlDialect, (types: number, horizon: string) => string> = {
  postgres: (_, horizon) => `WITH after AS (
      SELECT COALESCE((SELECT transaction_id FROM events WHERE position = CAST($1 AS BIGINT)), '0'::xid8) AS transaction_id
    )
    SELECT typed.* FROM after, unnest(ARRAY(SELECT json_array_elements_text(CAST($3 AS json)))) AS wanted(type),
      LATERAL (
        SELECT events.* FROM events
        WHERE events.type = wanted.type
          AND (events.type, events.transaction_id, events.position) > (wanted.type, after.transaction_id, CAST($1 AS BIGINT))${horizon}
        ORDER BY events.type, events.transaction_id, events.position LIMIT $2
      ) AS typed
    ORDER BY typed.transaction_id, typed.position LIMIT $2`,
  sqlite: (types) => {
    const ofType = (index: number) =>
      `SELECT * FROM (SELECT * FROM events WHERE type = json_extract($3, '$[${index}]') AND position > CAST($1 AS BIGINT) ORDER BY position LIMIT $2)`;
    return `SELECT * FROM (${Array.from({ length: types }, (_, index) => ofType(index)).join(' UNION ALL ')}) ORDER BY position LIMIT $2`;
  },
};

/** How soon a caught-up subscriber looks again when events are held back (their transactions committed; an older one has not). */
const HELD_BACK_RETRY_MS = 20;

/**
 * The oldest open transaction that has written: the one whose id is the horizon. It may be any
 * writer on the server, not only an append. Its statement is never read: it may hold a record.
 */
const OLDEST_WRITER = `SELECT pid, application_name, state, CAST(EXTRACT(EPOCH FROM now() - xact_start) AS INTEGER) AS open_seconds
  FROM pg_stat_activity WHERE backend_xid IS NOT NULL ORDER BY age(backend_xid) DESC LIMIT 1`;

/** What holds committed events back from the feed, for an operator to find and end it. */
export interface FeedHolder {
  /** How long caught-up subscribers have waited on the held-back events. */
  readonly heldSeconds: number;
  /** The oldest open transaction that has written, when this database role may see it. */
  readonly transaction?: { readonly pid: number; readonly applicationName: string; readonly state: string; readonly openSeconds: number };
}

/**
 * Signalled after appends commit, so live subscribers look at once instead of at their next poll. Its
 * payload lists the event types appended (see `signalPayload`): a subscriber of some types looks only
 * when one of them was.
 */
const APPENDED = 'events_appended';

const SQL_POSITION = /^\d+$/;

export interface SqlEventStoreOptions {
  /** How often a live subscriber looks for news when no signal came (signals can be lost). */
  readonly pollIntervalMs?: number;
  /** Told while committed events stay held back: an old open transaction stalls every subscriber. */
  readonly onHeldBack?: (holder: FeedHolder) => void;
  /** How long a caught-up subscriber waits on held-back events before it tells `onHeldBack`, and again while it lasts. */
  readonly heldBackReportMs?: number;
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

/** The event store on PostgreSQL or SQLite: the same tables and, but for the feed's read, the same statement texts for both. */
export class SqlEventStore implements EventStore {
  private constructor(
    private readonly sql: SqlClient,
    private readonly options: SqlEventStoreOptions & { readonly pollIntervalMs: number; readonly heldBackReportMs: number },
    /** Called after each append with its event types: signals at once, or, in a transaction, keeps them for a signal after its commit. */
    private readonly appended: (types: readonly string[]) => void,
  ) {}

  /** Its tables come from EVENT_STORE_MIGRATIONS. */
  static async create(sql: SqlClient, options: SqlEventStoreOptions = {}): Promise<SqlEventStore> {
    const signal = new AppendSignal(sql);
    return new SqlEventStore(sql, { ...options, pollIntervalMs: options.pollIntervalMs ?? 500, heldBackReportMs: options.heldBackReportMs ?? 10_000 }, signal.ring);
  }

  /**
   * Runs `work` in one transaction of the store's database: what it appends through the store it is
   * handed commits with what it writes through `tx`, or nothing does. Read through them too, not this
   * store: SQLite's single connection would wait on the transaction.
   */
  async transaction<T>(work: (store: SqlEventStore, tx: SqlClient) => Promise<T>): Promise<T> {
    const appended: string[] = [];
    const result = await this.sql.transaction((tx) => work(new SqlEventStore(tx, this.options, (types) => appended.push(...types)), tx));
    if (appended.length > 0) this.appended(appended);
    return result;
  }

  /**
   * One statement, so no lock and no round trip beyond the insert: it reads the stream's revision,
   * checks the expected one and inserts after it. No row back means the check failed, or a concurrent
   * append took the revision first (a unique-key wait, then nothing inserted and no error, so a
   * surrounding transaction stays usable).
   */
  async append(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error('an append takes at least one event');
    const recordedAt = new Date().toISOString();
    const expectedLast = expected === 'any' ? null : expected === 'no-stream' ? -1 : expected;
    const params: SqlValue[] = [streamId, expectedLast, recordedAt];
    const rows = events.map((event, offset) => {
      params.push(event.id, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata), offset);
      const at = params.length - 4;
      return `($${at}, $${at + 1}, $${at + 2}, $${at + 3}, CAST($${at + 4} AS BIGINT))`;
    });
    for (;;) {
      const inserted = await this.sql.query<{ position: string | number; revision: string | number }>(
        `INSERT INTO events (event_id, stream_id, revision, type, data, metadata, recorded_at)
         SELECT appended.column1, $1, last.revision + 1 + appended.column5, appended.column2, appended.column3, appended.column4, $3
         FROM (VALUES ${rows.join(', ')}) AS appended,
           (SELECT COALESCE(MAX(revision), -1) AS revision FROM events WHERE stream_id = $1) AS last
         WHERE CAST($2 AS BIGINT) IS NULL OR last.revision = CAST($2 AS BIGINT)
         ORDER BY appended.column5
         ON CONFLICT (stream_id, revision) DO NOTHING RETURNING position, revision`,
        params,
        // Planned once per connection: planning this INSERT ... SELECT cost as much as running it.
        `append_${events.length}`,
      );
      if (inserted.length === events.length) {
        this.appended(events.map((event) => event.type));
        const last = inserted.reduce((latest, row) => (Number(row.revision) > Number(latest.revision) ? row : latest));
        return { nextExpectedRevision: Number(last.revision), lastPosition: String(last.position) };
      }
      // Only the first event can meet a concurrent append: the next revisions wait for it to commit.
      if (expected !== 'any') throw new WrongExpectedRevisionError(streamId, expected, actualRevision(await currentRevision(this.sql, streamId)));
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const rows = await this.sql.query<EventRow>(
      'SELECT * FROM events WHERE stream_id = $1 AND revision >= $2 ORDER BY revision',
      [streamId, options.fromRevision ?? 0],
    );
    return rows.map(toStoredEvent);
  }

  readAll(after: GlobalPosition | undefined, limit: number, eventTypes?: EventTypes): Promise<StoredEvent[]> {
    return this.readFeed(after, limit, eventTypes, BELOW_HORIZON);
  }

  async hasCommittedAfter(after: GlobalPosition | undefined, eventTypes?: EventTypes): Promise<boolean> {
    return (await this.readFeed(after, 1, eventTypes, '')).length > 0;
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

  /** The feed after `after`: below the horizon (what readers may take in order), or with what an older transaction holds back too (`horizon` ''). */
  private async readFeed(after: GlobalPosition | undefined, limit: number, eventTypes: EventTypes, horizon: string): Promise<StoredEvent[]> {
    if (eventTypes === undefined) return (await this.sql.query<EventRow>(FEED_AFTER[this.sql.dialect](horizon), [parsePosition(after), limit])).map(toStoredEvent);
    if (eventTypes.length === 0) return [];
    const params = [parsePosition(after), limit, JSON.stringify(eventTypes)];
    const statement = FEED_AFTER_OF_TYPES[this.sql.dialect](eventTypes.length, horizon);
    const rows = await (this.sql.dialect === 'sqlite'
      ? this.sql.query<EventRow>(statement, params)
      : // Without statistics (a new table, autovacuum off) PostgreSQL takes each type to hold a few rows after the position,
        // and reads them all by a bitmap to sort them, however many there are: a page would cost what the rest of the type does.
        this.sql.transaction(async (tx) => {
          await tx.query('SET LOCAL enable_bitmapscan = off');
          return tx.query<EventRow>(statement, params);
        }));
    return rows.map(toStoredEvent);
  }

  private async reportHeldBack(heldMs: number): Promise<void> {
    const [oldest] = await this.sql.query<{ pid: number; application_name: string; state: string; open_seconds: number }>(OLDEST_WRITER);
    this.options.onHeldBack?.({
      heldSeconds: Math.round(heldMs / 1000),
      transaction: oldest && { pid: oldest.pid, applicationName: oldest.application_name, state: oldest.state, openSeconds: oldest.open_seconds },
    });
  }

  /** Reads pages of the feed until stopped; when caught up, waits for an append's signal or the next poll. */
  private async follow(options: SubscribeToAllOptions, stopping: AbortSignal): Promise<void> {
    const news = new WakeUp();
    const listener = await this.sql.listen(APPENDED, (payload) => {
      if (signalConcerns(payload, options.eventTypes)) news.ring();
    });
    try {
      let after = options.after;
      /** Since when this caught-up subscriber has waited on held-back events, and when it last said so. */
      let heldBack: { readonly since: number; reported: number } | undefined;
      const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
      while (!stopping.aborted) {
        news.reset();
        const events = await this.readAll(after, batchSize, options.eventTypes);
        if (stopping.aborted) break;
        if (events.length > 0) {
          heldBack = undefined;
          await options.onEvents(events);
          after = events[events.length - 1].position;
          // A full page: more may be there now. A short one held all there was to read: look again when told.
          if (events.length === batchSize || stopping.aborted) continue;
        }
        // Read to the end: what has committed after it is held back (or has just come, and its signal will say so).
        const now = Date.now();
        heldBack = (await this.hasCommittedAfter(after, options.eventTypes)) ? (heldBack ?? { since: now, reported: now }) : undefined;
        if (heldBack && now - heldBack.reported >= this.options.heldBackReportMs) {
          heldBack.reported = now;
          await this.reportHeldBack(now - heldBack.since);
        }
        // Events held back by an older transaction in flight send no signal when it ends: look again soon.
        await news.wait(stopping, heldBack ? HELD_BACK_RETRY_MS : this.options.pollIntervalMs);
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

function actualRevision(current: number): number | 'no-stream' {
  return current < 0 ? 'no-stream' : current;
}

/** The least time between two signals while appends keep coming (the first after a quiet spell goes at once). */
const SIGNAL_SPACING_MS = 5;

/**
 * Tells live subscribers that appends committed: one signal at a time, then, if appends committed
 * meanwhile, one more for all of them a moment later. A NOTIFY in each append's own transaction
 * would queue every commit behind PostgreSQL's one database-wide notification lock.
 */
class AppendSignal {
  private sending = false;
  /** The types appended since the last signal went. */
  private readonly types = new Set<string>();

  constructor(private readonly sql: SqlClient) {}

  readonly ring = (types: readonly string[]): void => {
    for (const type of types) this.types.add(type);
    if (this.sending) return;
    this.sending = true;
    void this.send();
  };

  private async send(): Promise<void> {
    for (;;) {
      const payload = signalPayload(this.types);
      this.types.clear();
      // A lost signal only costs promptness: listeners poll.
      await this.sql.notify(APPENDED, payload).catch(() => undefined);
      if (this.types.size === 0) break;
      await new Promise((resolve) => setTimeout(resolve, SIGNAL_SPACING_MS).unref());
    }
    this.sending = false;
  }
}

/** PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more. */
const MAX_SIGNAL_PAYLOAD_BYTES = 7_900;

/** The types as a JSON array; '' (any type: every subscriber looks) when that would be too long to send. */
function signalPayload(types: ReadonlySet<string>): string {
  const payload = JSON.stringify([...types]);
  return Buffer.byteLength(payload) <= MAX_SIGNAL_PAYLOAD_BYTES ? payload : '';
}

/** Whether a signal may concern a subscriber of `eventTypes`: only a list of types that holds none of them does not. */
function signalConcerns(payload: string | undefined, eventTypes: EventTypes): boolean {
  if (eventTypes === undefined || !payload) return true;
  try {
    const types: unknown = JSON.parse(payload);
    return !Array.isArray(types) || types.some((type) => eventTypes.includes(type as string));
  } catch {
    return true;
  }
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
