import { addColumnIfMissing, SqlClient } from '@crescent/sql';

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
  /** The new status, or undefined when the change leaves it as it is (a contact update, a correction). */
  readonly status: InboxStatus | undefined;
  /** The referral as held, changed. */
  readonly update: (held: Record<string, unknown>) => Record<string, unknown>;
  readonly receivedAt: string;
}

interface Row {
  referral_id: string;
  status: InboxStatus;
  record_version: number;
  policy_version: number;
  payload: string;
  received_at: string;
  updated_at: string;
}

/** The inbox read model: the referrals one agency has received, as its policy cut them, kept up to date by their later events. */
export class InboxStore {
  private constructor(private readonly sql: SqlClient) {}

  static async create(sql: SqlClient): Promise<InboxStore> {
    await sql.query(`CREATE TABLE IF NOT EXISTS inbox_referrals (
      agency_id TEXT NOT NULL,
      referral_id TEXT NOT NULL,
      event_id TEXT NOT NULL UNIQUE,
      policy_version INTEGER NOT NULL,
      payload TEXT NOT NULL,
      received_at TEXT NOT NULL,
      PRIMARY KEY (agency_id, referral_id)
    )`);
    // Columns an inbox made before referrals kept their later events lacks.
    await addColumnIfMissing(sql, 'inbox_referrals', 'status', "TEXT NOT NULL DEFAULT 'received'");
    await addColumnIfMissing(sql, 'inbox_referrals', 'record_version', 'INTEGER NOT NULL DEFAULT 1');
    await addColumnIfMissing(sql, 'inbox_referrals', 'updated_at', 'TEXT');
    return new InboxStore(sql);
  }

  /** Stores a referral once; returns false for a delivery it already holds (the bus delivers at least once). */
  async receive(referral: ReceivedReferral): Promise<boolean> {
    const inserted = await this.sql.query<{ referral_id: string }>(
      `INSERT INTO inbox_referrals (agency_id, referral_id, event_id, status, record_version, policy_version, payload, received_at, updated_at)
       VALUES ($1, $2, $3, 'received', $4, $5, $6, $7, $7) ON CONFLICT DO NOTHING RETURNING referral_id`,
      [
        referral.agencyId,
        referral.referralId,
        referral.eventId,
        referral.recordVersion,
        referral.policyVersion,
        JSON.stringify(referral.referral),
        referral.receivedAt,
      ],
    );
    return inserted.length > 0;
  }

  /**
   * Applies a later event to a referral the inbox holds, if it is newer than what the inbox holds;
   * returns false when it is not (a repeated or older delivery) or the referral is not held.
   */
  async change(change: ReferralChange): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      const [row] = await tx.query<Pick<Row, 'payload' | 'status' | 'record_version'>>(
        'SELECT payload, status, record_version FROM inbox_referrals WHERE agency_id = $1 AND referral_id = $2',
        [change.agencyId, change.referralId],
      );
      if (!row || Number(row.record_version) >= change.recordVersion) return false;
      const referral = change.update(JSON.parse(row.payload) as Record<string, unknown>);
      await tx.query(
        `UPDATE inbox_referrals SET payload = $3, status = $4, record_version = $5, policy_version = $6, updated_at = $7
         WHERE agency_id = $1 AND referral_id = $2 AND record_version = $8`,
        [
          change.agencyId,
          change.referralId,
          JSON.stringify(referral),
          change.status ?? row.status,
          change.recordVersion,
          change.policyVersion,
          change.receivedAt,
          row.record_version,
        ],
      );
      return true;
    });
  }

  /** Forgets a referral the agency may no longer hold (a consent was revoked): returns whether it held it. */
  async forget(agencyId: string, referralId: string): Promise<boolean> {
    const removed = await this.sql.query('DELETE FROM inbox_referrals WHERE agency_id = $1 AND referral_id = $2 RETURNING referral_id', [agencyId, referralId]);
    return removed.length > 0;
  }

  async list(agencyId: string): Promise<InboxReferral[]> {
    const rows = await this.sql.query<Row>(
      `SELECT referral_id, status, record_version, policy_version, payload, received_at, updated_at FROM inbox_referrals
       WHERE agency_id = $1 ORDER BY received_at DESC, referral_id`,
      [agencyId],
    );
    return rows.map((row) => ({
      referralId: row.referral_id,
      receivedAt: row.received_at,
      updatedAt: row.updated_at ?? row.received_at,
      status: row.status,
      recordVersion: Number(row.record_version),
      policyVersion: Number(row.policy_version),
      referral: JSON.parse(row.payload),
    }));
  }
}
