import { Logger } from '@nestjs/common';
import { newTestDatabase, openTestDatabase, TestDialect } from '@crescent/test-support';
import { SqlClient } from '@crescent/sql';
import { AccessAudit, AccessAuditRow, hashAccessRow } from './access-audit';
import { AccessEntry } from './access-entry';
import { ACCESS_AUDIT_MIGRATIONS } from './access-audit.migrations';

const START = Date.parse('2025-03-01T10:00:00.000Z');

/** The n-th access, n minutes after the start: agencies 0 and 1 take turns reading referrals 0 to 2. */
function access(n: number, overrides: Partial<AccessEntry> = {}): AccessEntry {
  return {
    id: `access-${n}`,
    at: new Date(START + n * 60_000).toISOString(),
    principal: `agency:agency-${n % 2}`,
    action: 'GET /v1/referrals/:id',
    category: 'record-read',
    recordType: 'victim-referral',
    recordId: `referral-${n % 3}`,
    source: '127.0.0.1',
    outcome: 'success',
    status: 200,
    code: null,
    ...overrides,
  };
}

const ids = (rows: AccessAuditRow[]) => rows.map((row) => row.entry.id);

describe.each<TestDialect>(['postgres', 'sqlite'])('the %s access audit', (dialect) => {
  let sql: SqlClient;
  let audit: AccessAudit;

  beforeEach(async () => {
    sql = await openTestDatabase(dialect, ACCESS_AUDIT_MIGRATIONS);
    // Small pages, so verification carries the chain across page boundaries.
    audit = await AccessAudit.create(sql, { verifyPageSize: 2 });
  });

  afterEach(() => sql.close());

  async function recordAll(count: number): Promise<void> {
    for (let n = 1; n <= count; n += 1) await audit.record(access(n));
  }

  it('stores each entry as given, chained to the one before', async () => {
    const first = await audit.record(access(1));
    const denied = access(2, { principal: 'anonymous', category: 'authentication', outcome: 'denied', status: 401, code: 'AUTH.UNKNOWN_CREDENTIAL', recordId: null, recordType: null });
    const second = await audit.record(denied);

    expect(first).toEqual({ sequence: 1, previousHash: '0'.repeat(64), hash: expect.stringMatching(/^[0-9a-f]{64}$/), entry: access(1) });
    expect(second).toMatchObject({ sequence: 2, previousHash: first.hash, entry: denied });
    expect(await audit.query({ limit: 10 })).toEqual([second, first]);
  });

  it('answers by principal, record, category and time, newest first, a page at a time', async () => {
    await recordAll(6);
    await audit.record(access(7, { principal: 'admin', action: 'GET /v1/admin/audit', category: 'audit-read', recordType: null, recordId: null }));

    expect(ids(await audit.query({ principal: 'agency:agency-0', limit: 10 }))).toEqual(['access-6', 'access-4', 'access-2']);
    expect(ids(await audit.query({ recordId: 'referral-1', limit: 10 }))).toEqual(['access-4', 'access-1']);
    expect(ids(await audit.query({ category: 'audit-read', limit: 10 }))).toEqual(['access-7']);
    expect(ids(await audit.query({ principal: 'agency:agency-1', recordId: 'referral-0', limit: 10 }))).toEqual(['access-3']);
    // `from` inclusive, `to` exclusive; a bound written without milliseconds still matches.
    expect(ids(await audit.query({ from: '2025-03-01T10:02:00Z', to: access(5).at, limit: 10 }))).toEqual(['access-4', 'access-3', 'access-2']);

    const firstPage = await audit.query({ limit: 3 });
    expect(ids(firstPage)).toEqual(['access-7', 'access-6', 'access-5']);
    const secondPage = await audit.query({ limit: 3, beforeSequence: firstPage[2].sequence });
    expect(ids(secondPage)).toEqual(['access-4', 'access-3', 'access-2']);
    expect(ids(await audit.query({ limit: 3, beforeSequence: secondPage[2].sequence }))).toEqual(['access-1']);
  });

  it('refuses a query it cannot answer faithfully, naming the problem', async () => {
    await expect(audit.query({ from: 'last Tuesday', limit: 10 })).rejects.toMatchObject({ code: 'AUDIT.INVALID_QUERY', message: 'from must be an ISO-8601 instant' });
    await expect(audit.query({ limit: 0 })).rejects.toMatchObject({ code: 'AUDIT.INVALID_QUERY', message: 'limit must be a positive integer' });
  });

  it('refuses an entry carrying free text, and records nothing of it', async () => {
    await expect(audit.record(access(1, { recordId: 'Canary-Zelda 7731' }))).rejects.toMatchObject({ code: 'AUDIT.INVALID_ENTRY' });
    expect(await audit.verify()).toEqual({ ok: true, rows: 0 });
  });

  it('counts and logs, without throwing, an entry it could not record', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    await audit.recordOrReport(access(1, { recordId: 'Canary-Zelda 7731' }));
    await audit.recordOrReport(access(2));

    expect(audit.unrecordedSinceStart).toBe(1);
    expect(errors.mock.calls).toEqual([['could not record record-read GET /v1/referrals/:id (AUDIT.INVALID_ENTRY); 1 access(es) unrecorded since start']]);
    expect(ids(await audit.query({ limit: 10 }))).toEqual(['access-2']);
    errors.mockRestore();
  });

  it('records accesses reported all at once in a few batches, each once, in report order, in a chain that verifies', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const transactions = jest.spyOn(sql, 'transaction');
    // One bad entry among them is refused alone: the rest of its batch is recorded.
    const reported = Array.from({ length: 40 }, (_, n) => (n === 17 ? access(n, { recordId: 'Canary-Zelda 7731' }) : access(n)));
    await Promise.all(reported.map((entry) => audit.recordOrReport(entry)));

    const kept = reported.filter((_, n) => n !== 17).map((entry) => entry.id);
    expect(ids(await audit.query({ limit: 100 })).reverse()).toEqual(kept);
    expect(await audit.verify()).toEqual({ ok: true, rows: 39 });
    expect(audit.unrecordedSinceStart).toBe(1);
    // The first report's batch is written alone, while the others gather for the next.
    expect(transactions.mock.calls.length).toBeLessThanOrEqual(2);
    transactions.mockRestore();
    errors.mockRestore();
  });

  it('refuses to change or remove a row through the database', async () => {
    await recordAll(3);
    // Matched by message: better-sqlite3 builds its errors in the realm of the first test file that loaded it.
    const refusal = { message: expect.stringMatching(/append-only/) };
    await expect(sql.query("UPDATE access_audit SET principal = 'admin' WHERE sequence = 2")).rejects.toMatchObject(refusal);
    await expect(sql.query('DELETE FROM access_audit WHERE sequence = 2')).rejects.toMatchObject(refusal);
    if (dialect === 'postgres') await expect(sql.query('TRUNCATE access_audit')).rejects.toMatchObject(refusal);
    expect(await audit.verify()).toEqual({ ok: true, rows: 3 });
  });

  it('keeps one unbroken chain when several connections append at once', async () => {
    const database = newTestDatabase(dialect, ACCESS_AUDIT_MIGRATIONS);
    const writers = await Promise.all(Array.from({ length: 4 }, () => database.open()));
    try {
      const audits = await Promise.all(writers.map((writer) => AccessAudit.create(writer)));
      await Promise.all(audits.map(async (writerAudit, writer) => {
        for (let n = 0; n < 10; n += 1) await writerAudit.record(access(n, { id: `w${writer}-${n}` }));
      }));
      expect(await audits[0].verify()).toEqual({ ok: true, rows: 40 });
    } finally {
      await Promise.all(writers.map((writer) => writer.close()));
    }
  });

  describe('verification of a tampered audit', () => {
    /** What someone owning the table could do: lift the guard, then change rows. */
    const liftGuard = () =>
      dialect === 'postgres'
        ? sql.query('ALTER TABLE access_audit DISABLE TRIGGER access_audit_append_only')
        : sql.query('DROP TRIGGER access_audit_no_update').then(() => sql.query('DROP TRIGGER access_audit_no_delete'));

    beforeEach(async () => {
      await recordAll(6);
      await liftGuard();
    });

    it('verifies the whole chain while it is intact', async () => {
      expect(await audit.verify()).toEqual({ ok: true, rows: 6 });
    });

    it('reports the row whose outcome was altered in the middle', async () => {
      await sql.query("UPDATE access_audit SET outcome = 'denied', status = 403 WHERE sequence = 3");

      expect(await audit.verify()).toEqual({ ok: false, rows: 2, firstBrokenSequence: 3, reason: 'stored hash does not match the row' });
    });

    it('reports the missing sequence when a middle row is deleted', async () => {
      await sql.query('DELETE FROM access_audit WHERE sequence = 4');

      expect(await audit.verify()).toEqual({ ok: false, rows: 3, firstBrokenSequence: 4, reason: 'sequence 4 is missing' });
    });

    it('reports the next row when an altered row was re-hashed to match its new content', async () => {
      const [row] = await audit.query({ beforeSequence: 5, limit: 1 });
      const forged = hashAccessRow(4, row.previousHash, { ...row.entry, principal: 'admin' });
      await sql.query("UPDATE access_audit SET principal = 'admin', hash = $1 WHERE sequence = 4", [forged]);

      expect(await audit.verify()).toEqual({ ok: false, rows: 4, firstBrokenSequence: 5, reason: 'previous hash does not match the hash of sequence 4' });
    });
  });
});
