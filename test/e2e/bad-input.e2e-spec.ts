import { AdminModule } from '../../apps/admin/src/admin.module';
import { InboxModule } from '../../apps/inbox/src/inbox.module';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { EVENT_STORE, EventStore } from '@crescent/event-store';
import { DEMO_ADMIN_TOKEN, DEMO_AGENCIES } from '@crescent/runtime';
import { request, RunningApp, startApp } from '@crescent/test-support';
import { ARREST_IN_ORLEANS, EXAMPLE_REFERRAL } from './fixtures';

const [hsi, sheriff, shelter] = DEMO_AGENCIES;
const PROBLEM = expect.stringContaining('application/problem+json');
const DAY_MS = 24 * 60 * 60 * 1000;

/** Issue 11: what probing the running exchange with bad bodies found, each answered with a clean 4xx that changes nothing. */
describe('the edge refuses bad input cleanly', () => {
  let exchange: RunningApp;
  let store: EventStore;

  beforeAll(async () => {
    exchange = await startApp({ databaseUrl: 'sqlite::memory:', kafkaBrokers: [] }, [IntakeModule, InboxModule, AdminModule]);
    store = exchange.app.get(EVENT_STORE);
  });

  afterAll(() => exchange?.app.close());

  const eventCount = async () => (await store.readAll(undefined, 1_000_000)).length;

  /** A body sent exactly as given, with the content type given. */
  async function send(path: string, token: string, body: string, contentType = 'application/json', headers: Record<string, string> = {}) {
    const response = await fetch(`${exchange.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType, ...headers }, body });
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', text, body: text ? JSON.parse(text) : undefined };
  }

  /** Posts, expects a refusal with `code`, and checks nothing was appended. */
  async function expectRefused<Answer extends { status: number; contentType: string; body: any }>(sent: () => Promise<Answer>, status: number, code: string): Promise<Answer> {
    const before = await eventCount();
    const answer = await sent();
    expect({ status: answer.status, contentType: answer.contentType, code: answer.body?.code }).toEqual({ status, contentType: PROBLEM, code });
    expect(await eventCount()).toBe(before);
    return answer;
  }

  const referral = (change: (body: any) => void) => {
    const body = structuredClone(EXAMPLE_REFERRAL);
    change(body);
    return JSON.stringify(body);
  };

  describe('a body nested 10,000 levels deep', () => {
    const deepArray = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const deepObject = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;

    it.each([
      ['intake', '/v1/referrals', hsi.token],
      ['intake, on a record', '/v1/referrals/00000000-0000-4000-8000-000000000000/decline', shelter.token],
      ['admin', '/v1/admin/agencies', DEMO_ADMIN_TOKEN],
      ['admin, a preview', '/v1/admin/previews', DEMO_ADMIN_TOKEN],
      ['inbox', '/v1/inbox', shelter.token],
    ])('is a 400 problem at %s (%s), for arrays and objects alike', async (_, path, token) => {
      await expectRefused(() => send(path, token, deepArray), 400, 'REQUEST.TOO_DEEP');
      await expectRefused(() => send(path, token, deepObject), 400, 'REQUEST.TOO_DEEP');
    });

    it('leaves the exchange healthy', async () => {
      expect((await request(`${exchange.url}/health/ready`)).status).toBe(200);
    });
  });

  describe('a body that is not application/json', () => {
    const json = referral(() => undefined);

    it.each([
      ['a form', 'application/x-www-form-urlencoded', json],
      ['text', 'text/plain', json],
      ['multipart', 'multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="victim"\r\n\r\n${json}\r\n--x--\r\n`],
      ['XML', 'application/xml', '<referral><givenName>Maria</givenName></referral>'],
      ['JSON in another charset', 'application/json; charset=latin1', json],
      ['a +json type', 'application/merge-patch+json', json],
    ])('is a 415 problem for %s, repeating nothing of it', async (_, contentType, body) => {
      const answer = await expectRefused(() => send('/v1/referrals', hsi.token, body, contentType), 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
      expect(answer.text).not.toMatch(/Maria|Example|givenName|Chef Menteur/);
    });

    it('is read when it is application/json, with or without charset=utf-8', async () => {
      expect((await send('/v1/referrals', hsi.token, json)).status).toBe(201);
      expect((await send('/v1/referrals', hsi.token, json, 'application/json; charset=utf-8')).status).toBe(201);
      expect((await send('/v1/referrals', hsi.token, json, 'Application/JSON;charset="UTF-8"')).status).toBe(201);
    });
  });

  it('names no unknown property, only where it is', async () => {
    const body = referral((it) => {
      it.victim.secretNickname = 'Mari';
      it['ssn-123-45-6789'] = 1;
    });
    const answer = await expectRefused(() => send('/v1/referrals', hsi.token, body), 400, 'REQUEST.INVALID');
    expect(answer.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'victim', problems: ['an unknown property'] },
        { field: '(body)', problems: ['an unknown property'] },
      ]),
    );
    expect(answer.text).not.toMatch(/secretNickname|Mari\b|ssn|6789/);
  });

  describe('lists of objects, element by element', () => {
    it.each([
      ['lists in dependents', (it: any) => (it.dependents = [[], [[]]])],
      ['text in dependents', (it: any) => (it.dependents = ['daughter'])],
      ['1,000-deep nested arrays in dependents (refused before parsing, past the depth limit)', (it: any) => (it.dependents = JSON.parse(`${'['.repeat(1000)}${']'.repeat(1000)}`))],
    ])('refuses %s and stores nothing', async (_, change) => {
      await expectRefused(() => send('/v1/referrals', hsi.token, referral(change)), 400, expect.stringMatching(/^REQUEST\.(INVALID|TOO_DEEP)$/) as never);
    });

    it('refuses lists in charges, and in a sharing policy\'s rules', async () => {
      await expectRefused(() => send('/v1/arrests', sheriff.token, JSON.stringify({ ...ARREST_IN_ORLEANS, charges: [[], [[]]] })), 400, 'REQUEST.INVALID');
      const policy = { appliesTo: { agencyKind: 'victim-service-provider' }, recordType: 'victim-referral', purpose: 'victim-services', addresseeOnly: true, rules: [[]] };
      await expectRefused(() => send('/v1/admin/policies/edge-probe/versions', DEMO_ADMIN_TOKEN, JSON.stringify(policy)), 400, 'REQUEST.INVALID');
    });
  });

  it('reports the first 20 problems of a body of 8,000 bad elements, and how many more there are', async () => {
    const body = referral((it) => (it.dependents = Array.from({ length: 8000 }, () => ({ age: -1 }))));
    const answer = await expectRefused(() => send('/v1/referrals', hsi.token, body), 400, 'REQUEST.INVALID');
    expect(body.length).toBeLessThan(100_000);
    expect(answer.body.errors).toHaveLength(20);
    expect(answer.body.moreErrors).toBeGreaterThan(8000);
    expect(answer.text.length).toBeLessThan(5000);
  });

  describe('names and free text', () => {
    it.each([
      ['a given name of spaces only', (it: any) => (it.victim.givenName = '   ')],
      ['a NUL in a family name', (it: any) => (it.victim.familyName = 'Exa\u0000mple')],
      ['an escape sequence in the place', (it: any) => (it.foundAt.description = 'Motel \u001b[2J')],
      ['a right-to-left override in a name', (it: any) => (it.victim.givenName = 'Mar\u202Eia')],
      ['a bidirectional isolate in the officer\'s name', (it: any) => (it.referringOfficer.name = '\u2066SA Dana\u2069')],
    ])('refuses %s', async (_, change) => {
      const answer = await expectRefused(() => send('/v1/referrals', hsi.token, referral(change)), 400, 'REQUEST.INVALID');
      expect(answer.text).not.toMatch(/Mar.ia|Exa.mple|2J|SA Dana/);
    });

    it('refuses a blank or controlled reason for withdrawing, and a blank agency name', async () => {
      const referralId = (await send('/v1/referrals', hsi.token, referral(() => undefined))).body.recordId;
      await expectRefused(() => send(`/v1/referrals/${referralId}/withdrawal`, hsi.token, JSON.stringify({ reason: ' \n ' })), 400, 'REQUEST.INVALID');
      await expectRefused(() => send(`/v1/referrals/${referralId}/withdrawal`, hsi.token, JSON.stringify({ reason: 'sent\u0007twice' })), 400, 'REQUEST.INVALID');
      const agency = { agencyId: 'probe-agency', name: '\u202E', kind: 'prosecutor', jurisdiction: ['Orleans'] };
      await expectRefused(() => send('/v1/admin/agencies', DEMO_ADMIN_TOKEN, JSON.stringify(agency)), 400, 'REQUEST.INVALID');
    });

    it('takes line breaks in free text', async () => {
      const referralId = (await send('/v1/referrals', hsi.token, referral(() => undefined))).body.recordId;
      expect((await send(`/v1/referrals/${referralId}/withdrawal`, hsi.token, JSON.stringify({ reason: 'Sent twice.\r\n\tWithdrawn.' }))).status).toBe(200);
    });
  });

  describe('implausible dates', () => {
    const elevenYearsAhead = new Date(Date.now() + 11 * 365 * DAY_MS).toISOString();
    const tomorrow = new Date(Date.now() + DAY_MS).toISOString().slice(0, 10);

    it.each([
      ['a victim born before 1900', (it: any) => (it.victim.dateOfBirth = '1899-12-31')],
      ['a victim born tomorrow', (it: any) => (it.victim.dateOfBirth = tomorrow)],
      ['a consent obtained in 1850', (it: any) => (it.victimServicesConsent.writtenConsentObtainedAt = '1850-01-01T00:00:00Z')],
    ])('refuses %s', async (_, change) => {
      await expectRefused(() => send('/v1/referrals', hsi.token, referral(change)), 400, 'REQUEST.INVALID');
    });

    it('refuses an arrestee born tomorrow, and an arrest eleven years ahead', async () => {
      await expectRefused(() => send('/v1/arrests', sheriff.token, JSON.stringify({ ...ARREST_IN_ORLEANS, arrestee: { ...ARREST_IN_ORLEANS.arrestee, dateOfBirth: tomorrow } })), 400, 'REQUEST.INVALID');
      await expectRefused(() => send('/v1/arrests', sheriff.token, JSON.stringify({ ...ARREST_IN_ORLEANS, arrestedAt: elevenYearsAhead })), 400, 'REQUEST.INVALID');
    });

    it('refuses a consent expiring eleven years ahead, and one beyond CONSENT_MAX_DAYS (as before)', async () => {
      const referralId = (await send('/v1/referrals', hsi.token, referral(() => undefined))).body.recordId;
      const consent = (expiresAt: string) =>
        JSON.stringify({ referralId, victimIsMinor: false, recipientAgencyIds: [hsi.agency.id], purposes: ['investigation'], fields: ['victim.phone'], written: true, informed: true, expiresAt });
      await expectRefused(() => send('/v1/consents', shelter.token, consent(elevenYearsAhead)), 400, 'REQUEST.INVALID');
      await expectRefused(() => send('/v1/consents', shelter.token, consent(new Date(Date.now() + 400 * DAY_MS).toISOString())), 400, 'CONSENT.EXPIRY_TOO_FAR');
    });
  });

  it('refuses If-Match on a create with a 400, not a version conflict', async () => {
    for (const ifMatch of ['"0"', '"1"', '"7"']) {
      await expectRefused(() => send('/v1/referrals', hsi.token, referral(() => undefined), 'application/json', { 'if-match': ifMatch }), 400, 'COMMAND.EXPECTED_VERSION_ON_CREATE');
    }
  });
});
