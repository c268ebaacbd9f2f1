import { readFileSync } from 'node:fs';
import { runAgencyIntegration, VictimReferral } from './agency-integration';

/**
 * The example from the command line:
 *   EXCHANGE_URL=http://127.0.0.1:3000 AGENCY_TOKEN=... KAFKA_BROKERS=127.0.0.1:9092 \
 *   RECORD_TOPICS=victim-referrals.v2 ACKNOWLEDGE_REFERRALS=true node main.js
 * Optional: TOPIC_NAMESPACE, REFERRAL_FILE (a referral to submit, e.g. contracts/examples/victim-referral.json),
 * RUN_SECONDS (60 by default; Ctrl-C stops sooner).
 */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  const report = await runAgencyIntegration({
    exchangeUrl: required('EXCHANGE_URL'),
    credential: required('AGENCY_TOKEN'),
    kafkaBrokers: required('KAFKA_BROKERS').split(','),
    topicNamespace: process.env.TOPIC_NAMESPACE ?? '',
    recordTopics: (process.env.RECORD_TOPICS ?? '').split(',').filter(Boolean),
    referral: process.env.REFERRAL_FILE ? (JSON.parse(readFileSync(process.env.REFERRAL_FILE, 'utf8')) as VictimReferral) : undefined,
    acknowledgeReferrals: process.env.ACKNOWLEDGE_REFERRALS === 'true',
    timeoutMs: Number(process.env.RUN_SECONDS ?? 60) * 1000,
    signal: stop.signal,
    // Ids and types only: an agency's logs are no place for a victim's data.
    log: (line) => process.stdout.write(`${JSON.stringify(line)}\n`),
  });
  const summary = {
    agencyId: report.agencyId,
    submittedReferralId: report.submitted?.referralId,
    received: report.received.length,
    duplicates: report.duplicates.length,
    invalid: report.invalid.length,
    retracted: report.retracted.length,
    snapshots: report.snapshots.length,
    recordsHeld: report.records.size,
    commands: report.commands.map(({ commandId, commandType, receipt, rejection }) => ({ commandId, commandType, outcome: receipt ? 'accepted' : rejection ? rejection.code : 'no answer yet' })),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
