import { DisclosureLedger } from '@crescent/ledger';
import { loadDatabaseConfig, loadLedgerAnchoring } from '@crescent/runtime';
import { openSqlClient } from '@crescent/sql';
import { verifyLedger } from './ledger-verification';

/** `npm run ledger:verify`: walks the disclosure ledger's hash chain, held to its newest anchor (LEDGER_ANCHOR_*); exits 1 at the first broken link. */
async function main(): Promise<void> {
  const config = loadDatabaseConfig();
  const sql = await openSqlClient(config.databaseUrl, { schema: config.databaseSchema });
  const verification = await verifyLedger(await DisclosureLedger.create(sql), loadLedgerAnchoring());
  await sql.close();
  process.stdout.write(`${JSON.stringify(verification)}\n`);
  process.exitCode = verification.ok ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`ledger verification failed to run: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
