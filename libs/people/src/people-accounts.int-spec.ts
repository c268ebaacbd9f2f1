import { DomainError } from '@crescent/domain';
import { SqlClient } from '@crescent/sql';
import { openTestDatabase, TestDialect } from '@crescent/test-support';
import { PeopleAccounts } from './people-accounts';
import { peopleMigrations } from './people.migrations';

const CASEWORKER = { username: 'Caseworker@Shelter', displayName: 'Casey Caseworker', role: 'caseworker', agencyId: 'bayou-haven-shelter', password: 'a long demo password' } as const;

async function refusal(attempt: Promise<unknown>): Promise<{ kind: string; code: string }> {
  const error = await attempt.then(
    () => undefined,
    (refused: unknown) => refused,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return { kind: error.kind, code: error.code };
}

describe.each<TestDialect>(['postgres', 'sqlite'])('people accounts on %s', (dialect) => {
  let sql: SqlClient;
  let now: Date;
  let accounts: PeopleAccounts;

  beforeEach(async () => {
    sql = await openTestDatabase(dialect, peopleMigrations('inbox'));
    now = new Date('2026-11-02T10:00:00.000Z');
    accounts = await PeopleAccounts.create(sql, 'inbox', () => now);
    await accounts.add(CASEWORKER);
  });

  afterEach(() => sql.close());

  const minutesLater = (minutes: number) => {
    now = new Date(now.getTime() + minutes * 60_000);
  };

  it('signs in with the password (the username in any case) and resumes the session by its id', async () => {
    const started = await accounts.signIn('caseworker@shelter', 'a long demo password');
    expect(started.person).toEqual({ id: expect.any(String), username: 'caseworker@shelter', displayName: 'Casey Caseworker', role: 'caseworker', agencyId: 'bayou-haven-shelter' });
    expect(await accounts.resume(started.sessionId)).toEqual({ person: started.person, csrfToken: started.csrfToken });
    expect(await accounts.resume(`${started.sessionId}x`)).toBeUndefined();
  });

  it('keeps no password and no session id in the clear', async () => {
    const { sessionId } = await accounts.signIn('caseworker@shelter', 'a long demo password');
    const people = JSON.stringify(await sql.query('SELECT * FROM inbox_people'));
    const sessions = JSON.stringify(await sql.query('SELECT * FROM inbox_sessions'));
    expect(people).not.toContain('a long demo password');
    expect(people).toContain('scrypt$32768$8$1$');
    expect(sessions).not.toContain(sessionId);
  });

  it('answers an unknown username exactly as a wrong password', async () => {
    expect(await refusal(accounts.signIn('caseworker@shelter', 'wrong'))).toEqual({ kind: 'unauthenticated', code: 'AUTH.BAD_CREDENTIALS' });
    expect(await refusal(accounts.signIn('nobody@shelter', 'wrong'))).toEqual({ kind: 'unauthenticated', code: 'AUTH.BAD_CREDENTIALS' });
  });

  it('locks a username after five failures in a row, right password or not, for 15 minutes, known or not', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await refusal(accounts.signIn('caseworker@shelter', 'wrong'))).code).toBe('AUTH.BAD_CREDENTIALS');
      expect((await refusal(accounts.signIn('nobody@shelter', 'wrong'))).code).toBe('AUTH.BAD_CREDENTIALS');
    }
    expect(await refusal(accounts.signIn('caseworker@shelter', 'a long demo password'))).toEqual({ kind: 'locked', code: 'AUTH.LOCKED' });
    expect(await refusal(accounts.signIn('nobody@shelter', 'wrong'))).toEqual({ kind: 'locked', code: 'AUTH.LOCKED' });
    minutesLater(14);
    expect((await refusal(accounts.signIn('caseworker@shelter', 'a long demo password'))).code).toBe('AUTH.LOCKED');
    minutesLater(1);
    expect((await accounts.signIn('caseworker@shelter', 'a long demo password')).person.username).toBe('caseworker@shelter');
  });

  it('counts failures in a row only: a success starts the count again', async () => {
    for (let attempt = 0; attempt < 4; attempt += 1) await refusal(accounts.signIn('caseworker@shelter', 'wrong'));
    await accounts.signIn('caseworker@shelter', 'a long demo password');
    for (let attempt = 0; attempt < 4; attempt += 1) await refusal(accounts.signIn('caseworker@shelter', 'wrong'));
    expect((await accounts.signIn('caseworker@shelter', 'a long demo password')).person.role).toBe('caseworker');
  });

  it('ends a session unused for 30 minutes, and any session 12 hours after sign-in', async () => {
    const idle = await accounts.signIn('caseworker@shelter', 'a long demo password');
    minutesLater(29);
    expect(await accounts.resume(idle.sessionId)).toBeDefined();
    minutesLater(29);
    expect(await accounts.resume(idle.sessionId)).toBeDefined();
    minutesLater(30);
    expect(await accounts.resume(idle.sessionId)).toBeUndefined();

    const busy = await accounts.signIn('caseworker@shelter', 'a long demo password');
    for (let minutes = 0; minutes < 12 * 60 - 20; minutes += 20) {
      minutesLater(20);
      expect(await accounts.resume(busy.sessionId)).toBeDefined();
    }
    minutesLater(20);
    expect(await accounts.resume(busy.sessionId)).toBeUndefined();
  });

  it('ends a session when its person signs out', async () => {
    const { sessionId } = await accounts.signIn('caseworker@shelter', 'a long demo password');
    await accounts.end(sessionId);
    expect(await accounts.resume(sessionId)).toBeUndefined();
  });

  it('refuses a username already taken, whatever its case', async () => {
    expect(await refusal(accounts.add({ ...CASEWORKER, username: 'CASEWORKER@shelter' }))).toEqual({ kind: 'conflict', code: 'PERSON.USERNAME_TAKEN' });
  });
});
