import { setTimeout as sleep } from 'node:timers/promises';
import { openTestDatabase } from '@crescent/test-support';
import { SqlClient } from './sql-client';

describe('a PostgreSQL client whose connection the server cuts', () => {
  let sql: SqlClient;
  let admin: SqlClient;

  beforeEach(async () => {
    [sql, admin] = [await openTestDatabase('postgres'), await openTestDatabase('postgres')];
  });

  afterEach(async () => {
    await sql.close();
    await admin.close();
  });

  it('fails the transaction it cut between two statements, and goes on with a new connection', async () => {
    const attempt = sql.transaction(async (tx) => {
      const [{ pid }] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      // The server's notice arrives while the connection is checked out and idle: unheard, it would crash the process.
      await sleep(200);
      await tx.query('SELECT 1');
    });

    await expect(attempt).rejects.toThrow();
    expect(await sql.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });
});
