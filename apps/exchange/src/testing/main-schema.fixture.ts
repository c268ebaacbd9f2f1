import { SqlDialect } from '@crescent/sql';

/**
 * The DDL main ran at start before schema migrations (commit d2d48d3), copied by hand from its stores,
 * in the order an empty database received it: each table's CREATE, then the ALTERs its store's
 * addColumnIfMissing made. A database made by that version, to adopt.
 */
export function mainSchemaStatements(dialect: SqlDialect, options: { olderInbox?: boolean } = {}): string[] {
  const chainColumns = `sequence BIGINT NOT NULL PRIMARY KEY,
        previous_hash TEXT NOT NULL,
        hash TEXT NOT NULL`;
  const people = (realm: string) => [
    `CREATE TABLE IF NOT EXISTS ${realm}_people (
      id TEXT PRIMARY KEY,
      username TEXT NOT NULL UNIQUE,
      display_name TEXT NOT NULL,
      role TEXT NOT NULL,
      agency_id TEXT,
      password_hash TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS ${realm}_sessions (
      id_sha256 TEXT PRIMARY KEY,
      person_id TEXT NOT NULL REFERENCES ${realm}_people (id),
      csrf_token TEXT NOT NULL,
      created_at TEXT NOT NULL,
      last_seen_at TEXT NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS ${realm}_sign_in_failures (
      username TEXT PRIMARY KEY,
      failures INTEGER NOT NULL,
      locked_until TEXT
    )`,
  ];
  const auditGuard =
    dialect === 'postgres'
      ? [
          `CREATE OR REPLACE FUNCTION access_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'access_audit is append-only: % refused', TG_OP; END $$`,
          `CREATE OR REPLACE TRIGGER access_audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON access_audit
      FOR EACH STATEMENT EXECUTE FUNCTION access_audit_refuse_change()`,
        ]
      : [
          `CREATE TRIGGER IF NOT EXISTS access_audit_no_update BEFORE UPDATE ON access_audit
      BEGIN SELECT RAISE(ABORT, 'access_audit is append-only: UPDATE refused'); END`,
          `CREATE TRIGGER IF NOT EXISTS access_audit_no_delete BEFORE DELETE ON access_audit
      BEGIN SELECT RAISE(ABORT, 'access_audit is append-only: DELETE refused'); END`,
        ];
  const inboxReferrals = `CREATE TABLE IF NOT EXISTS inbox_referrals (
      agency_id TEXT NOT NULL,
      referral_id TEXT NOT NULL,
      event_id TEXT NOT NULL UNIQUE,
      policy_version INTEGER NOT NULL,
      payload TEXT NOT NULL,
      received_at TEXT NOT NULL,
      PRIMARY KEY (agency_id, referral_id)
    )`;
  // Before referrals kept their later events: the first table alone, none of its ALTERs, no history, consents or retractions.
  const inbox = options.olderInbox
    ? [inboxReferrals]
    : [
        inboxReferrals,
        "ALTER TABLE inbox_referrals ADD COLUMN status TEXT NOT NULL DEFAULT 'received'",
        'ALTER TABLE inbox_referrals ADD COLUMN record_version INTEGER NOT NULL DEFAULT 1',
        'ALTER TABLE inbox_referrals ADD COLUMN updated_at TEXT',
        'ALTER TABLE inbox_referrals ADD COLUMN retracted INTEGER NOT NULL DEFAULT 0',
        "ALTER TABLE inbox_referrals ADD COLUMN search_text TEXT NOT NULL DEFAULT ''",
        `CREATE TABLE IF NOT EXISTS inbox_referral_history (
      agency_id TEXT NOT NULL,
      referral_id TEXT NOT NULL,
      record_version INTEGER NOT NULL,
      status TEXT NOT NULL,
      at TEXT NOT NULL,
      PRIMARY KEY (agency_id, referral_id, record_version)
    )`,
        `CREATE TABLE IF NOT EXISTS inbox_consents (
      agency_id TEXT NOT NULL,
      consent_id TEXT NOT NULL,
      referral_id TEXT NOT NULL,
      terms TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      revoked_at TEXT,
      PRIMARY KEY (agency_id, consent_id)
    )`,
        `CREATE TABLE IF NOT EXISTS inbox_retractions (
      agency_id TEXT NOT NULL,
      referral_id TEXT NOT NULL,
      at TEXT NOT NULL
    )`,
      ];
  return [
    // libs/audit/src/access-audit.ts
    `CREATE TABLE IF NOT EXISTS access_audit (
        ${chainColumns},
        id TEXT NOT NULL UNIQUE,
        at TEXT NOT NULL,
        principal TEXT NOT NULL,
        action TEXT NOT NULL,
        category TEXT NOT NULL,
        record_type TEXT,
        record_id TEXT,
        source TEXT NOT NULL,
        outcome TEXT NOT NULL,
        status INTEGER,
        code TEXT
      )`,
    'CREATE INDEX IF NOT EXISTS access_audit_by_principal ON access_audit (principal, sequence)',
    'CREATE INDEX IF NOT EXISTS access_audit_by_record ON access_audit (record_id, sequence)',
    'CREATE INDEX IF NOT EXISTS access_audit_by_category ON access_audit (category, sequence)',
    'CREATE INDEX IF NOT EXISTS access_audit_by_time ON access_audit (at)',
    ...auditGuard,
    'ALTER TABLE access_audit ADD COLUMN on_behalf_of TEXT',
    // libs/event-store/src/sql-event-store.ts
    `CREATE TABLE IF NOT EXISTS events (
        ${dialect === 'postgres' ? 'position BIGSERIAL PRIMARY KEY' : 'position INTEGER PRIMARY KEY AUTOINCREMENT'},
        event_id TEXT NOT NULL UNIQUE,
        stream_id TEXT NOT NULL,
        revision BIGINT NOT NULL,
        type TEXT NOT NULL,
        data TEXT NOT NULL,
        metadata TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        UNIQUE (stream_id, revision)
      )`,
    'CREATE TABLE IF NOT EXISTS stream_metadata (stream_id TEXT PRIMARY KEY, metadata TEXT NOT NULL)',
    // libs/event-store/src/checkpoint-store.ts, lease-store.ts
    'CREATE TABLE IF NOT EXISTS feed_checkpoints (name TEXT PRIMARY KEY, position TEXT NOT NULL)',
    'CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at BIGINT NOT NULL)',
    'ALTER TABLE leases ADD COLUMN fence BIGINT NOT NULL DEFAULT 0',
    // libs/ledger/src/disclosure-ledger.ts
    `CREATE TABLE IF NOT EXISTS disclosure_ledger (
        ${chainColumns},
        recipient_agency_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        record_type TEXT NOT NULL,
        record_id TEXT NOT NULL,
        policy_id TEXT NOT NULL,
        policy_version INTEGER NOT NULL,
        consent_ids TEXT NOT NULL,
        disclosed_fields TEXT NOT NULL,
        withheld_fields TEXT NOT NULL,
        kind TEXT NOT NULL,
        delivered_at TEXT NOT NULL,
        UNIQUE (recipient_agency_id, event_id, kind)
      )`,
    'CREATE INDEX IF NOT EXISTS disclosure_ledger_by_record ON disclosure_ledger (record_type, record_id)',
    'CREATE INDEX IF NOT EXISTS disclosure_ledger_by_recipient ON disclosure_ledger (recipient_agency_id, delivered_at)',
    'CREATE INDEX IF NOT EXISTS disclosure_ledger_by_time ON disclosure_ledger (delivered_at)',
    // libs/runtime/src/relay/dead-letter.store.ts
    `CREATE TABLE IF NOT EXISTS relay_dead_letters (
      event_id TEXT PRIMARY KEY,
      stream_id TEXT NOT NULL,
      revision BIGINT NOT NULL,
      reason TEXT NOT NULL,
      status TEXT NOT NULL,
      dead_at TEXT NOT NULL
    )`,
    // apps/intake/src/commands/idempotency.store.ts
    `CREATE TABLE IF NOT EXISTS idempotency_keys (
      agency_id TEXT NOT NULL,
      idempotency_key TEXT NOT NULL,
      fingerprint TEXT NOT NULL,
      result TEXT,
      created_at TEXT NOT NULL,
      PRIMARY KEY (agency_id, idempotency_key)
    )`,
    'ALTER TABLE idempotency_keys ADD COLUMN claimed_at BIGINT NOT NULL DEFAULT 0',
    'ALTER TABLE idempotency_keys ADD COLUMN operation_id TEXT',
    // apps/inbox/src/inbox.store.ts, libs/people/src/people-accounts.ts
    ...inbox,
    ...people('inbox'),
    ...people('admin'),
  ];
}
