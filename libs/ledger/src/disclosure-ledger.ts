import { insertRows, SqlClient, SqlDialect, SqlValue } from '@crescent/sql';
import type { Fence } from '@crescent/event-store';
import { assertValidEntry, DisclosureEntry, DisclosureKind } from './disclosure-entry';
import { ChainedRow, ChainVerification, ChainWriter, HashChainOptions, HashChainSpec, HashChainTable, StoredLink } from './hash-chain-table';
import { AnchorKey, anchorSignatureValid, ChainAnchor, ChainHead } from './chain-anchor';
import { hashRow, ledgerFields } from './ledger-hash';
import { QueryArguments } from './query-arguments';

export type LedgerRow = ChainedRow<DisclosureEntry>;

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

export type LedgerVerification = ChainVerification;

export type DisclosureLedgerOptions = HashChainOptions;

interface StoredRow extends StoredLink {
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

const ARGUMENTS = new QueryArguments('LEDGER.INVALID_QUERY');

const CHAIN: HashChainSpec<DisclosureEntry, StoredRow> = {
  table: 'disclosure_ledger',
  // Not the event store's key, so the ledger and the feed do not wait on each other.
  lockKey: 731260420,
  hash: hashRow,
  entryOf: toEntry,
  arguments: ARGUMENTS,
};

/**
 * The disclosure ledger: an append-only, hash-chained table (see `HashChainTable`) on PostgreSQL or
 * SQLite. Nothing here logs: entries name fields and recipients.
 */
export class DisclosureLedger {
  private constructor(
    private readonly sql: SqlClient,
    private readonly chain: HashChainTable<DisclosureEntry, StoredRow>,
  ) {}

  /** The table comes from DISCLOSURE_LEDGER_MIGRATIONS. */
  static async create(sql: SqlClient, options: DisclosureLedgerOptions = {}): Promise<DisclosureLedger> {
    return new DisclosureLedger(sql, await HashChainTable.create(sql, CHAIN, options));
  }

  /**
   * Appends the entries in order, in one transaction. The relay delivers at least once, so an entry
   * already recorded for its (recipient, event, kind) is skipped: the first record stands. Only the
   * relay records, and only while its lease holds (LeaseLostError otherwise, nothing recorded).
   * `alongside` writes what must commit with the entries (the relay's checkpoint) in their
   * transaction, or in one of its own when there are none; either way under the same fence check, so
   * it needs none of its own.
   */
  async record(entries: readonly DisclosureEntry[], fence: Fence, alongside?: (tx: SqlClient) => Promise<void>): Promise<void> {
    entries.forEach(assertValidEntry);
    if (entries.length > 0) await this.chain.append(entries, WRITER, fence, alongside);
    else if (alongside) {
      await this.sql.transaction(async (tx) => {
        await fence.check(tx);
        await alongside(tx);
      });
    }
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

  /** The newest entry's place and hash, to anchor outside the database; undefined while empty. */
  head(): Promise<ChainHead | undefined> {
    return this.chain.head();
  }

  /**
   * Walks the whole chain a page at a time and reports its first broken link; with the newest anchor
   * and its key, also that the chain still reaches the anchored head (rows deleted from its end, or a
   * rebuilt chain, break it there) and that the anchor is genuine.
   */
  async verify(anchoring?: { readonly anchor: ChainAnchor; readonly key: AnchorKey }): Promise<LedgerVerification> {
    if (anchoring && !anchorSignatureValid(anchoring.anchor, anchoring.key)) {
      return { ok: false, rows: 0, firstBrokenSequence: anchoring.anchor.sequence, reason: 'the newest anchor is not signed with the anchoring key' };
    }
    return this.chain.verify(anchoring?.anchor);
  }

  private async select(conditions: string[], params: SqlValue[], range: LedgerRange): Promise<LedgerRow[]> {
    const where = [...conditions];
    const values = [...params];
    const add = (condition: string, value: SqlValue) => {
      values.push(value);
      where.push(condition.replace('?', `$${values.length}`));
    };
    if (range.from !== undefined) add('delivered_at >= ?', ARGUMENTS.instant('from', range.from));
    if (range.to !== undefined) add('delivered_at < ?', ARGUMENTS.instant('to', range.to));
    if (range.afterSequence !== undefined) {
      ARGUMENTS.assertNonNegativeInteger('afterSequence', range.afterSequence);
      add('sequence > ?', range.afterSequence);
    }
    let sql = 'SELECT * FROM disclosure_ledger';
    if (where.length > 0) sql += ` WHERE ${where.join(' AND ')}`;
    sql += ' ORDER BY sequence';
    if (range.limit !== undefined) {
      ARGUMENTS.assertPositiveInteger('limit', range.limit);
      values.push(range.limit);
      sql += ` LIMIT $${values.length}`;
    }
    const rows = await this.sql.query<StoredRow>(sql, values);
    return rows.map((row) => this.chain.rowOf(row));
  }
}

const COLUMNS = [
  'sequence', 'previous_hash', 'hash', 'recipient_agency_id', 'event_id', 'record_type', 'record_id', 'policy_id',
  'policy_version', 'consent_ids', 'disclosed_fields', 'withheld_fields', 'kind', 'delivered_at',
];

/** An entry's identity in the ledger: one (recipient, event, kind) is recorded once. */
const UNIQUE_KEY = ['recipient_agency_id', 'event_id', 'kind'] as const;
type Key = Record<(typeof UNIQUE_KEY)[number], string>;
const keyOf = (entry: DisclosureEntry): Key => ({ recipient_agency_id: entry.recipientAgencyId, event_id: entry.eventId, kind: entry.kind });
const keyText = (key: Key) => JSON.stringify(UNIQUE_KEY.map((column) => key[column]));

/** The keys among $1 (a JSON array of keys) the ledger holds: one statement, looked up by the unique key's index. */
const RECORDED: Record<SqlDialect, string> = {
  postgres: `SELECT ${UNIQUE_KEY.map((column) => `ledger.${column}`).join(', ')} FROM disclosure_ledger AS ledger
    JOIN json_to_recordset(CAST($1 AS json)) AS wanted(${UNIQUE_KEY.map((column) => `${column} TEXT`).join(', ')}) USING (${UNIQUE_KEY.join(', ')})`,
  sqlite: `SELECT ${UNIQUE_KEY.join(', ')} FROM disclosure_ledger
    WHERE (${UNIQUE_KEY.join(', ')}) IN (SELECT ${UNIQUE_KEY.map((column) => `json_extract(value, '$.${column}')`).join(', ')} FROM json_each($1))`,
};

const WRITER: ChainWriter<DisclosureEntry> = {
  /** The relay delivers at least once: an entry recorded before (or earlier in the batch) is skipped. */
  async recorded(tx, entries) {
    const keys = entries.map(keyOf);
    const seen = new Set((await tx.query<Key>(RECORDED[tx.dialect], [JSON.stringify(keys)])).map(keyText));
    return keys.map((key) => {
      const text = keyText(key);
      if (seen.has(text)) return true;
      seen.add(text);
      return false;
    });
  },
  insert: (tx, rows) =>
    insertRows(
      tx,
      'disclosure_ledger',
      COLUMNS,
      // The lists are stored as JSON text.
      rows.map(({ sequence, previousHash, hash, entry }) => [sequence, previousHash, hash, ...ledgerFields(entry).map((field) => (typeof field === 'object' ? JSON.stringify(field) : field))]),
    ),
};

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
