import type { Fence } from '@crescent/event-store';
import { SqlClient, SqlDialect } from '@crescent/sql';
import type { ChainHead } from './chain-anchor';
import { GENESIS_HASH } from './ledger-hash';
import { QueryArguments } from './query-arguments';

/** The columns a chained table begins with (in its module's migrations); the entry's own follow them. */
export const CHAIN_COLUMNS = `sequence BIGINT NOT NULL PRIMARY KEY,
        previous_hash TEXT NOT NULL,
        hash TEXT NOT NULL`;

/** One stored row: its place in the chain and the entry it records. */
export interface ChainedRow<Entry> {
  readonly sequence: number;
  readonly previousHash: string;
  readonly hash: string;
  readonly entry: Entry;
}

/** The chain's columns as the drivers return them (PostgreSQL's BIGINT comes back as text). */
export interface StoredLink {
  sequence: string | number;
  previous_hash: string;
  hash: string;
}

export type ChainVerification =
  | { readonly ok: true; readonly rows: number }
  /** `rows` counts the rows found intact before the first broken link. */
  | { readonly ok: false; readonly rows: number; readonly firstBrokenSequence: number; readonly reason: string };

/** What makes one chained table differ from another. */
export interface HashChainSpec<Entry, Stored extends StoredLink> {
  readonly table: string;
  /** The first key of the PostgreSQL advisory lock its appends take; no two tables share one. */
  readonly lockKey: number;
  /** The hash a row stores, over its sequence, the previous row's hash and its whole entry. */
  readonly hash: (sequence: number, previousHash: string, entry: Entry) => string;
  readonly entryOf: (row: Stored) => Entry;
  /** The store's checks of its query arguments; the options are checked with them, so a bad one fails under the store's code. */
  readonly arguments: QueryArguments;
}

export interface HashChainOptions {
  /** How many rows `verify` reads at a time. */
  readonly verifyPageSize?: number;
}

/** How one table writes an append's rows. */
export interface ChainWriter<Entry> {
  /**
   * Which of the entries the table already holds, or that repeat an earlier one of the same append:
   * they are skipped and the first record stands. Absent: none is skipped (a repeat fails the append).
   */
  readonly recorded?: (tx: SqlClient, entries: readonly Entry[]) => Promise<readonly boolean[]>;
  /** Inserts the rows, chained and in order (see `insertRows`). */
  readonly insert: (tx: SqlClient, rows: readonly ChainedRow<Entry>[]) => Promise<void>;
}

/**
 * An append-only, hash-chained table on PostgreSQL or SQLite. Each row's hash covers its sequence, the
 * previous row's hash and the whole entry, so altering, removing or re-hashing a row breaks a link
 * that `verify` finds. Appends are serialised so the chain never forks: each reads the head and links
 * to it under one lock held until commit (an advisory lock per schema in PostgreSQL, SQLite's single writer).
 */
export class HashChainTable<Entry, Stored extends StoredLink> {
  private readonly appendLock: Record<SqlDialect, string | undefined>;
  private readonly headQuery: string;
  private readonly pageQuery: string;

  private constructor(
    private readonly sql: SqlClient,
    private readonly spec: HashChainSpec<Entry, Stored>,
    private readonly verifyPageSize: number,
  ) {
    this.appendLock = { postgres: `SELECT pg_advisory_xact_lock(${spec.lockKey}, hashtext(current_schema()))`, sqlite: undefined };
    this.headQuery = `SELECT sequence, hash FROM ${spec.table} ORDER BY sequence DESC LIMIT 1`;
    this.pageQuery = `SELECT * FROM ${spec.table} WHERE sequence >= $1 ORDER BY sequence LIMIT $2`;
  }

  static async create<Entry, Stored extends StoredLink>(
    sql: SqlClient,
    spec: HashChainSpec<Entry, Stored>,
    options: HashChainOptions,
  ): Promise<HashChainTable<Entry, Stored>> {
    const verifyPageSize = options.verifyPageSize ?? 500;
    spec.arguments.assertPositiveInteger('verifyPageSize', verifyPageSize);
    return new HashChainTable(sql, spec, verifyPageSize);
  }

  /**
   * Appends the entries in order, in one transaction, and returns the rows stored. The entries the
   * writer finds recorded are left out first, so the rest are chained in memory (each linked to the
   * one before it) and written together; under the append lock nothing else can take their place.
   * `alongside` then writes what must commit with them, in the same transaction.
   */
  append(entries: readonly Entry[], writer: ChainWriter<Entry>, fence?: Fence, alongside?: (tx: SqlClient) => Promise<void>): Promise<ChainedRow<Entry>[]> {
    return this.sql.transaction(async (tx) => {
      await this.lock(tx);
      await fence?.check(tx);
      const [head] = await tx.query<{ sequence: string | number; hash: string }>(this.headQuery);
      const recorded = (await writer.recorded?.(tx, entries)) ?? [];
      let sequence = head ? Number(head.sequence) : 0;
      let previousHash = head ? head.hash : GENESIS_HASH;
      const appended: ChainedRow<Entry>[] = [];
      entries.forEach((entry, index) => {
        if (recorded[index]) return;
        sequence += 1;
        const hash = this.spec.hash(sequence, previousHash, entry);
        appended.push({ sequence, previousHash, hash, entry });
        previousHash = hash;
      });
      if (appended.length > 0) await writer.insert(tx, appended);
      await alongside?.(tx);
      return appended;
    });
  }

  /** The newest link; undefined for an empty chain. */
  async head(): Promise<ChainHead | undefined> {
    const [head] = await this.sql.query<{ sequence: string | number; hash: string }>(this.headQuery);
    return head ? { sequence: Number(head.sequence), hash: head.hash } : undefined;
  }

  /**
   * Walks the whole chain a page at a time and reports its first broken link. Given a head anchored
   * outside the table, the chain must still reach it, through the hash it had: rows deleted from the
   * end, or a chain rebuilt with consistent hashes, are found too.
   */
  async verify(anchored?: ChainHead): Promise<ChainVerification> {
    const walked = await this.walk(anchored);
    if (!walked.ok || anchored === undefined || walked.rows >= anchored.sequence) return walked;
    const missing = walked.rows + 1 === anchored.sequence ? `sequence ${anchored.sequence} is` : `sequences ${walked.rows + 1} to ${anchored.sequence} are`;
    return { ok: false, rows: walked.rows, firstBrokenSequence: walked.rows + 1, reason: `${missing} missing: the anchored head was deleted` };
  }

  private async walk(anchored: ChainHead | undefined): Promise<ChainVerification> {
    let expected = 1;
    let previousHash = GENESIS_HASH;
    for (;;) {
      const page = await this.sql.query<Stored>(this.pageQuery, [expected, this.verifyPageSize]);
      for (const row of page) {
        const rows = expected - 1;
        const sequence = Number(row.sequence);
        if (sequence !== expected) {
          const missing = sequence - 1 === expected ? `sequence ${expected} is` : `sequences ${expected} to ${sequence - 1} are`;
          return { ok: false, rows, firstBrokenSequence: expected, reason: `${missing} missing` };
        }
        if (row.previous_hash !== previousHash) {
          const link = sequence === 1 ? 'the genesis hash' : `the hash of sequence ${sequence - 1}`;
          return { ok: false, rows, firstBrokenSequence: sequence, reason: `previous hash does not match ${link}` };
        }
        const entry = this.readableEntryOf(row);
        if (!entry || this.spec.hash(sequence, previousHash, entry) !== row.hash) {
          return { ok: false, rows, firstBrokenSequence: sequence, reason: 'stored hash does not match the row' };
        }
        if (sequence === anchored?.sequence && row.hash !== anchored.hash) {
          return { ok: false, rows, firstBrokenSequence: sequence, reason: 'the chain was rebuilt: this sequence no longer has the hash anchored for it' };
        }
        previousHash = row.hash;
        expected += 1;
      }
      if (page.length < this.verifyPageSize) return { ok: true, rows: expected - 1 };
    }
  }

  rowOf(row: Stored): ChainedRow<Entry> {
    return { sequence: Number(row.sequence), previousHash: row.previous_hash, hash: row.hash, entry: this.spec.entryOf(row) };
  }

  private async lock(tx: SqlClient): Promise<void> {
    const lock = this.appendLock[tx.dialect];
    if (lock) await tx.query(lock);
  }

  /** A row tampered into something unreadable (a list that is no longer JSON) is a broken row, not a failed verification. */
  private readableEntryOf(row: Stored): Entry | undefined {
    try {
      return this.spec.entryOf(row);
    } catch {
      return undefined;
    }
  }
}
