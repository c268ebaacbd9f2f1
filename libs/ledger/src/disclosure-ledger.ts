import { DomainError } from '@crescent/domain';
import { SqlClient, SqlDialect, SqlValue } from '@crescent/sql';
import { assertValidEntry, DisclosureEntry, DisclosureKind } from './disclosure-entry';
import { GENESIS_HASH, hashRow } from './ledger-hash';

/** One stored row: its place in the chain and what it records. */
export interface LedgerRow {
  readonly sequence: number;
  readonly previousHash: string;
  readonly hash: string;
  readonly entry: DisclosureEntry;
}

/** `from` is inclusive, `to` exclusive (ISO-8601 instants); `afterSequence` pages on from a row already read. */
export interface LedgerRange {
  readonly from?: string;
  readonly to?: string;
  readonly limit?: number;
  readonly afterSequence?: number;
}

export interface LedgerTimeRange extends LedgerRange {
  readonly from: string;
  readonly to: string;
  readonly limit: number;
}

export type LedgerVerification =
  | { readonly ok: true; readonly rows: number }
  /** `rows` counts the rows found intact before the first broken link. */
  | { readonly ok: false; readonly rows: number; readonly firstBrokenSequence: number; readonly reason: string };

export interface DisclosureLedgerOptions {
  /** How many rows `verify` reads at a time. */
  readonly verifyPageSize?: number;
}

/**
 * Appends are serialised so the chain never forks: each reads the head and links to it under one
 * lock held until commit (an advisory lock per schema in PostgreSQL, SQLite's single writer).
 * The key differs from the event store's, so the ledger and the feed do not wait on each other.
 */
const APPEND_LOCK: Record<SqlDialect, string | undefined> = {
  postgres: 'SELECT pg_advisory_xact_lock(731260420, hashtext(current_schema()))',
  sqlite: undefined,
};

interface StoredRow {
  sequence: string | number;
  previous_hash: string;
  hash: string;
  recipient_agency_id: string;
  event_id: string;
  record_type: string;
  record_id: string;
  policy_id: string;
  policy_version: string | number;
  consent_ids: string;
  disclosed_fields: string;
  withheld_fields: string;
  kind: string;
  delivered_at: string;
}

/**
 * The disclosure ledger: append-only and hash-chained, on PostgreSQL or SQLite. Each row's hash covers
 * its sequence, the previous row's hash and the whole entry, so altering, removing or re-hashing a row
 * breaks a link that `verify` finds. Nothing here logs: entries name fields and recipients.
 */
export class DisclosureLedger {
  private constructor(
    private readonly sql: SqlClient,
    private readonly verifyPageSize: number,
  ) {}

  static async create(sql: SqlClient, options: DisclosureLedgerOptions = {}): Promise<DisclosureLedger> {
    const verifyPageSize = options.verifyPageSize ?? 500;
    assertPositiveInteger('verifyPageSize', verifyPageSize);
    // Under the append lock: apps starting together would otherwise race on PostgreSQL's catalog.
    await sql.transaction(async (tx) => {
      const lock = APPEND_LOCK[tx.dialect];
      if (lock) await tx.query(lock);
      await tx.query(`CREATE TABLE IF NOT EXISTS disclosure_ledger (
        sequence BIGINT NOT NULL PRIMARY KEY,
        previous_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        recipient_agency_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        record_type TEXT NOT NULL,
        record_id TEXT NOT NULL,
        policy_id TEXT NOT NULL,
        policy_version INTEGER NOT NULL,
        consent_ids TEXT NOT NULL,
        disclosed_fields TEXT NOT NULL,
        withheld_fields TEXT NOT NULL,
        kind TEXT NOT NULL,
        delivered_at TEXT NOT NULL,
        UNIQUE (recipient_agency_id, event_id, kind)
      )`);
      await tx.query('CREATE INDEX IF NOT EXISTS disclosure_ledger_by_record ON disclosure_ledger (record_type, record_id)');
      await tx.query('CREATE INDEX IF NOT EXISTS disclosure_ledger_by_recipient ON disclosure_ledger (recipient_agency_id, delivered_at)');
      await tx.query('CREATE INDEX IF NOT EXISTS disclosure_ledger_by_time ON disclosure_ledger (delivered_at)');
    });
    return new DisclosureLedger(sql, verifyPageSize);
  }

  /**
   * Appends the entries in order, in one transaction. The relay delivers at least once, so an entry
   * already recorded for its (recipient, event, kind) is skipped: the first record stands.
   */
  async record(entries: readonly DisclosureEntry[]): Promise<void> {
    entries.forEach(assertValidEntry);
    if (entries.length === 0) return;
    await this.sql.transaction(async (tx) => {
      const lock = APPEND_LOCK[tx.dialect];
      if (lock) await tx.query(lock);
      const [head] = await tx.query<{ sequence: string | number; hash: string }>(
        'SELECT sequence, hash FROM disclosure_ledger ORDER BY sequence DESC LIMIT 1',
      );
      let sequence = head ? Number(head.sequence) : 0;
      let previousHash = head ? head.hash : GENESIS_HASH;
      for (const entry of entries) {
        const hash = hashRow(sequence + 1, previousHash, entry);
        const inserted = await tx.query(
          `INSERT INTO disclosure_ledger (sequence, previous_hash, hash, recipient_agency_id, event_id, record_type,
             record_id, policy_id, policy_version, consent_ids, disclosed_fields, withheld_fields, kind, delivered_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
           ON CONFLICT (recipient_agency_id, event_id, kind) DO NOTHING
           RETURNING sequence`,
          [
            sequence + 1,
            previousHash,
            hash,
            entry.recipientAgencyId,
            entry.eventId,
            entry.recordType,
            entry.recordId,
            entry.policyId,
            entry.policyVersion,
            JSON.stringify(entry.consentIds),
            JSON.stringify(entry.disclosedFields),
            JSON.stringify(entry.withheldFields),
            entry.kind,
            entry.deliveredAt,
          ],
        );
        if (inserted.length === 0) continue;
        sequence += 1;
        previousHash = hash;
      }
    });
  }

  /** Everything disclosed about one record, to anyone. */
  byRecord(recordType: string, recordId: string): Promise<LedgerRow[]> {
    return this.select(['record_type = $1', 'record_id = $2'], [recordType, recordId], {});
  }

  /** Everything one recipient received. */
  byRecipient(recipientAgencyId: string, range: LedgerRange = {}): Promise<LedgerRow[]> {
    return this.select(['recipient_agency_id = $1'], [recipientAgencyId], range);
  }

  /** Everything delivered in a time window. */
  byTime(range: LedgerTimeRange): Promise<LedgerRow[]> {
    return this.select([], [], range);
  }

  /** Walks the whole chain a page at a time and reports its first broken link. */
  async verify(): Promise<LedgerVerification> {
    let expected = 1;
    let previousHash = GENESIS_HASH;
    for (;;) {
      const page = await this.sql.query<StoredRow>(
        'SELECT * FROM disclosure_ledger WHERE sequence >= $1 ORDER BY sequence LIMIT $2',
        [expected, this.verifyPageSize],
      );
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
        const entry = tryToEntry(row);
        if (!entry || hashRow(sequence, previousHash, entry) !== row.hash) {
          return { ok: false, rows, firstBrokenSequence: sequence, reason: 'stored hash does not match the row' };
        }
        previousHash = row.hash;
        expected += 1;
      }
      if (page.length < this.verifyPageSize) return { ok: true, rows: expected - 1 };
    }
  }

  private async select(conditions: string[], params: SqlValue[], range: LedgerRange): Promise<LedgerRow[]> {
    const where = [...conditions];
    const values = [...params];
    const add = (condition: string, value: SqlValue) => {
      values.push(value);
      where.push(condition.replace('?', `$${values.length}`));
    };
    if (range.from !== undefined) add('delivered_at >= ?', instant('from', range.from));
    if (range.to !== undefined) add('delivered_at < ?', instant('to', range.to));
    if (range.afterSequence !== undefined) {
      assertNonNegativeInteger('afterSequence', range.afterSequence);
      add('sequence > ?', range.afterSequence);
    }
    let sql = 'SELECT * FROM disclosure_ledger';
    if (where.length > 0) sql += ` WHERE ${where.join(' AND ')}`;
    sql += ' ORDER BY sequence';
    if (range.limit !== undefined) {
      assertPositiveInteger('limit', range.limit);
      values.push(range.limit);
      sql += ` LIMIT $${values.length}`;
    }
    const rows = await this.sql.query<StoredRow>(sql, values);
    return rows.map(toLedgerRow);
  }
}

/** Bounds are compared as text with stored `toISOString` instants, so they are written the same way. */
function instant(name: string, value: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw invalidQuery(`${name} must be an ISO-8601 instant`);
  return new Date(time).toISOString();
}

function assertPositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) throw invalidQuery(`${name} must be a positive integer`);
}

function assertNonNegativeInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw invalidQuery(`${name} must be a non-negative integer`);
}

function invalidQuery(problem: string): DomainError {
  return new DomainError('validation', 'LEDGER.INVALID_QUERY', problem);
}

function toLedgerRow(row: StoredRow): LedgerRow {
  return { sequence: Number(row.sequence), previousHash: row.previous_hash, hash: row.hash, entry: toEntry(row) };
}

function toEntry(row: StoredRow): DisclosureEntry {
  return {
    recipientAgencyId: row.recipient_agency_id,
    eventId: row.event_id,
    recordType: row.record_type,
    recordId: row.record_id,
    policyId: row.policy_id,
    policyVersion: Number(row.policy_version),
    consentIds: JSON.parse(row.consent_ids),
    disclosedFields: JSON.parse(row.disclosed_fields),
    withheldFields: JSON.parse(row.withheld_fields),
    kind: row.kind as DisclosureKind,
    deliveredAt: row.delivered_at,
  };
}

/** A row tampered into unreadable JSON is a broken row, not a failed verification. */
function tryToEntry(row: StoredRow): DisclosureEntry | undefined {
  try {
    return toEntry(row);
  } catch {
    return undefined;
  }
}
