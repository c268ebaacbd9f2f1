import { SqlClient } from '@crescent/sql';

export type IdempotencyClaim<Result> =
  | { readonly outcome: 'claimed' }
  | { readonly outcome: 'replay'; readonly result: Result }
  | { readonly outcome: 'in-progress' }
  | { readonly outcome: 'different-request' };

/**
 * Remembers, per agency and idempotency key, the request that used the key and its result, so a
 * retried request gets the first answer and a reused key with another request is refused.
 */
export class IdempotencyStore {
  private constructor(private readonly sql: SqlClient) {}

  static async create(sql: SqlClient): Promise<IdempotencyStore> {
    await sql.query(`CREATE TABLE IF NOT EXISTS idempotency_keys (
      agency_id TEXT NOT NULL,
      idempotency_key TEXT NOT NULL,
      fingerprint TEXT NOT NULL,
      result TEXT,
      created_at TEXT NOT NULL,
      PRIMARY KEY (agency_id, idempotency_key)
    )`);
    return new IdempotencyStore(sql);
  }

  /** Claims the key for this request, or says why it cannot be claimed. */
  async claim<Result>(agencyId: string, key: string, fingerprint: string): Promise<IdempotencyClaim<Result>> {
    const inserted = await this.sql.query(
      `INSERT INTO idempotency_keys (agency_id, idempotency_key, fingerprint, created_at)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING agency_id`,
      [agencyId, key, fingerprint, new Date().toISOString()],
    );
    if (inserted.length > 0) return { outcome: 'claimed' };
    const [existing] = await this.sql.query<{ fingerprint: string; result: string | null }>(
      'SELECT fingerprint, result FROM idempotency_keys WHERE agency_id = $1 AND idempotency_key = $2',
      [agencyId, key],
    );
    if (!existing) return this.claim(agencyId, key, fingerprint);
    if (existing.fingerprint !== fingerprint) return { outcome: 'different-request' };
    return existing.result === null ? { outcome: 'in-progress' } : { outcome: 'replay', result: JSON.parse(existing.result) };
  }

  async complete(agencyId: string, key: string, result: unknown): Promise<void> {
    await this.sql.query('UPDATE idempotency_keys SET result = $3 WHERE agency_id = $1 AND idempotency_key = $2', [
      agencyId,
      key,
      JSON.stringify(result),
    ]);
  }

  /** Frees a key whose request failed, so the agency can retry it. */
  async release(agencyId: string, key: string): Promise<void> {
    await this.sql.query('DELETE FROM idempotency_keys WHERE agency_id = $1 AND idempotency_key = $2 AND result IS NULL', [
      agencyId,
      key,
    ]);
  }
}
