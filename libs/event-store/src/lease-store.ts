import { SqlClient } from '@crescent/sql';

/** A fenced write found that its writer no longer holds the lease: nothing of it was written. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  /** Not worth trying again: the writer must step down and, to work again, take the lease anew. */
  readonly retriable = false;

  constructor(leaseName: string) {
    super(`the ${leaseName} lease is no longer held under this fencing token`);
  }
}

/**
 * What a lease holder's writes carry: each checks, in the write's own transaction, that the lease is
 * still its holder's under the same fencing token and has not expired, so a holder that was paused
 * past its lease (a stopped process, a long GC) cannot write over the one that took it over.
 */
export interface Fence {
  /** Throws LeaseLostError unless the lease still holds; on PostgreSQL it also locks the lease row until commit, so no takeover lands mid-write. */
  check(tx: SqlClient): Promise<void>;
}

/** One holder's tenure of a lease: renewals keep its token; a takeover (or a lapse retaken) gets a higher one. */
export class Lease implements Fence {
  constructor(
    readonly name: string,
    readonly holder: string,
    readonly token: number,
    private readonly clock: () => number,
  ) {}

  async check(tx: SqlClient): Promise<void> {
    const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
    const rows = await tx.query(`SELECT 1 FROM leases WHERE name = $1 AND holder = $2 AND fence = $3 AND expires_at >= $4${lock}`, [
      this.name,
      this.holder,
      this.token,
      this.clock(),
    ]);
    if (rows.length === 0) throw new LeaseLostError(this.name);
  }

  /** Whether `renewed` (what a later `acquire` gave) is this same tenure. */
  continuedBy(renewed: Lease | undefined): boolean {
    return renewed !== undefined && renewed.token === this.token;
  }
}

/**
 * Time-limited leases in the database, so exactly one of several instances does a job (the relay):
 * a holder renews its lease well within its lifetime; when it dies, another takes the lease once
 * it has expired. Each tenure has a fencing token that only grows. Works the same on PostgreSQL and SQLite.
 */
export class LeaseStore {
  private constructor(
    private readonly sql: SqlClient,
    private readonly clock: () => number,
  ) {}

  /** `clock` is the time leases are judged by (tests move it by hand); the table comes from EVENT_STORE_MIGRATIONS. */
  static async create(sql: SqlClient, clock: () => number = Date.now): Promise<LeaseStore> {
    return new LeaseStore(sql, clock);
  }

  /**
   * Takes or renews the lease for `holder`; undefined while another holder's lease is still running.
   * The token stays while the holder renews in time and grows whenever the lease changes hands or lapsed.
   */
  async acquire(name: string, holder: string, ttlMs: number): Promise<Lease | undefined> {
    const now = this.clock();
    const [row] = await this.sql.query<{ fence: string | number }>(
      `INSERT INTO leases (name, holder, expires_at, fence) VALUES ($1, $2, $3, 1)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
         fence = CASE WHEN leases.holder = excluded.holder AND leases.expires_at >= $4 THEN leases.fence ELSE leases.fence + 1 END
       WHERE leases.holder = excluded.holder OR leases.expires_at < $4
       RETURNING fence`,
      [name, holder, now + ttlMs, now],
    );
    return row ? new Lease(name, holder, Number(row.fence), this.clock) : undefined;
  }

  /** Gives the lease up at once (a clean shutdown), so a standby need not wait for it to expire; the row stays, so tokens keep growing. */
  async release(name: string, holder: string): Promise<void> {
    await this.sql.query('UPDATE leases SET expires_at = 0 WHERE name = $1 AND holder = $2', [name, holder]);
  }
}
