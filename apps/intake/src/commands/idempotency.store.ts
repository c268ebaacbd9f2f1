import { randomUUID } from 'node:crypto';
import { addColumnIfMissing, SqlClient } from '@crescent/sql';

/**
 * A key is remembered this long after its first use; then it is free for a new request. Retries come
 * within minutes; a day leaves room for a client that retries after an outage.
 */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60_000;

/** A claim older than this with no result was left by a request that died; a retry takes it over. Longer than any request takes. */
export const IDEMPOTENCY_STALE_CLAIM_MS = 2 * 60_000;

/** How often expired keys are swept out, at most. */
const SWEEP_EVERY_MS = 60 * 60_000;

export type IdempotencyClaim<Result> =
  /**
   * The request is this one's to carry out, as operation `operationId` (the same for every attempt
   * under the key, so what it writes has the same ids each time). `resumed`: an earlier attempt died
   * or failed mid-way, and may have written already.
   */
  | { readonly outcome: 'claimed'; readonly operationId: string; readonly resumed: boolean }
  | { readonly outcome: 'replay'; readonly result: Result }
  | { readonly outcome: 'in-progress' }
  | { readonly outcome: 'different-request' };

/**
 * Remembers, per agency and idempotency key, the request that used the key and its result, so a
 * retried request gets the first answer and a reused key with another request is refused.
 */
export class IdempotencyStore {
  private constructor(
    private readonly sql: SqlClient,
    private readonly clock: () => number,
    /** When expired keys were last swept out: shared with the views of this store in a transaction. */
    private readonly sweeps: { last: number },
  ) {}

  /** `clock` is the time claims are judged by (tests move it by hand). */
  static async create(sql: SqlClient, clock: () => number = Date.now): Promise<IdempotencyStore> {
    await sql.query(`CREATE TABLE IF NOT EXISTS idempotency_keys (
      agency_id TEXT NOT NULL,
      idempotency_key TEXT NOT NULL,
      fingerprint TEXT NOT NULL,
      result TEXT,
      created_at TEXT NOT NULL,
      PRIMARY KEY (agency_id, idempotency_key)
    )`);
    // Keys claimed before these existed: an unfinished one counts as abandoned long ago.
    await addColumnIfMissing(sql, 'idempotency_keys', 'claimed_at', 'BIGINT NOT NULL DEFAULT 0');
    await addColumnIfMissing(sql, 'idempotency_keys', 'operation_id', 'TEXT');
    return new IdempotencyStore(sql, clock, { last: 0 });
  }

  /** The same keys, read and written in the transaction `tx` of their database: what it writes commits with the rest of `tx`, or not at all. */
  within(tx: SqlClient): IdempotencyStore {
    return new IdempotencyStore(tx, this.clock, this.sweeps);
  }

  /** Claims the key for this request, or says why it cannot be claimed. */
  async claim<Result>(agencyId: string, key: string, fingerprint: string): Promise<IdempotencyClaim<Result>> {
    const now = this.clock();
    const expiredBefore = new Date(now - IDEMPOTENCY_KEY_TTL_MS).toISOString();
    await this.sweep(now, expiredBefore);
    const operationId = randomUUID();
    // A new key, or one expired since its first use (taken over in the same statement, as new).
    const inserted = await this.sql.query(
      `INSERT INTO idempotency_keys (agency_id, idempotency_key, fingerprint, created_at, claimed_at, operation_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (agency_id, idempotency_key) DO UPDATE SET fingerprint = excluded.fingerprint, result = NULL,
         created_at = excluded.created_at, claimed_at = excluded.claimed_at, operation_id = excluded.operation_id
       WHERE idempotency_keys.created_at < $7
       RETURNING agency_id`,
      [agencyId, key, fingerprint, new Date(now).toISOString(), now, operationId, expiredBefore],
      // On every submission's path: planned once per connection.
      'idempotency_claim',
    );
    if (inserted.length > 0) return { outcome: 'claimed', operationId, resumed: false };
    const [existing] = await this.sql.query<{ fingerprint: string; result: string | null; claimed_at: string | number; operation_id: string | null }>(
      'SELECT fingerprint, result, claimed_at, operation_id FROM idempotency_keys WHERE agency_id = $1 AND idempotency_key = $2',
      [agencyId, key],
    );
    if (!existing) return this.claim(agencyId, key, fingerprint);
    if (existing.fingerprint !== fingerprint) return { outcome: 'different-request' };
    if (existing.result !== null) return { outcome: 'replay', result: JSON.parse(existing.result) };
    if (Number(existing.claimed_at) > now - IDEMPOTENCY_STALE_CLAIM_MS) return { outcome: 'in-progress' };
    // Taken over only by the one retry whose update finds the claim as it was read.
    const resumed = await this.sql.query(
      `UPDATE idempotency_keys SET claimed_at = $3, operation_id = $4
       WHERE agency_id = $1 AND idempotency_key = $2 AND result IS NULL AND claimed_at = $5 RETURNING agency_id`,
      [agencyId, key, now, existing.operation_id ?? operationId, Number(existing.claimed_at)],
    );
    return resumed.length > 0 ? { outcome: 'claimed', operationId: existing.operation_id ?? operationId, resumed: true } : { outcome: 'in-progress' };
  }

  async complete(agencyId: string, key: string, result: unknown): Promise<void> {
    await this.sql.query('UPDATE idempotency_keys SET result = $3 WHERE agency_id = $1 AND idempotency_key = $2', [agencyId, key, JSON.stringify(result)], 'idempotency_complete');
  }

  /** Frees a key whose request was refused before it wrote anything, so the agency can send it again, corrected or not. */
  async release(agencyId: string, key: string): Promise<void> {
    await this.sql.query('DELETE FROM idempotency_keys WHERE agency_id = $1 AND idempotency_key = $2 AND result IS NULL', [agencyId, key]);
  }

  /**
   * Gives up a claim whose request failed, so the agency can retry at once. The claim (and its
   * operation) stays: the failure may have come after the write, and the retry must find it.
   */
  async abandon(agencyId: string, key: string): Promise<void> {
    await this.sql.query('UPDATE idempotency_keys SET claimed_at = 0 WHERE agency_id = $1 AND idempotency_key = $2 AND result IS NULL', [agencyId, key]);
  }

  private async sweep(now: number, expiredBefore: string): Promise<void> {
    if (now - this.sweeps.last < SWEEP_EVERY_MS) return;
    this.sweeps.last = now;
    await this.sql.query('DELETE FROM idempotency_keys WHERE created_at < $1', [expiredBefore]);
  }
}
