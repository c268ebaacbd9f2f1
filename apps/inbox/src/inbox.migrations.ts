import { adoptColumns, SchemaMigration } from '@crescent/sql';

/** The inbox read model: referrals with their history, consents and retractions. */
export const INBOX_MIGRATIONS: readonly SchemaMigration[] = [
  {
    name: 'inbox/001-referrals-consents-retractions',
    up: async (tx) => {
      await tx.query(`CREATE TABLE IF NOT EXISTS inbox_referrals (
      agency_id TEXT NOT NULL,
      referral_id TEXT NOT NULL,
      event_id TEXT NOT NULL UNIQUE,
      policy_version INTEGER NOT NULL,
      payload TEXT NOT NULL,
      received_at TEXT NOT NULL,
      PRIMARY KEY (agency_id, referral_id)
    )`);
      // Columns an inbox made before referrals kept their later events lacks. search_text holds the received
      // values, lower-cased: free text is looked for in them, never in keys or in what was withheld.
      await adoptColumns(tx, 'inbox_referrals', [
        ['status', "TEXT NOT NULL DEFAULT 'received'"],
        ['record_version', 'INTEGER NOT NULL DEFAULT 1'],
        ['updated_at', 'TEXT'],
        ['retracted', 'INTEGER NOT NULL DEFAULT 0'],
        ['search_text', "TEXT NOT NULL DEFAULT ''"],
      ]);
      await tx.query(`CREATE TABLE IF NOT EXISTS inbox_referral_history (
      agency_id TEXT NOT NULL,
      referral_id TEXT NOT NULL,
      record_version INTEGER NOT NULL,
      status TEXT NOT NULL,
      at TEXT NOT NULL,
      PRIMARY KEY (agency_id, referral_id, record_version)
    )`);
      await tx.query(`CREATE TABLE IF NOT EXISTS inbox_consents (
      agency_id TEXT NOT NULL,
      consent_id TEXT NOT NULL,
      referral_id TEXT NOT NULL,
      terms TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      revoked_at TEXT,
      PRIMARY KEY (agency_id, consent_id)
    )`);
      await tx.query(`CREATE TABLE IF NOT EXISTS inbox_retractions (
      agency_id TEXT NOT NULL,
      referral_id TEXT NOT NULL,
      at TEXT NOT NULL
    )`);
    },
  },
];
