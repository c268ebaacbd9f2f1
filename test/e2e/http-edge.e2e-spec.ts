import { get } from 'node:http';
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

  describe('rate limits', () => {
    const limits = { credentialRateLimit: { limit: 3, windowSeconds: 60 }, authFailureLimit: { limit: 3, windowSeconds: 120 } };
    let limited: RunningApp;
    const send = (token: string, path: string, options: { method?: string; body?: unknown } = {}) =>
      request(`${limited.url}${path}`, { ...options, token });

    beforeAll(async () => {
      limited = await startApp({ databaseUrl: 'sqlite::memory:', kafkaBrokers: [], ...limits }, EDGE_MODULES);
    });

    afterAll(() => limited?.app.close());

    it('turns a credential away with 429 and Retry-After once it has used its requests, and no other credential', async () => {
      const statuses = [];
      for (let attempt = 0; attempt < 3; attempt += 1) statuses.push((await send(shelter.token, '/v1/inbox')).status);
      const over = await send(shelter.token, '/v1/inbox');

      expect(statuses).toEqual([200, 200, 200]);
      expect(over).toMatchObject({ status: 429, contentType: expect.stringContaining('application/problem+json'), body: { code: 'RATE.LIMITED' } });
      expect(retryAfterSeconds(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(retryAfterSeconds(over.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect(JSON.stringify(over.body)).not.toContain(shelter.token);
      expect((await send(hsi.token, '/v1/referrals', { method: 'POST', body: EXAMPLE_REFERRAL })).status).toBe(201);
      expect((await send(DEMO_ADMIN_TOKEN, '/v1/admin/agencies')).status).toBe(200);
    });

    it('turns an address away after repeated failed authentications, right token or not, and no other address', async () => {
      const failures = [];
      for (let attempt = 0; attempt < 3; attempt += 1) failures.push((await requestFrom('127.0.0.2', limited.url, '/v1/inbox', `Bearer wrong-${attempt}`)).status);
      const withTheRightToken = await requestFrom('127.0.0.2', limited.url, '/v1/admin/agencies', `Bearer ${DEMO_ADMIN_TOKEN}`);

      expect(failures).toEqual([401, 401, 401]);
      expect(withTheRightToken).toMatchObject({ status: 429, body: { code: 'RATE.LIMITED' } });
      expect(retryAfterSeconds(withTheRightToken.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(retryAfterSeconds(withTheRightToken.retryAfter)).toBeLessThanOrEqual(120);
      expect((await send(DEMO_ADMIN_TOKEN, '/v1/admin/agencies')).status).toBe(200);
    });
  });
});

/** Retry-After as delay-seconds (RFC 9110 10.2.3): a whole number, or NaN for anything else. */
function retryAfterSeconds(header: string | null | undefined): number {
  return /^\d+$/.test(header ?? '') ? Number(header) : NaN;
}

/** A GET from another loopback address, as a second client machine would send it. */
function requestFrom(localAddress: string, base: string, path: string, authorization: string): Promise<{ status: number; retryAfter?: string; body: any }> {
  return new Promise((resolve, reject) => {
    get(`${base}${path}`, { localAddress, headers: { authorization } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => {
        const retryAfter = response.headers['retry-after'];
        resolve({ status: response.statusCode ?? 0, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined, body: text ? JSON.parse(text) : undefined });
      });
    }).on('error', reject);
  });
}
