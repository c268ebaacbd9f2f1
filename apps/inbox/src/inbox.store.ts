import { EventEmitter } from 'node:events';
import { ConsentPurpose } from '@crescent/domain';
import { SqlClient, SqlValue } from '@crescent/sql';

export const INBOX_STATUSES = ['received', 'acknowledged', 'information-requested', 'accepted', 'declined', 'withdrawn'] as const;

/** Where a referral stands, as far as the agency has been told. */
export type InboxStatus = (typeof INBOX_STATUSES)[number];

export interface InboxReferral {
  readonly referralId: string;
  readonly receivedAt: string;
  /** When the last change to it was received; the same as `receivedAt` until one is. */
  readonly updatedAt: string;
  readonly status: InboxStatus;
  /** The record's version the inbox holds, from its latest event: older or repeated deliveries change nothing. */
  readonly recordVersion: number;
  readonly policyVersion: number;
  readonly referral: Record<string, unknown>;
}

export interface ReceivedReferral {
  readonly agencyId: string;
  readonly referralId: string;
  readonly eventId: string;
  readonly recordVersion: number;
  readonly policyVersion: number;
  readonly referral: Record<string, unknown>;
  readonly receivedAt: string;
}

/** A later event of a referral the inbox holds, as the agency's policy cut it. */
export interface ReferralChange {
  readonly agencyId: string;
  readonly referralId: string;
  readonly recordVersion: number;
  readonly policyVersion: number;
  /** The new status, given the one held; undefined when the change leaves it as it is (a contact update, a correction). */
  readonly status: InboxStatus | ((held: InboxStatus) => InboxStatus) | undefined;
  /** The referral as held, changed. */
  readonly update: (held: Record<string, unknown>) => Record<string, unknown>;
  readonly receivedAt: string;
}

/** What a caseworker narrows the inbox to; every filter is optional and they combine. */
export interface InboxQuery {
  readonly status?: InboxStatus;
  /** Received at or after this instant. */
  readonly receivedFrom?: string;
  /** Received before this instant. */
  readonly receivedTo?: string;
  /** Words looked for in what the agency received of each referral, and nowhere else. */
  readonly text?: string;
  readonly newestFirst: boolean;
  readonly page: number;
  readonly pageSize: number;
}

/** One referral of a page of the inbox, with what a list shows of it. */
export interface InboxSummary extends InboxReferral {
  /** True once a retraction took its data away: only its ids, times and status remain. */
  readonly retracted: boolean;
}

export interface InboxPage {
  readonly items: InboxSummary[];
  /** How many referrals pass the filters, over every page. */
  readonly total: number;
  /** How many referrals of each status pass the filters other than the status. */
  readonly counts: Partial<Record<InboxStatus, number>>;
}

/** A victim's consent the inbox recorded through the exchange, as its caseworker gave it. */
export interface InboxConsent {
  readonly consentId: string;
  readonly recipients: string[];
  readonly purposes: ConsentPurpose[];
  readonly fields: string[];
  readonly expiresAt: string;
  readonly recordedAt: string;
  readonly revokedAt?: string;
}

/** A referral with its status history, the retractions it went through and the consents recorded for it. */
export interface InboxDetail extends InboxSummary {
  readonly history: { readonly status: InboxStatus; readonly at: string }[];
  readonly retractions: { readonly at: string }[];
  readonly consents: InboxConsent[];
}

interface Row {
  referral_id: string;
  retracted: number | boolean;
  status: InboxStatus;
  record_version: number;
  policy_version: number;
  payload: string;
  received_at: string;
  updated_at: string;
}

/** The inbox read model: the referrals one agency has received, as its policy cut them, kept up to date by their later events. */
export class InboxStore {
  private readonly changes = new EventEmitter();

  private constructor(private readonly sql: SqlClient) {
    // Every open stream of a caseworker listens; their number is not bounded by Node's default warning.
    this.changes.setMaxListeners(0);
  }

  /** Calls `listener` with the id of each referral the inbox stores, changes or loses, once the change is stored; returns how to stop. */
  onChange(listener: (change: { readonly agencyId: string; readonly referralId: string }) => void): () => void {
    this.changes.on('change', listener);
    return () => this.changes.off('change', listener);
  }

  private changed(agencyId: string, referralId: string): void {
    this.changes.emit('change', { agencyId, referralId });
  }

  /** The tables come from INBOX_MIGRATIONS. */
  static async create(sql: SqlClient): Promise<InboxStore> {
    return new InboxStore(sql);
  }

  /** Stores a referral once; returns false for a delivery it already holds (the bus delivers at least once). */
  async receive(referral: ReceivedReferral): Promise<boolean> {
    const stored = await this.sql.transaction(async (tx) => {
      const inserted = await tx.query<{ referral_id: string }>(
        `INSERT INTO inbox_referrals (agency_id, referral_id, event_id, status, record_version, policy_version, payload, received_at, updated_at, search_text)
         VALUES ($1, $2, $3, 'received', $4, $5, $6, $7, $7, $8) ON CONFLICT DO NOTHING RETURNING referral_id`,
        [
          referral.agencyId,
          referral.referralId,
          referral.eventId,
          referral.recordVersion,
          referral.policyVersion,
          JSON.stringify(referral.referral),
          referral.receivedAt,
          searchTextOf(referral.referral),
        ],
      );
      if (inserted.length === 0) return false;
      await recordStatus(tx, referral.agencyId, referral.referralId, referral.recordVersion, 'received', referral.receivedAt);
      return true;
    });
    if (stored) this.changed(referral.agencyId, referral.referralId);
    return stored;
  }

  /**
   * Applies a later event to a referral the inbox holds, if it is newer than what the inbox holds;
   * returns false when it is not (a repeated or older delivery) or the referral is not held.
   */
  async change(change: ReferralChange): Promise<boolean> {
    const applied = await this.sql.transaction(async (tx) => {
      const [row] = await tx.query<Pick<Row, 'payload' | 'status' | 'record_version'>>(
        'SELECT payload, status, record_version FROM inbox_referrals WHERE agency_id = $1 AND referral_id = $2 AND retracted = 0',
        [change.agencyId, change.referralId],
      );
      if (!row || Number(row.record_version) >= change.recordVersion) return false;
      const referral = change.update(JSON.parse(row.payload) as Record<string, unknown>);
      const status = typeof change.status === 'function' ? change.status(row.status) : (change.status ?? row.status);
      await tx.query(
        `UPDATE inbox_referrals SET payload = $3, status = $4, record_version = $5, policy_version = $6, updated_at = $7, search_text = $9
         WHERE agency_id = $1 AND referral_id = $2 AND record_version = $8`,
        [
          change.agencyId,
          change.referralId,
          JSON.stringify(referral),
          status,
          change.recordVersion,
          change.policyVersion,
          change.receivedAt,
          row.record_version,
          searchTextOf(referral),
        ],
      );
      if (status !== row.status) await recordStatus(tx, change.agencyId, change.referralId, change.recordVersion, status, change.receivedAt);
      return true;
    });
    if (applied) this.changed(change.agencyId, change.referralId);
    return applied;
  }

  /**
   * Forgets the data it holds of a referral, before a snapshot restates it: returns whether it held it.
   * Its status history stays: the snapshot's events, applied again, find their steps already there, with their times.
   */
  async forget(agencyId: string, referralId: string): Promise<boolean> {
    const removed = await this.sql.query('DELETE FROM inbox_referrals WHERE agency_id = $1 AND referral_id = $2 RETURNING referral_id', [agencyId, referralId]);
    return removed.length > 0;
  }

  /**
   * Takes away a referral's data the agency may no longer hold (a consent was revoked or expired, the
   * record sealed): its ids, times and status stay, with a note that it was retracted. Returns whether it held data of it.
   */
  async retract(agencyId: string, referralId: string, at: string): Promise<boolean> {
    const retracted = await this.sql.transaction(async (tx) => {
      const emptied = await tx.query(
        `UPDATE inbox_referrals SET payload = '{}', search_text = '', retracted = 1, updated_at = $3
         WHERE agency_id = $1 AND referral_id = $2 AND retracted = 0 RETURNING referral_id`,
        [agencyId, referralId, at],
      );
      if (emptied.length === 0) return false;
      await tx.query('INSERT INTO inbox_retractions (agency_id, referral_id, at) VALUES ($1, $2, $3)', [agencyId, referralId, at]);
      return true;
    });
    if (retracted) this.changed(agencyId, referralId);
    return retracted;
  }

  /** The referrals the agency holds data of, newest first. */
  async list(agencyId: string): Promise<InboxReferral[]> {
    const rows = await this.sql.query<Row>(`SELECT ${COLUMNS} FROM inbox_referrals WHERE agency_id = $1 AND retracted = 0 ORDER BY received_at DESC, referral_id`, [agencyId]);
    return rows.map((row) => referralOf(row));
  }

  /** One page of the referrals that pass the filters, with the total and the count of each status. */
  async query(agencyId: string, query: InboxQuery): Promise<InboxPage> {
    const values: SqlValue[] = [agencyId];
    const where = ['agency_id = $1'];
    const add = (condition: string, value: SqlValue) => {
      values.push(value);
      where.push(condition.replace('?', `$${values.length}`));
    };
    if (query.receivedFrom !== undefined) add('received_at >= ?', query.receivedFrom);
    if (query.receivedTo !== undefined) add('received_at < ?', query.receivedTo);
    for (const word of (query.text ?? '').toLowerCase().split(/\s+/).filter(Boolean)) add("search_text LIKE ? ESCAPE '\\'", `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const counted = await this.sql.query<{ status: InboxStatus; n: number | string }>(
      `SELECT status, COUNT(*) AS n FROM inbox_referrals WHERE ${where.join(' AND ')} GROUP BY status`,
      values,
    );
    const counts = Object.fromEntries(counted.map(({ status, n }) => [status, Number(n)]));
    if (query.status !== undefined) add('status = ?', query.status);
    const [{ n: total }] = await this.sql.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM inbox_referrals WHERE ${where.join(' AND ')}`, values);
    const order = query.newestFirst ? 'received_at DESC, referral_id' : 'received_at, referral_id';
    const rows = await this.sql.query<Row>(
      `SELECT ${COLUMNS} FROM inbox_referrals WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
      values,
    );
    return { items: rows.map((row) => summaryOf(row)), total: Number(total), counts };
  }

  /** One referral, its status history and its retractions; undefined when the agency never received it. */
  async detail(agencyId: string, referralId: string): Promise<InboxDetail | undefined> {
    const [row] = await this.sql.query<Row>(`SELECT ${COLUMNS} FROM inbox_referrals WHERE agency_id = $1 AND referral_id = $2`, [agencyId, referralId]);
    if (!row) return undefined;
    const history = await this.sql.query<{ status: InboxStatus; at: string }>(
      'SELECT status, at FROM inbox_referral_history WHERE agency_id = $1 AND referral_id = $2 ORDER BY record_version',
      [agencyId, referralId],
    );
    const retractions = await this.sql.query<{ at: string }>('SELECT at FROM inbox_retractions WHERE agency_id = $1 AND referral_id = $2 ORDER BY at', [agencyId, referralId]);
    const consents = await this.sql.query<{ consent_id: string; terms: string; recorded_at: string; revoked_at: string | null }>(
      'SELECT consent_id, terms, recorded_at, revoked_at FROM inbox_consents WHERE agency_id = $1 AND referral_id = $2 ORDER BY recorded_at, consent_id',
      [agencyId, referralId],
    );
    return {
      ...summaryOf(row),
      history,
      retractions,
      consents: consents.map(({ consent_id, terms, recorded_at, revoked_at }) => ({
        consentId: consent_id,
        ...(JSON.parse(terms) as Pick<InboxConsent, 'recipients' | 'purposes' | 'fields' | 'expiresAt'>),
        recordedAt: recorded_at,
        ...(revoked_at ? { revokedAt: revoked_at } : {}),
      })),
    };
  }

  /** Keeps a consent the exchange accepted, so its caseworkers see and can revoke it. */
  async recordConsent(agencyId: string, referralId: string, consent: Omit<InboxConsent, 'revokedAt'>): Promise<void> {
    const { consentId, recordedAt, recipients, purposes, fields, expiresAt } = consent;
    await this.sql.query(
      'INSERT INTO inbox_consents (agency_id, consent_id, referral_id, terms, recorded_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
      [agencyId, consentId, referralId, JSON.stringify({ recipients, purposes, fields, expiresAt }), recordedAt],
    );
    this.changed(agencyId, referralId);
  }

  /** The referral a consent the inbox recorded is for; undefined for one it did not record. */
  async referralOfConsent(agencyId: string, consentId: string): Promise<string | undefined> {
    const [row] = await this.sql.query<{ referral_id: string }>('SELECT referral_id FROM inbox_consents WHERE agency_id = $1 AND consent_id = $2', [agencyId, consentId]);
    return row?.referral_id;
  }

  async revokeConsent(agencyId: string, consentId: string, at: string): Promise<void> {
    const [row] = await this.sql.query<{ referral_id: string }>(
      'UPDATE inbox_consents SET revoked_at = $3 WHERE agency_id = $1 AND consent_id = $2 AND revoked_at IS NULL RETURNING referral_id',
      [agencyId, consentId, at],
    );
    if (row) this.changed(agencyId, row.referral_id);
  }
}

const COLUMNS = 'referral_id, status, record_version, policy_version, payload, received_at, updated_at, retracted';

function referralOf(row: Row): InboxReferral {
  return {
    referralId: row.referral_id,
    receivedAt: row.received_at,
    updatedAt: row.updated_at ?? row.received_at,
    status: row.status,
    recordVersion: Number(row.record_version),
    policyVersion: Number(row.policy_version),
    referral: JSON.parse(row.payload),
  };
}

function summaryOf(row: Row): InboxSummary {
  return { ...referralOf(row), retracted: Boolean(Number(row.retracted)) };
}

async function recordStatus(tx: SqlClient, agencyId: string, referralId: string, recordVersion: number, status: InboxStatus, at: string): Promise<void> {
  await tx.query(
    'INSERT INTO inbox_referral_history (agency_id, referral_id, record_version, status, at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
    [agencyId, referralId, recordVersion, status, at],
  );
}

/** Every string and number the referral holds, lower-cased, one a line: what free text is looked for in. */
function searchTextOf(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number') return String(value).toLowerCase();
  if (value === null || typeof value !== 'object') return '';
  return Object.values(value).map(searchTextOf).filter(Boolean).join('\n');
}
