import { SchemaMigration } from '@crescent/sql';
import { CHAIN_COLUMNS } from './hash-chain-table';

/** The disclosure ledger's table and the indexes its queries use. */
export const DISCLOSURE_LEDGER_MIGRATIONS: readonly SchemaMigration[] = [
  {
    name: 'ledger/001-disclosure-ledger',
    up: async (tx) => {
      await tx.query(`CREATE TABLE IF NOT EXISTS disclosure_ledger (
        ${CHAIN_COLUMNS},
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
      )`);
      await tx.query('CREATE INDEX IF NOT EXISTS disclosure_ledger_by_record ON disclosure_ledger (record_type, record_id)');
      await tx.query('CREATE INDEX IF NOT EXISTS disclosure_ledger_by_recipient ON disclosure_ledger (recipient_agency_id, delivered_at)');
      await tx.query('CREATE INDEX IF NOT EXISTS disclosure_ledger_by_time ON disclosure_ledger (delivered_at)');
    },
  },
];
