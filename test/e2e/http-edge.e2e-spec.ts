import { AdminModule } from '../../apps/admin/src/admin.module';
import { InboxModule } from '../../apps/inbox/src/inbox.module';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { DEMO_ADMIN_TOKEN, DEMO_AGENCIES } from '@crescent/runtime';
import { request, RunningApp, startApp } from '@crescent/test-support';
import { EXAMPLE_REFERRAL } from './fixtures';

const [hsi, , shelter] = DEMO_AGENCIES;
const EDGE_MODULES = [IntakeModule, InboxModule, AdminModule];

/** What any client meets at the HTTP edge of the running exchange, before a record is touched. */
describe('the HTTP edge', () => {
  let exchange: RunningApp;
  const as = (authorization: string, path: string, options: { method?: string; body?: unknown } = {}) =>
    request(`${exchange.url}${path}`, { ...options, headers: { authorization } });

  beforeAll(async () => {
    exchange = await startApp({ databaseUrl: 'sqlite::memory:', kafkaBrokers: [] }, EDGE_MODULES);
  });

  afterAll(() => exchange?.app.close());

  describe('Authorization: Bearer', () => {
    it('takes the scheme in any case, for agencies and administrators alike', async () => {
      expect(await as(`bearer ${hsi.token}`, '/v1/referrals', { method: 'POST', body: EXAMPLE_REFERRAL })).toMatchObject({ status: 201 });
      expect(await as(`BEARER ${shelter.token}`, '/v1/inbox')).toMatchObject({ status: 200 });
      expect(await as(`bEaReR ${DEMO_ADMIN_TOKEN}`, '/v1/admin/agencies')).toMatchObject({ status: 200 });
    });

    it('refuses a right token followed by anything, with each guard\'s code and without repeating what was sent', async () => {
      const agency = await as(`Bearer ${shelter.token} extra`, '/v1/inbox');
      const admin = await as(`Bearer ${DEMO_ADMIN_TOKEN} extra`, '/v1/admin/agencies');

      expect(agency).toMatchObject({ status: 401, contentType: expect.stringContaining('application/problem+json'), body: { code: 'AUTH.UNKNOWN_CREDENTIAL' } });
      expect(admin).toMatchObject({ status: 401, contentType: expect.stringContaining('application/problem+json'), body: { code: 'AUTH.NOT_AN_ADMIN' } });
      expect(JSON.stringify([agency.body, admin.body])).not.toMatch(/extra|demo-shelter-token|demo-admin-token/);
    });
  });
});
