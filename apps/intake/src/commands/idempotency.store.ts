import { randomUUID } from 'node:crypto';
import { LeaseStore } from '@crescent/event-store';
import { SqlClient } from '@crescent/sql';

/**
 * A key is remembered this long after its first use; then it is free for a new request. Retries come
 * within minutes; a day leaves room for a client that retries after an outage.
 */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60_000;

/** A claim older than this with no result was left by a request that died; a retry takes it over. Longer than any request takes. */
export const IDEMPOTENCY_STALE_CLAIM_MS = 2 * 60_000;

/**
 * Each instance keeps a lease of this lifetime alive while it runs (renewed three times as often): a
 * claim whose instance let its lease lapse (killed, crashed) is taken over at once, not after the stale time.
 */
export const CLAIMING_INSTANCE_TTL_MS = 5000;

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
    private readonly claimer: ClaimingInstance,
  ) {}

  /** `clock` is the time claims are judged by (tests move it by hand); the table comes from IDEMPOTENCY_MIGRATIONS. */
  static async create(sql: SqlClient, clock: () => number = Date.now): Promise<IdempotencyStore> {
    const claimer = new ClaimingInstance(await LeaseStore.create(sql, clock));
    await claimer.keepAlive();
    return new IdempotencyStore(sql, clock, { last: 0 }, claimer);
  }

  /** The same keys, read and written in the transaction `tx` of their database: what it writes commits with the rest of `tx`, or not at all. */
  within(tx: SqlClient): IdempotencyStore {
    return new IdempotencyStore(tx, this.clock, this.sweeps, this.claimer);
  }

  /** Stops keeping this instance alive and lets its claims go at once: a clean shutdown, after its last request. */
  async onApplicationShutdown(): Promise<void> {
    await this.claimer.stop();
  }

  /** Claims the key for this request, or says why it cannot be claimed. */
  async claim<Result>(agencyId: string, key: string, fingerprint: string): Promise<IdempotencyClaim<Result>> {
    const now = this.clock();
    const expiredBefore = new Date(now - IDEMPOTENCY_KEY_TTL_MS).toISOString();
    await this.sweep(now, expiredBefore);
    const operationId = randomUUID();
    // A new key, or one expired since its first use (taken over in the same statement, as new).
    const inserted = await this.sql.query(
      `INSERT INTO idempotency_keys (agency_id, idempotency_key, fingerprint, created_at, claimed_at, operation_id, claimed_by)
       VALUES ($1, $2, $3, $4, $5, $6, $8)
       ON CONFLICT (agency_id, idempotency_key) DO UPDATE SET fingerprint = excluded.fingerprint, result = NULL,
         created_at = excluded.created_at, claimed_at = excluded.claimed_at, operation_id = excluded.operation_id, claimed_by = excluded.claimed_by
       WHERE idempotency_keys.created_at < $7
       RETURNING agency_id`,
      [agencyId, key, fingerprint, new Date(now).toISOString(), now, operationId, expiredBefore, this.claimer.id],
      // On every submission's path: planned once per connection.
      'idempotency_claim',
    );
    if (inserted.length > 0) return { outcome: 'claimed', operationId, resumed: false };
    // With whether the instance that claimed it is alive: this one, one whose lease runs, or one from before instances were noted.
    const [existing] = await this.sql.query<{ fingerprint: string; result: string | null; claimed_at: string | number; operation_id: string | null; claimer_alive: string | number }>(
      `SELECT fingerprint, result, claimed_at, operation_id,
         CASE WHEN claimed_by IS NULL OR claimed_by = $4 OR EXISTS (SELECT 1 FROM leases WHERE name = claimed_by AND expires_at >= $3) THEN 1 ELSE 0 END AS claimer_alive
       FROM idempotency_keys WHERE agency_id = $1 AND idempotency_key = $2`,
      [agencyId, key, now, this.claimer.id],
    );
    if (!existing) return this.claim(agencyId, key, fingerprint);
    if (existing.fingerprint !== fingerprint) return { outcome: 'different-request' };
    if (existing.result !== null) return { outcome: 'replay', result: JSON.parse(existing.result) };
    if (Number(existing.claimer_alive) === 1 && Number(existing.claimed_at) > now - IDEMPOTENCY_STALE_CLAIM_MS) return { outcome: 'in-progress' };
    // Taken over only by the one retry whose update finds the claim as it was read.
    const resumed = await this.sql.query(
      `UPDATE idempotency_keys SET claimed_at = $3, operation_id = $4, claimed_by = $6
       WHERE agency_id = $1 AND idempotency_key = $2 AND result IS NULL AND claimed_at = $5 RETURNING agency_id`,
      [agencyId, key, now, existing.operation_id ?? operationId, Number(existing.claimed_at), this.claimer.id],
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

/** This intake instance: its claims carry its id, and its lease, renewed while it runs, says it is alive. */
class ClaimingInstance {
  readonly id = `idempotency-claims:${randomUUID()}`;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly leases: LeaseStore) {
    this.heartbeat = setInterval(() => void this.keepAlive().catch(() => undefined), CLAIMING_INSTANCE_TTL_MS / 3).unref();
  }

  async keepAlive(): Promise<void> {
    await this.leases.acquire(this.id, this.id, CLAIMING_INSTANCE_TTL_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.leases.release(this.id, this.id).catch(() => undefined);
  }
}
