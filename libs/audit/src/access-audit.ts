import { Logger } from '@nestjs/common';
import { DomainError, RecordType } from '@crescent/domain';
import { ChainedRow, chainHash, ChainVerification, ChainWriter, HashChainOptions, HashChainSpec, HashChainTable, QueryArguments, StoredLink } from '@crescent/ledger';
import { insertRows, RowValue, SqlClient, SqlValue } from '@crescent/sql';
import { AccessCategory, AccessEntry, AccessOutcome, assertValidAccessEntry, Principal } from './access-entry';

export type AccessAuditRow = ChainedRow<AccessEntry>;

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

export type AccessAuditVerification = ChainVerification;

export type AccessAuditOptions = HashChainOptions;

/** Bumped if the serialisation ever changes; it also keeps these hashes apart from the ledger's. */
const FORMAT = 'crescent.access-audit.v1';

interface StoredRow extends StoredLink {
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
  on_behalf_of?: string | null;
}

const ARGUMENTS = new QueryArguments('AUDIT.INVALID_QUERY');

const CHAIN: HashChainSpec<AccessEntry, StoredRow> = {
  table: 'access_audit',
  // The audit's own key, so its appends wait on no other table.
  lockKey: 731260421,
  hash: hashAccessRow,
  entryOf: toEntry,
  arguments: ARGUMENTS,
};

/**
 * The access audit (CJIS 5.4): who read or changed what, kept apart from the disclosure ledger in an
 * append-only, hash-chained table of its own (see `HashChainTable`).
 */
export class AccessAudit {
  private readonly logger = new Logger('access-audit');
  private unrecorded = 0;
  /** The entries waiting for the batch being written now (undefined when none waits). */
  private gathering: { readonly entries: AccessEntry[]; readonly written: Promise<void> } | undefined;
  /** The last batch's write: the next one starts after it. */
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly sql: SqlClient,
    private readonly chain: HashChainTable<AccessEntry, StoredRow>,
  ) {}

  /** The table comes from ACCESS_AUDIT_MIGRATIONS. */
  static async create(sql: SqlClient, options: AccessAuditOptions = {}): Promise<AccessAudit> {
    return new AccessAudit(sql, await HashChainTable.create(sql, CHAIN, options));
  }

  /** Appends one entry at the head of the chain. */
  async record(entry: AccessEntry): Promise<AccessAuditRow> {
    assertValidAccessEntry(entry);
    const [row] = await this.chain.append([entry], WRITER);
    return row;
  }

  /**
   * Records for a caller that has already answered (an HTTP response sent, a command replied to): a
   * failure is logged as an error, by route and error class only, and counted, never thrown. Entries
   * that come while a batch is being written are written together next, in one transaction: the
   * chain's lock is taken once per batch, not once per request. Resolves once the entry's batch is.
   */
  recordOrReport(entry: AccessEntry): Promise<void> {
    if (!this.gathering) {
      const entries: AccessEntry[] = [];
      const written = this.writing.then(() => {
        this.gathering = undefined;
        return this.recordBatch(entries);
      });
      this.gathering = { entries, written };
      this.writing = written;
    }
    this.gathering.entries.push(entry);
    return this.gathering.written;
  }

  private async recordBatch(entries: readonly AccessEntry[]): Promise<void> {
    const valid = entries.filter((entry) => {
      try {
        assertValidAccessEntry(entry);
        return true;
      } catch (error) {
        this.reportUnrecorded(entry, error);
        return false;
      }
    });
    if (valid.length === 0) return;
    try {
      await this.chain.append(valid, WRITER);
    } catch (error) {
      for (const entry of valid) this.reportUnrecorded(entry, error);
    }
  }

  private reportUnrecorded(entry: AccessEntry, error: unknown): void {
    this.unrecorded += 1;
    const kind = error instanceof DomainError ? error.code : error instanceof Error ? error.name : typeof error;
    this.logger.error(`could not record ${entry.category} ${entry.action} (${kind}); ${this.unrecorded} access(es) unrecorded since start`);
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
    if (query.from !== undefined) add('at >= ?', ARGUMENTS.instant('from', query.from));
    if (query.to !== undefined) add('at < ?', ARGUMENTS.instant('to', query.to));
    if (query.beforeSequence !== undefined) {
      ARGUMENTS.assertPositiveInteger('beforeSequence', query.beforeSequence);
      add('sequence < ?', query.beforeSequence);
    }
    ARGUMENTS.assertPositiveInteger('limit', query.limit);
    values.push(query.limit);
    const filter = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
    const rows = await this.sql.query<StoredRow>(`SELECT * FROM access_audit${filter} ORDER BY sequence DESC LIMIT $${values.length}`, values);
    return rows.map((row) => this.chain.rowOf(row));
  }

  /** Walks the whole chain a page at a time and reports its first broken link. */
  verify(): Promise<AccessAuditVerification> {
    return this.chain.verify();
  }
}

/** The link a row stores: its place in the chain, the previous row's hash and every field of its entry. */
export function hashAccessRow(sequence: number, previousHash: string, entry: AccessEntry): string {
  return chainHash(FORMAT, sequence, previousHash, auditFields(entry));
}

/**
 * The entry's fields in the order of the table's columns after the chain's own, which is also the
 * hashed order. The person acting is hashed only when there is one, so entries from before it hash as they did.
 */
function auditFields(entry: AccessEntry): RowValue[] {
  return [...ownFields(entry), ...(entry.onBehalfOf ? [entry.onBehalfOf] : [])];
}

function ownFields(entry: AccessEntry): RowValue[] {
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

const COLUMNS = [
  'sequence', 'previous_hash', 'hash', 'id', 'at', 'principal', 'action', 'category', 'record_type', 'record_id',
  'source', 'outcome', 'status', 'code', 'on_behalf_of',
];

/** Never skips: an entry recorded twice breaks the unique id and fails, as any other failed insert. */
const WRITER: ChainWriter<AccessEntry> = {
  insert: (tx, rows) =>
    insertRows(tx, 'access_audit', COLUMNS, rows.map(({ sequence, previousHash, hash, entry }) => [sequence, previousHash, hash, ...ownFields(entry), entry.onBehalfOf ?? null])),
};

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
    ...(row.on_behalf_of ? { onBehalfOf: row.on_behalf_of } : {}),
  };
}
