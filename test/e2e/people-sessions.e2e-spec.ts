import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminModule } from '../../apps/admin/src/admin.module';
import { InboxModule } from '../../apps/inbox/src/inbox.module';
import { DEMO_ADMIN_TOKEN, DEMO_AGENCIES } from '@crescent/runtime';
import { answered, RunningApp, startApp } from '@crescent/test-support';
import { createExchangeClient } from '../../contracts/client';

const [, , shelter] = DEMO_AGENCIES;
// The demo's sign-ins as the README gives them: written out here, not imported, so a change to either shows.
const CASEWORKER = { username: 'caseworker@shelter', password: 'demo-caseworker-password' };
const SUPERVISOR = { username: 'supervisor@shelter', password: 'demo-supervisor-password' };
const ADMIN = { username: 'admin', password: 'demo-admin-password' };

/** People sign in to the inbox and the admin console of the embedded exchange, over HTTP. */
describe('people sign-in, sessions and CSRF', () => {
  let exchange: RunningApp;
  const client = () => createExchangeClient(exchange.url);

  beforeAll(async () => {
    const databaseUrl = `sqlite:${join(mkdtempSync(join(tmpdir(), 'crescent-people-')), 'crescent.sqlite')}`;
    exchange = await startApp({ databaseUrl, kafkaBrokers: [] }, [InboxModule, AdminModule]);
  });

  afterAll(() => exchange?.app.close());

  async function signIn(path: '/v1/inbox/session' | '/v1/admin/session', credentials: { username: string; password: string }) {
    const { data, response } = await client().POST(path, { body: credentials });
    expect(response.status).toBe(201);
    const setCookie = response.headers.get('set-cookie')!;
    return { session: data!, setCookie, cookie: setCookie.split(';')[0] };
  }

  it('signs the demo caseworker in with a Secure, HttpOnly, SameSite=Strict cookie, and tells who is signed in', async () => {
    const { session, setCookie, cookie } = await signIn('/v1/inbox/session', CASEWORKER);
    expect(session.person).toEqual({ id: expect.any(String), username: 'caseworker@shelter', displayName: 'Casey Caseworker', role: 'caseworker', agencyId: shelter.agency.id });
    expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(setCookie).toMatch(/^crescent_inbox_session=[A-Za-z0-9_-]{43}; HttpOnly; Secure; SameSite=Strict; Path=\/; Max-Age=43200$/);

    const current = await client().GET('/v1/inbox/session', { headers: { cookie } });
    expect(current.response.status).toBe(200);
    expect(current.data).toEqual(session);
  });

  it('answers a wrong password and an unknown username alike, and tells nothing without a session', async () => {
    const wrong = await answered(client().POST('/v1/inbox/session', { body: { ...CASEWORKER, password: 'not-it' } }));
    const unknown = await answered(client().POST('/v1/inbox/session', { body: { username: 'nobody@shelter', password: 'not-it' } }));
    expect(wrong).toEqual({ status: 401, contentType: 'application/problem+json; charset=utf-8', body: expect.objectContaining({ code: 'AUTH.BAD_CREDENTIALS' }) });
    expect({ ...unknown, body: { ...(unknown.body as object), instance: undefined } }).toEqual({ ...wrong, body: { ...(wrong.body as object), instance: undefined } });
    expect(await answered(client().GET('/v1/inbox/session'))).toMatchObject({ status: 401, body: { code: 'AUTH.NO_SESSION' } });
  });

  it('refuses a change made with the cookie but without the session\'s CSRF token, and makes it with the token', async () => {
    const { session, cookie } = await signIn('/v1/inbox/session', SUPERVISOR);
    const body = { username: 'dana@shelter', displayName: 'Dana Example', role: 'caseworker' as const, password: 'a first password for Dana' };
    expect(await answered(client().POST('/v1/inbox/people', { body, headers: { cookie } }))).toMatchObject({ status: 403, body: { code: 'AUTH.CSRF' } });
    expect(await answered(client().POST('/v1/inbox/people', { body, headers: { cookie, 'x-csrf-token': 'x'.repeat(43) } }))).toMatchObject({ status: 403, body: { code: 'AUTH.CSRF' } });
    // Refused means nothing changed: Dana cannot sign in yet.
    expect((await client().POST('/v1/inbox/session', { body: { username: 'dana@shelter', password: body.password } })).response.status).toBe(401);

    const added = await answered(client().POST('/v1/inbox/people', { body, headers: { cookie, 'x-csrf-token': session.csrfToken } }));
    expect(added).toMatchObject({ status: 201, body: { username: 'dana@shelter', role: 'caseworker', agencyId: shelter.agency.id } });
    const dana = await signIn('/v1/inbox/session', { username: 'dana@shelter', password: body.password });
    expect(dana.session.person.displayName).toBe('Dana Example');

    // A caseworker opens no accounts.
    const refused = await answered(
      client().POST('/v1/inbox/people', { body: { ...body, username: 'eve@shelter' }, headers: { cookie: dana.cookie, 'x-csrf-token': dana.session.csrfToken } }),
    );
    expect(refused).toMatchObject({ status: 403, body: { code: 'PERSON.NOT_A_SUPERVISOR' } });
  });

  it('signs out with the CSRF token only, ends the session and clears the cookie', async () => {
    const { session, cookie } = await signIn('/v1/inbox/session', CASEWORKER);
    expect((await client().DELETE('/v1/inbox/session', { headers: { cookie } })).response.status).toBe(403);
    expect((await client().GET('/v1/inbox/session', { headers: { cookie } })).response.status).toBe(200);

    const signedOut = await client().DELETE('/v1/inbox/session', { headers: { cookie, 'x-csrf-token': session.csrfToken } });
    expect(signedOut.response.status).toBe(204);
    expect(signedOut.response.headers.get('set-cookie')).toBe('crescent_inbox_session=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0');
    expect((await client().GET('/v1/inbox/session', { headers: { cookie } })).response.status).toBe(401);
  });

  it('opens the admin API to a signed-in administrator (changes with the CSRF token), and keeps the admin token working for machines', async () => {
    const { session, cookie } = await signIn('/v1/admin/session', ADMIN);
    expect(session.person).toEqual({ id: expect.any(String), username: 'admin', displayName: 'Exchange Administrator', role: 'admin' });
    expect((await client().GET('/v1/admin/agencies', { headers: { cookie } })).response.status).toBe(200);
    const pause = (headers: Record<string, string>) => client().POST('/v1/admin/subscriptions/{subscriptionId}/pause', { params: { path: { subscriptionId: randomUUID() } }, headers });
    expect(await answered(pause({ cookie }))).toMatchObject({ status: 403, body: { code: 'AUTH.CSRF' } });
    expect((await pause({ cookie, 'x-csrf-token': session.csrfToken })).response.status).toBe(404);

    // An inbox session is not an admin session, even with its cookie renamed.
    const caseworker = await signIn('/v1/inbox/session', CASEWORKER);
    const renamed = caseworker.cookie.replace('crescent_inbox_session', 'crescent_admin_session');
    expect(await answered(client().GET('/v1/admin/agencies', { headers: { cookie: renamed } }))).toMatchObject({ status: 401, body: { code: 'AUTH.NOT_AN_ADMIN' } });
    expect((await createExchangeClient(exchange.url, DEMO_ADMIN_TOKEN).GET('/v1/admin/agencies')).response.status).toBe(200);
  });

  it('locks a username after five failed sign-ins in a row: the right password is refused too', async () => {
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expect(await answered(client().POST('/v1/admin/session', { body: { ...ADMIN, password: `wrong-${attempt}` } }))).toMatchObject({ status: 401, body: { code: 'AUTH.BAD_CREDENTIALS' } });
    }
    expect(await answered(client().POST('/v1/admin/session', { body: ADMIN }))).toMatchObject({ status: 423, body: { code: 'AUTH.LOCKED' } });
  });
});
