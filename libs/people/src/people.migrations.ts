import { SchemaMigration } from '@crescent/sql';
import type { PeopleRealm } from './people-accounts';

/** One realm's people, their sessions and failed sign-ins. */
export function peopleMigrations(realm: PeopleRealm): readonly SchemaMigration[] {
  return [
    {
      name: `people/${realm}/001-people-sessions-failures`,
      up: async (tx) => {
        await tx.query(`CREATE TABLE IF NOT EXISTS ${realm}_people (
      id TEXT PRIMARY KEY,
      username TEXT NOT NULL UNIQUE,
      display_name TEXT NOT NULL,
      role TEXT NOT NULL,
      agency_id TEXT,
      password_hash TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`);
        await tx.query(`CREATE TABLE IF NOT EXISTS ${realm}_sessions (
      id_sha256 TEXT PRIMARY KEY,
      person_id TEXT NOT NULL REFERENCES ${realm}_people (id),
      csrf_token TEXT NOT NULL,
      created_at TEXT NOT NULL,
      last_seen_at TEXT NOT NULL
    )`);
        // Keyed by the username as typed, known or not: a lock must not tell whether an account exists.
        await tx.query(`CREATE TABLE IF NOT EXISTS ${realm}_sign_in_failures (
      username TEXT PRIMARY KEY,
      failures INTEGER NOT NULL,
      locked_until TEXT
    )`);
      },
    },
  ];
}
