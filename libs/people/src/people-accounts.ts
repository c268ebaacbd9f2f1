import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { DomainError } from '@crescent/domain';
import { SqlClient } from '@crescent/sql';
import { hashPassword, verifyPassword } from './password-hash';
import { afterFailure, isLocked, isSessionLive } from './sign-in-rules';

export const PERSON_ROLES = ['caseworker', 'supervisor', 'admin'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

/** Which app's people: the inbox's (one agency's caseworkers and supervisors) or the exchange's administrators. */
export type PeopleRealm = 'inbox' | 'admin';

export interface Person {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: PersonRole;
  /** The one agency a caseworker or supervisor acts for; none for an administrator. */
  readonly agencyId?: string;
}

export interface NewPerson {
  readonly username: string;
  readonly displayName: string;
  readonly role: PersonRole;
  readonly agencyId?: string;
  readonly password: string;
}

/** A live session: the person, and the token each state-changing request must repeat. */
export interface PersonSession {
  readonly person: Person;
  readonly csrfToken: string;
}

/** A new session: also its id, which only the cookie carries (the store keeps its hash). */
export interface StartedSession extends PersonSession {
  readonly sessionId: string;
}

interface PersonRow {
  id: string;
  username: string;
  display_name: string;
  role: PersonRole;
  agency_id: string | null;
  password_hash: string;
}

interface SessionRow extends PersonRow {
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
}

export const BAD_CREDENTIALS = 'AUTH.BAD_CREDENTIALS';
export const LOCKED = 'AUTH.LOCKED';

const badCredentials = () => new DomainError('unauthenticated', BAD_CREDENTIALS, 'the username or the password is wrong');

/**
 * People who sign in to an app, with their sessions and failed sign-ins, in tables of the app's own
 * realm. Passwords are kept as scrypt hashes, session ids as SHA-256: a copy of the tables opens nothing.
 */
export class PeopleAccounts {
  /** Verified against when the username is unknown, so that answer takes as long as a wrong password. */
  private decoy?: Promise<string>;

  private constructor(
    private readonly sql: SqlClient,
    private readonly realm: PeopleRealm,
    private readonly clock: () => Date,
  ) {}

  /** The realm's tables come from peopleMigrations(realm). */
  static async create(sql: SqlClient, realm: PeopleRealm, clock: () => Date = () => new Date()): Promise<PeopleAccounts> {
    return new PeopleAccounts(sql, realm, clock);
  }

  /** Adds a person; a username already taken is a conflict. */
  async add(person: NewPerson): Promise<Person> {
    const id = randomUUID();
    const username = normalized(person.username);
    const inserted = await this.sql.query<{ id: string }>(
      `INSERT INTO ${this.realm}_people (id, username, display_name, role, agency_id, password_hash, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (username) DO NOTHING RETURNING id`,
      [id, username, person.displayName, person.role, person.agencyId ?? null, await hashPassword(person.password), this.clock().toISOString()],
    );
    if (inserted.length === 0) throw new DomainError('conflict', 'PERSON.USERNAME_TAKEN', 'that username is taken');
    return { id, username, displayName: person.displayName, role: person.role, ...(person.agencyId ? { agencyId: person.agencyId } : {}) };
  }

  async exists(username: string): Promise<boolean> {
    const rows = await this.sql.query(`SELECT id FROM ${this.realm}_people WHERE username = $1`, [normalized(username)]);
    return rows.length > 0;
  }

  /**
   * Starts a session for the right password. Unknown username and wrong password are one answer,
   * after one scrypt each; five failures in a row lock the username for 15 minutes, right password or not.
   */
  async signIn(username: string, password: string): Promise<StartedSession> {
    const key = normalized(username);
    const now = this.clock();
    const [failure] = await this.sql.query<{ failures: number; locked_until: string | null }>(
      `SELECT failures, locked_until FROM ${this.realm}_sign_in_failures WHERE username = $1`,
      [key],
    );
    if (failure && isLocked(failure.locked_until ? new Date(failure.locked_until) : undefined, now)) {
      throw new DomainError('locked', LOCKED, 'too many failed sign-ins: try again in 15 minutes');
    }
    const [row] = await this.sql.query<PersonRow>(`SELECT * FROM ${this.realm}_people WHERE username = $1`, [key]);
    const matches = await verifyPassword(password, row?.password_hash ?? (await this.decoyHash()));
    if (!row || !matches) {
      await this.countFailure(key, now);
      throw badCredentials();
    }
    await this.sql.query(`DELETE FROM ${this.realm}_sign_in_failures WHERE username = $1`, [key]);
    const sessionId = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    await this.sql.query(
      `INSERT INTO ${this.realm}_sessions (id_sha256, person_id, csrf_token, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)`,
      [sha256(sessionId), row.id, csrfToken, now.toISOString()],
    );
    return { sessionId, csrfToken, person: personOf(row) };
  }

  /** The live session a cookie names, its idle time restarted; undefined for an unknown, ended or expired one. */
  async resume(sessionId: string): Promise<PersonSession | undefined> {
    const now = this.clock();
    const idHash = sha256(sessionId);
    const [row] = await this.sql.query<SessionRow>(
      `SELECT p.*, s.csrf_token, s.created_at, s.last_seen_at FROM ${this.realm}_sessions s JOIN ${this.realm}_people p ON p.id = s.person_id
       WHERE s.id_sha256 = $1`,
      [idHash],
    );
    if (!row) return undefined;
    if (!isSessionLive({ createdAt: new Date(row.created_at), lastSeenAt: new Date(row.last_seen_at) }, now)) {
      await this.end(sessionId);
      return undefined;
    }
    await this.sql.query(`UPDATE ${this.realm}_sessions SET last_seen_at = $2 WHERE id_sha256 = $1`, [idHash, now.toISOString()]);
    return { person: personOf(row), csrfToken: row.csrf_token };
  }

  async end(sessionId: string): Promise<void> {
    await this.sql.query(`DELETE FROM ${this.realm}_sessions WHERE id_sha256 = $1`, [sha256(sessionId)]);
  }

  private async countFailure(username: string, now: Date): Promise<void> {
    // One atomic increment, so concurrent failures each count.
    const [counted] = await this.sql.query<{ failures: number }>(
      `INSERT INTO ${this.realm}_sign_in_failures AS f (username, failures) VALUES ($1, 1)
       ON CONFLICT (username) DO UPDATE SET failures = f.failures + 1 RETURNING failures`,
      [username],
    );
    const { lockedUntil } = afterFailure(Number(counted.failures) - 1, now);
    if (lockedUntil) {
      await this.sql.query(`UPDATE ${this.realm}_sign_in_failures SET failures = 0, locked_until = $2 WHERE username = $1`, [username, lockedUntil.toISOString()]);
    }
  }

  private decoyHash(): Promise<string> {
    this.decoy ??= hashPassword(randomBytes(16).toString('hex'));
    return this.decoy;
  }
}

/** Whether a request's CSRF token is the session's, compared in constant time. */
export function csrfTokenMatches(session: PersonSession, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const expected = Buffer.from(session.csrfToken);
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function personOf(row: PersonRow): Person {
  return { id: row.id, username: row.username, displayName: row.display_name, role: row.role, ...(row.agency_id ? { agencyId: row.agency_id } : {}) };
}

function normalized(username: string): string {
  return username.normalize('NFC').toLowerCase();
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
