import { DEMO_PEOPLE } from '@crescent/people';
import { DEMO_ADMIN_TOKEN, DEMO_AGENCIES, RuntimeConfig } from '@crescent/runtime';

/** What a newcomer sees after `npm start`: the demo agencies, two requests to try, the sign-ins and where the web UIs are. */
export function printDemoGuide(config: RuntimeConfig): void {
  // Without the demo its agencies and tokens do not exist.
  if (!config.seedDemo) return;
  const base = `http://${config.host}:${config.port}`;
  const [hsi, , shelter] = DEMO_AGENCIES;
  const lines = [
    '',
    `Crescent exchange is running on ${base} (store: ${config.databaseUrl.split(':')[0]}, bus: ${config.kafkaBrokers.length ? 'kafka' : 'in-process'})`,
    '',
    'Demo agencies (demo tokens, for this machine only):',
    ...DEMO_AGENCIES.map(({ agency, token }) => `  ${agency.id.padEnd(22)} ${agency.kind.padEnd(26)} Authorization: Bearer ${token}`),
    '',
    `Submit a referral as ${hsi.agency.name}:`,
    `  curl -s -X POST ${base}/v1/referrals -H 'Authorization: Bearer ${hsi.token}' -H 'Content-Type: application/json' -d @contracts/examples/victim-referral.json`,
    `Read it from the ${shelter.agency.name} inbox:`,
    `  curl -s ${base}/v1/inbox -H 'Authorization: Bearer ${shelter.token}'`,
    `List the sharing policies as an administrator (Authorization: Bearer ${DEMO_ADMIN_TOKEN}):`,
    `  curl -s ${base}/v1/admin/policies -H 'Authorization: Bearer ${DEMO_ADMIN_TOKEN}'`,
    `People sign in (POST ${base}/v1/inbox/session or ${base}/v1/admin/session with {"username","password"}; demo passwords, for this machine only):`,
    ...DEMO_PEOPLE.inbox.map(({ username, password, role }) => `  inbox  ${role.padEnd(11)} ${username.padEnd(20)} ${password}`),
    ...DEMO_PEOPLE.admin.map(({ username, password, role }) => `  admin  ${role.padEnd(11)} ${username.padEnd(20)} ${password}`),
    // localhost: browsers keep the Secure session cookie over plain HTTP for it alone.
    `In a browser: the caseworker inbox at http://localhost:${config.port}/inbox/, the admin console at http://localhost:${config.port}/admin/`,
    `The API: ${base}/v1/docs`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
