import { Fence, GlobalPosition } from '@crescent/event-store';
import { insertRows, SchemaMigration, SqlClient } from '@crescent/sql';

/** The relay's facts: what it has folded from the feed, one row per key of each of its maps. */
export const RELAY_FACT_MIGRATIONS: readonly SchemaMigration[] = [
  {
    name: 'relay/002-facts',
    up: async (tx) => {
      await tx.query('CREATE TABLE relay_facts (facts TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, due_ms BIGINT, PRIMARY KEY (facts, key))');
      await tx.query('CREATE INDEX relay_facts_due ON relay_facts (facts, due_ms) WHERE due_ms IS NOT NULL');
    },
  },
];

/** One key of one of the relay's maps, its value as JSON text, and when it falls due (a consent's expiry), if ever. */
export interface StoredFact {
  readonly facts: string;
  readonly key: string;
  readonly value: string;
  readonly dueMs: number | null;
}

/** Rows a statement writes or asks for at most: well under either database's limit on parameters. */
const CHUNK = 250;
/** One more row, of no map: the relay checkpoint the facts stand at, written with them. */
const POSITION = { facts: 'position', key: 'relay' } as const;
const positionRow = (position: GlobalPosition): StoredFact => ({ ...POSITION, value: position, dueMs: null });

/** `count` parameters from `$first` on, as a list. */
const parameters = (count: number, first: number) => Array.from({ length: count }, (_, index) => `$${first + index}`).join(', ');

/**
 * Where the relay keeps what it has folded from the feed, so that it holds in memory only what it is
 * working on, and starts without reading the feed again. The relay writes here in the transaction
 * that moves its checkpoint, and keeps with the facts the checkpoint they stand at: a relay that
 * finds its checkpoint elsewhere (an older version's, or one moved by hand) rebuilds them.
 */
export class RelayFactStore {
  private constructor(private readonly sql: SqlClient) {}

  /** The table comes from RELAY_FACT_MIGRATIONS. */
  static async create(sql: SqlClient): Promise<RelayFactStore> {
    return new RelayFactStore(sql);
  }

  /** The same facts, read and written in the transaction `tx`. */
  within(tx: SqlClient): RelayFactStore {
    return new RelayFactStore(tx);
  }

  /** The relay checkpoint the facts stand at; undefined when none was saved. */
  async at(): Promise<GlobalPosition | undefined> {
    const [row] = await this.sql.query<{ value: string }>('SELECT value FROM relay_facts WHERE facts = $1 AND key = $2', [POSITION.facts, POSITION.key]);
    return row?.value;
  }

  /** Those of the keys asked for that are kept, each with its value. */
  async load(wanted: readonly { readonly facts: string; readonly key: string }[]): Promise<StoredFact[]> {
    const found: StoredFact[] = [];
    for (let start = 0; start < wanted.length; start += CHUNK) {
      const chunk = wanted.slice(start, start + CHUNK);
      const rows = await this.sql.query<{ facts: string; key: string; value: string; due_ms: string | number | null }>(
        `SELECT facts, key, value, due_ms FROM relay_facts WHERE (facts, key) IN (VALUES ${chunk.map((_, index) => `(${parameters(2, index * 2 + 1)})`).join(', ')})`,
        chunk.flatMap(({ facts, key }) => [facts, key]),
      );
      found.push(...rows.map(({ facts, key, value, due_ms }) => ({ facts, key, value, dueMs: due_ms === null ? null : Number(due_ms) })));
    }
    return found;
  }

  /** Every key kept of `facts`, with its value. */
  async loadAll(facts: string): Promise<[key: string, value: string][]> {
    const rows = await this.sql.query<{ key: string; value: string }>('SELECT key, value FROM relay_facts WHERE facts = $1', [facts]);
    return rows.map(({ key, value }) => [key, value]);
  }

  /** The keys of `facts` due by `nowMs`. */
  async due(facts: string, nowMs: number): Promise<string[]> {
    const rows = await this.sql.query<{ key: string }>('SELECT key FROM relay_facts WHERE facts = $1 AND due_ms <= $2 ORDER BY due_ms, key', [facts, nowMs]);
    return rows.map(({ key }) => key);
  }

  /** Writes each fact over the one kept for its key: the changes that bring the facts to `position`. In the transaction that saves the relay's checkpoint. */
  async save(rows: readonly StoredFact[], position: GlobalPosition): Promise<void> {
    await this.write([...rows, positionRow(position)]);
  }

  /** Replaces every fact with `rows`, standing at `position` (none: no facts at all); fenced, as the relay's writes are. */
  async replace(rows: readonly StoredFact[], position: GlobalPosition | undefined, fence: Fence): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await fence.check(tx);
      await tx.query('DELETE FROM relay_facts');
      await this.within(tx).write(position === undefined ? rows : [...rows, positionRow(position)]);
    });
  }

  private async write(rows: readonly StoredFact[]): Promise<void> {
    await insertRows(this.sql, 'relay_facts', ['facts', 'key', 'value', 'due_ms'], rows.map(({ facts, key, value, dueMs }) => [facts, key, value, dueMs]), ['facts', 'key']);
  }


  /** Those of `keys` due at or before `dueMs` are due no more (fenced: only while the relay's lease holds). */
  async settle(facts: string, keys: readonly string[], dueMs: number, fence: Fence): Promise<void> {
    if (keys.length === 0) return;
    await this.sql.transaction(async (tx) => {
      await fence.check(tx);
      for (let start = 0; start < keys.length; start += CHUNK) {
        const chunk = keys.slice(start, start + CHUNK);
        await tx.query(`UPDATE relay_facts SET due_ms = NULL WHERE facts = $1 AND due_ms <= $2 AND key IN (${parameters(chunk.length, 3)})`, [
          facts,
          dueMs,
          ...chunk,
        ]);
      }
    });
  }
}
