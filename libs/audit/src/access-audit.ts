import { Logger } from '@nestjs/common';
import { DomainError, RecordType } from '@crescent/domain';
import { chainHash, GENESIS_HASH } from '@crescent/ledger';
import { SqlClient, SqlDialect, SqlValue } from '@crescent/sql';
import { AccessCategory, AccessEntry, AccessOutcome, assertValidAccessEntry, Principal } from './access-entry';

/** One stored row: its place in the chain and the access it records. */
export interface AccessAuditRow {
  readonly sequence: number;
  readonly previousHash: string;
  readonly hash: string;
  readonly entry: AccessEntry;
}

/**
 * Every filter is optional and they combine. `from` is inclusive, `to` exclusive (ISO-8601 instants);
 * rows come newest first, and `beforeSequence` pages on from the last row already read.
 */
export interface AccessAuditQuery {
  readonly principal?: string;
  readonly recordId?: string;
  readonly category?: AccessCategory;
  readonly from?: string;
  readonly to?: string;
  readonly beforeSequence?: number;
  readonly limit: number;
}

export type AccessAuditVerification =
  | { readonly ok: true; readonly rows: number }
  /** `rows` counts the rows found intact before the first broken link. */
  | { readonly ok: false; readonly rows: number; readonly firstBrokenSequence: number; readonly reason: string };

export interface AccessAuditOptions {
  /** How many rows `verify` reads at a time. */
  readonly verifyPageSize?: number;
}

/** Bumped if the serialisation ever changes; it also keeps these hashes apart from the ledger's. */
const FORMAT = 'crescent.access-audit.v1';

/** Appends take turns so the chain never forks; the key is the audit's own, so it waits on no other table. */
const APPEND_LOCK: Record<SqlDialect, string | undefined> = {
  postgres: 'SELECT pg_advisory_xact_lock(731260421, hashtext(current_schema()))',
  sqlite: undefined,
};

/**
 * The database refuses to change or remove a row, whoever asks through it. The table's owner can still
 * drop the guard; the hash chain is what shows that happened, and production grants the apps' role
 * only INSERT and SELECT.
 */
const APPEND_ONLY: Record<SqlDialect, readonly string[]> = {
  postgres: [
    `CREATE OR REPLACE FUNCTION access_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'access_audit is append-only: % refused', TG_OP; END $$`,
    `CREATE OR REPLACE TRIGGER access_audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON access_audit
      FOR EACH STATEMENT EXECUTE FUNCTION access_audit_refuse_change()`,
  ],
  sqlite: [
    `CREATE TRIGGER IF NOT EXISTS access_audit_no_update BEFORE UPDATE ON access_audit
      BEGIN SELECT RAISE(ABORT, 'access_audit is append-only: UPDATE refused'); END`,
    `CREATE TRIGGER IF NOT EXISTS access_audit_no_delete BEFORE DELETE ON access_audit
      BEGIN SELECT RAISE(ABORT, 'access_audit is append-only: DELETE refused'); END`,
  ],
};

interface StoredRow {
  sequence: string | number;
  previous_hash: string;
  hash: string;
  id: string;
  at: string;
  principal: string;
  action: string;
  category: string;
  record_type: string | null;
  record_id: string | null;
  source: string;
  outcome: string;
  status: string | number | null;
  code: string | null;
}

/**
 * The access audit (CJIS 5.4): who read or changed what, kept apart from the disclosure ledger.
 * Append-only and hash-chained like the ledger: each row's hash covers its sequence, the previous
 * row's hash and the whole entry, so altering, removing or re-hashing a row breaks a link `verify` finds.
 */
export class AccessAudit {
  private readonly logger = new Logger('access-audit');
  private unrecorded = 0;

  private constructor(
    private readonly sql: SqlClient,
    private readonly verifyPageSize: number,
  ) {}

  static async create(sql: SqlClient, options: AccessAuditOptions = {}): Promise<AccessAudit> {
    const verifyPageSize = options.verifyPageSize ?? 500;
    assertPositiveInteger('verifyPageSize', verifyPageSize);
    // Under the append lock: apps starting together would otherwise race on PostgreSQL's catalog.
    await sql.transaction(async (tx) => {
      const lock = APPEND_LOCK[tx.dialect];
      if (lock) await tx.query(lock);
      await tx.query(`CREATE TABLE IF NOT EXISTS access_audit (
        sequence BIGINT NOT NULL PRIMARY KEY,
        previous_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        id TEXT NOT NULL UNIQUE,
        at TEXT NOT NULL,
        principal TEXT NOT NULL,
        action TEXT NOT NULL,
        category TEXT NOT NULL,
        record_type TEXT,
        record_id TEXT,
        source TEXT NOT NULL,
        outcome TEXT NOT NULL,
        status INTEGER,
        code TEXT
      )`);
      await tx.query('CREATE INDEX IF NOT EXISTS access_audit_by_principal ON access_audit (principal, sequence)');
      await tx.query('CREATE INDEX IF NOT EXISTS access_audit_by_record ON access_audit (record_id, sequence)');
      await tx.query('CREATE INDEX IF NOT EXISTS access_audit_by_category ON access_audit (category, sequence)');
      await tx.query('CREATE INDEX IF NOT EXISTS access_audit_by_time ON access_audit (at)');
      for (const statement of APPEND_ONLY[tx.dialect]) await tx.query(statement);
    });
    return new AccessAudit(sql, verifyPageSize);
  }

  /** Appends one entry at the head of the chain. */
  async record(entry: AccessEntry): Promise<AccessAuditRow> {
    assertValidAccessEntry(entry);
    return this.sql.transaction(async (tx) => {
      const lock = APPEND_LOCK[tx.dialect];
      if (lock) await tx.query(lock);
      const [head] = await tx.query<{ sequence: string | number; hash: string }>(
        'SELECT sequence, hash FROM access_audit ORDER BY sequence DESC LIMIT 1',
      );
      const sequence = head ? Number(head.sequence) + 1 : 1;
      const previousHash = head ? head.hash : GENESIS_HASH;
      const hash = hashAccessRow(sequence, previousHash, entry);
      await tx.query(
        `INSERT INTO access_audit (sequence, previous_hash, hash, id, at, principal, action, category, record_type,
           record_id, source, outcome, status, code)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [sequence, previousHash, hash, ...auditFields(entry)],
      );
      return { sequence, previousHash, hash, entry };
    });
  }

  /**
   * Records for a caller that has already answered (an HTTP response sent, a command replied to): a
   * failure is logged as an error, by route and error class only, and counted, never thrown.
   */
  async recordOrReport(entry: AccessEntry): Promise<void> {
    try {
      await this.record(entry);
    } catch (error) {
      this.unrecorded += 1;
      const kind = error instanceof DomainError ? error.code : error instanceof Error ? error.name : typeof error;
      this.logger.error(`could not record ${entry.category} ${entry.action} (${kind}); ${this.unrecorded} access(es) unrecorded since start`);
    }
  }

  /** Accesses this process could not record since it started. */
  get unrecordedSinceStart(): number {
    return this.unrecorded;
  }

  /** The rows that pass every filter given, newest first. */
  async query(query: AccessAuditQuery): Promise<AccessAuditRow[]> {
    const where: string[] = [];
    const values: SqlValue[] = [];
    const add = (condition: string, value: SqlValue) => {
      values.push(value);
      where.push(condition.replace('?', `$${values.length}`));
    };
    if (query.principal !== undefined) add('principal = ?', query.principal);
    if (query.recordId !== undefined) add('record_id = ?', query.recordId);
    if (query.category !== undefined) add('category = ?', query.category);
    if (query.from !== undefined) add('at >= ?', instant('from', query.from));
    if (query.to !== undefined) add('at < ?', instant('to', query.to));
    if (query.beforeSequence !== undefined) {
      assertPositiveInteger('beforeSequence', query.beforeSequence);
      add('sequence < ?', query.beforeSequence);
    }
    assertPositiveInteger('limit', query.limit);
    values.push(query.limit);
    const filter = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
    const rows = await this.sql.query<StoredRow>(`SELECT * FROM access_audit${filter} ORDER BY sequence DESC LIMIT $${values.length}`, values);
    return rows.map((row) => ({ sequence: Number(row.sequence), previousHash: row.previous_hash, hash: row.hash, entry: toEntry(row) }));
  }

  /** Walks the whole chain a page at a time and reports its first broken link. */
  async verify(): Promise<AccessAuditVerification> {
    let expected = 1;
    let previousHash = GENESIS_HASH;
    for (;;) {
      const page = await this.sql.query<StoredRow>('SELECT * FROM access_audit WHERE sequence >= $1 ORDER BY sequence LIMIT $2', [
        expected,
        this.verifyPageSize,
      ]);
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
        if (hashAccessRow(sequence, previousHash, toEntry(row)) !== row.hash) {
          return { ok: false, rows, firstBrokenSequence: sequence, reason: 'stored hash does not match the row' };
        }
        previousHash = row.hash;
        expected += 1;
      }
      if (page.length < this.verifyPageSize) return { ok: true, rows: expected - 1 };
    }
  }
}

/** The link a row stores: its place in the chain, the previous row's hash and every field of its entry. */
export function hashAccessRow(sequence: number, previousHash: string, entry: AccessEntry): string {
  return chainHash(FORMAT, sequence, previousHash, auditFields(entry));
}

/** The entry's fields in the order of the table's columns after the chain's own, which is also the hashed order. */
function auditFields(entry: AccessEntry): SqlValue[] {
  return [
    entry.id,
    entry.at,
    entry.principal,
    entry.action,
    entry.category,
    entry.recordType,
    entry.recordId,
    entry.source,
    entry.outcome,
    entry.status,
    entry.code,
  ];
}

function toEntry(row: StoredRow): AccessEntry {
  return {
    id: row.id,
    at: row.at,
    principal: row.principal as Principal,
    action: row.action,
    category: row.category as AccessCategory,
    recordType: row.record_type as RecordType | null,
    recordId: row.record_id,
    source: row.source,
    outcome: row.outcome as AccessOutcome,
    status: row.status === null ? null : Number(row.status),
    code: row.code,
  };
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

function invalidQuery(problem: string): DomainError {
  return new DomainError('validation', 'AUDIT.INVALID_QUERY', problem);
}
