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

  it('tells no cache to keep any answer, records and problems alike, and does not name its framework', async () => {
    const submitted = await as(`Bearer ${hsi.token}`, '/v1/referrals', { method: 'POST', body: EXAMPLE_REFERRAL });
    const answers = {
      'a submission': submitted,
      'a record': await as(`Bearer ${hsi.token}`, `/v1/referrals/${submitted.body.recordId}`),
      'the inbox': await as(`Bearer ${shelter.token}`, '/v1/inbox'),
      'the admin API': await as(`Bearer ${DEMO_ADMIN_TOKEN}`, '/v1/admin/agencies'),
      'a refused body': await as(`Bearer ${hsi.token}`, '/v1/referrals', { method: 'POST', body: { victim: 'x' } }),
      'a refused credential': await as('Bearer wrong', '/v1/inbox'),
      'an unknown record': await as(`Bearer ${hsi.token}`, '/v1/referrals/00000000-0000-4000-8000-000000000000'),
      'an unknown route': await request(`${exchange.url}/v1/nothing-here`),
    };

    const seen = Object.fromEntries(
      Object.entries(answers).map(([what, answer]) => [what, { cacheControl: answer.headers.get('cache-control'), poweredBy: answer.headers.get('x-powered-by') }]),
    );
    expect(Object.values(answers).map((answer) => answer.status)).toEqual([201, 200, 200, 200, 400, 401, 404, 404]);
    expect(seen).toEqual(Object.fromEntries(Object.keys(answers).map((what) => [what, { cacheControl: 'no-store', poweredBy: null }])));
  });

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
