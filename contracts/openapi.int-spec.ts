import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminModule } from '../apps/admin/src/admin.module';
import { InboxModule } from '../apps/inbox/src/inbox.module';
import { IntakeModule } from '../apps/intake/src/intake.module';
import { request, startApp } from '@crescent/test-support';

const SPEC_FILE = join(__dirname, 'openapi', 'exchange.openapi.json');
const TYPES_FILE = join(__dirname, 'generated', 'exchange-api.ts');
const UPDATE = process.env.UPDATE_CONTRACTS === '1';

/**
 * The committed HTTP contract is what the apps serve, and its generated TypeScript is current.
 * `npm run contracts` rewrites both after a deliberate change.
 */
describe('the OpenAPI contract in contracts/', () => {
  let served: Record<string, any>;

  beforeAll(async () => {
    const exchange = await startApp({ databaseUrl: 'sqlite::memory:', kafkaBrokers: [] }, [IntakeModule, InboxModule, AdminModule]);
    served = (await request(`${exchange.url}/v1/openapi.json`)).body;
    await exchange.app.close();
  });

  it('documents every command route, the inbox and the admin API', () => {
    expect(Object.keys(served.paths).sort()).toEqual(
      [
        '/health/live', '/health/ready', '/v1/inbox', '/v1/inbox/session', '/v1/inbox/people', '/v1/admin/session',
        '/v1/inbox/referrals', '/v1/inbox/referrals/{id}', '/v1/inbox/referrals/{id}/acknowledgement', '/v1/inbox/referrals/{id}/acceptance',
        '/v1/inbox/referrals/{id}/decline', '/v1/inbox/referrals/{id}/questions', '/v1/inbox/referrals/{id}/consents', '/v1/inbox/consents/{id}/revocation', '/v1/inbox/stream',
        '/v1/cases', '/v1/cases/{id}', '/v1/cases/{id}/links', '/v1/cases/{id}/closure', '/v1/cases/{id}/team', '/v1/cases/{id}/team-removals',
        '/v1/referrals', '/v1/referrals/{id}', '/v1/referrals/{id}/acknowledgement', '/v1/referrals/{id}/acceptance',
        '/v1/referrals/{id}/decline', '/v1/referrals/{id}/information-requests', '/v1/referrals/{id}/information-answers', '/v1/referrals/{id}/withdrawal',
        '/v1/referrals/{id}/contact', '/v1/referrals/{id}/corrections', '/v1/referrals/{id}/law-enforcement-disclosures',
        '/v1/referrals/{id}/immigration-waiver', '/v1/referrals/{id}/immigration-relief-denial',
        '/v1/arrests', '/v1/arrests/{id}', '/v1/arrests/{id}/charges', '/v1/arrests/{id}/arrestee-relationship', '/v1/arrests/{id}/seal', '/v1/arrests/{id}/expungement',
        '/v1/consents', '/v1/consents/{id}', '/v1/consents/{id}/revocation',
        '/v1/admin/agencies', '/v1/admin/agencies/{agencyId}', '/v1/admin/agencies/{agencyId}/credentials', '/v1/admin/agencies/{agencyId}/jurisdiction',
        '/v1/admin/agencies/{agencyId}/suspension', '/v1/admin/agencies/{agencyId}/revocation', '/v1/admin/policies', '/v1/admin/policies/{policyId}/versions',
        '/v1/admin/policies/{policyId}/versions/{version}', '/v1/admin/policies/{policyId}/diff', '/v1/admin/previews',
        '/v1/admin/ledger', '/v1/admin/ledger/verification', '/v1/admin/dead-letters', '/v1/admin/dead-letters/replay',
        '/v1/admin/audit', '/v1/admin/audit/verify', '/v1/auth/agency', '/v1/auth/introspection', '/v1/auth/kafka-token',
        '/v1/admin/subscriptions', '/v1/admin/subscriptions/{subscriptionId}/pause', '/v1/admin/subscriptions/{subscriptionId}/resume',
        '/v1/admin/subscriptions/{subscriptionId}/end',
      ].sort(),
    );
    const referral = served.components.schemas.SubmitVictimReferralDto;
    expect(referral.required).toEqual(expect.arrayContaining(['referredToAgencyId', 'victim', 'immigrationReliefStatus', 'needs']));
  });

  it('matches contracts/openapi/exchange.openapi.json and its generated types', async () => {
    const spec = `${JSON.stringify(served, null, 2)}\n`;
    const types = generateTypes(spec);
    if (UPDATE) {
      writeFileSync(SPEC_FILE, spec);
      writeFileSync(TYPES_FILE, types);
    }
    expect(existsSync(SPEC_FILE) && readFileSync(SPEC_FILE, 'utf8')).toBe(spec);
    expect(readFileSync(TYPES_FILE, 'utf8')).toBe(types);
  });
});

/** openapi-typescript's own CLI: its library is ES modules only, which jest's CommonJS cannot load. */
function generateTypes(spec: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'crescent-openapi-'));
  writeFileSync(join(dir, 'spec.json'), spec);
  const cli = join(__dirname, '..', 'node_modules', '.bin', 'openapi-typescript');
  execFileSync(cli, [join(dir, 'spec.json'), '--output', join(dir, 'types.ts')], { stdio: 'pipe' });
  return readFileSync(join(dir, 'types.ts'), 'utf8');
}
