import { SqlClient } from '@crescent/sql';

export interface InboxReferral {
  readonly referralId: string;
  readonly receivedAt: string;
  readonly policyVersion: number;
  readonly referral: Record<string, unknown>;
}

export interface ReceivedReferral extends InboxReferral {
  readonly agencyId: string;
  readonly eventId: string;
}

/** The inbox read model: the referrals one agency has received, as its policy cut them. */
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
    return new InboxStore(sql);
  }

  /** Stores a referral once; returns false for a delivery it already holds (the bus delivers at least once). */
  async receive(referral: ReceivedReferral): Promise<boolean> {
    const inserted = await this.sql.query<{ referral_id: string }>(
      `INSERT INTO inbox_referrals (agency_id, referral_id, event_id, policy_version, payload, received_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING referral_id`,
      [
        referral.agencyId,
        referral.referralId,
        referral.eventId,
        referral.policyVersion,
        JSON.stringify(referral.referral),
        referral.receivedAt,
      ],
    );
    return inserted.length > 0;
  }

  /** Forgets a referral the agency may no longer hold (a consent was revoked): returns whether it held it. */
  async forget(agencyId: string, referralId: string): Promise<boolean> {
    const removed = await this.sql.query('DELETE FROM inbox_referrals WHERE agency_id = $1 AND referral_id = $2 RETURNING referral_id', [agencyId, referralId]);
    return removed.length > 0;
  }

  async list(agencyId: string): Promise<InboxReferral[]> {
    const rows = await this.sql.query<{ referral_id: string; policy_version: number; payload: string; received_at: string }>(
      `SELECT referral_id, policy_version, payload, received_at FROM inbox_referrals
       WHERE agency_id = $1 ORDER BY received_at DESC, referral_id`,
      [agencyId],
    );
    return rows.map((row) => ({
      referralId: row.referral_id,
      receivedAt: row.received_at,
      policyVersion: Number(row.policy_version),
      referral: JSON.parse(row.payload),
    }));
  }
}
