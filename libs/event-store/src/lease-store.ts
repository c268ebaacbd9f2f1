import { SqlClient } from '@crescent/sql';

/**
 * Time-limited leases in the database, so exactly one of several instances does a job (the relay):
 * a holder renews its lease well within its lifetime; when it dies, another takes the lease once
 * it has expired. Works the same on PostgreSQL and SQLite.
 */
export class LeaseStore {
  private constructor(private readonly sql: SqlClient) {}

  static async create(sql: SqlClient): Promise<LeaseStore> {
    await sql.query('CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at BIGINT NOT NULL)');
    return new LeaseStore(sql);
  }

  /** Takes or renews the lease for `holder`; false while another holder's lease is still running. */
  async acquire(name: string, holder: string, ttlMs: number, nowMs = Date.now()): Promise<boolean> {
    const rows = await this.sql.query(
      `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at < $4
       RETURNING holder`,
      [name, holder, nowMs + ttlMs, nowMs],
    );
    return rows.length > 0;
  }

  /** Gives the lease up at once (a clean shutdown), so a standby need not wait for it to expire. */
  async release(name: string, holder: string): Promise<void> {
    await this.sql.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder]);
  }
}
