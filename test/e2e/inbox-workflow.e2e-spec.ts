import createClient from 'openapi-fetch';
import { AdminModule } from '../../apps/admin/src/admin.module';
import { InboxModule } from '../../apps/inbox/src/inbox.module';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { RelayModule } from '../../apps/relay/src/relay.module';
import { deciderFor } from '@crescent/domain';
import { SqlEventStore } from '@crescent/event-store';
import { DEMO_ADMIN_TOKEN, DEMO_AGENCIES } from '@crescent/runtime';
import { openSqlClient } from '@crescent/sql';
import { answered, DistributedExchange, eventually, request, RunningApp, startDistributedExchange, TEST_DATABASE_URL } from '@crescent/test-support';
import { createExchangeClient } from '../../contracts/client';
import type { paths } from '../../contracts/generated/exchange-api';
import { EXAMPLE_REFERRAL, expectedShelterView } from './fixtures';

const [hsi, , shelter] = DEMO_AGENCIES;
// Written out, not imported: the README gives the demo caseworker's sign-in.
const CASEWORKER = { username: 'caseworker@shelter', password: 'demo-caseworker-password' };
const ROSA = { ...EXAMPLE_REFERRAL, victim: { ...EXAMPLE_REFERRAL.victim, givenName: 'Rosa', familyName: 'Sample', dateOfBirth: '2009-05-02' }, dependents: [] };
const RETRACTION_NOTE = 'The details of this referral were retracted: this agency may no longer hold them, so they were removed from the inbox.';

/** Reads a server-sent event stream into a list until aborted. */
function listen(url: string, cookie: string): { events: { event: string; data: unknown }[]; stop: () => void } {
  const events: { event: string; data: unknown }[] = [];
  const abort = new AbortController();
  void (async () => {
    const response = await fetch(url, { headers: { cookie }, signal: abort.signal });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        const field = (name: string) => lines.find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
        events.push({ event: field('event') ?? 'message', data: JSON.parse(field('data') ?? 'null') });
      }
    }
  })().catch(() => undefined);
  return { events, stop: () => abort.abort() };
}

/**
 * A caseworker works referrals in the shelter's inbox, run as the shelter's own connector: intake,
 * relay and admin on PostgreSQL and the real broker, the inbox on its own database, reaching intake
 * over HTTP with the shelter's credential.
 */
describe("the caseworker's inbox over the real broker", () => {
  let exchangeApps: DistributedExchange;
  let admin: RunningApp;
  let intake: RunningApp;
  let inbox: RunningApp;
  let stream: ReturnType<typeof listen>;
  let caseworker: { id: string; cookie: string; csrfToken: string };
  let maria: string;
  let rosa: string;

  beforeAll(async () => {
    exchangeApps = await startDistributedExchange({ admin: AdminModule, intake: IntakeModule, relay: RelayModule, inbox: InboxModule });
    ({ admin, intake, inbox } = exchangeApps);
    const signedIn = await createExchangeClient(inbox.url).POST('/v1/inbox/session', { body: CASEWORKER });
    caseworker = { id: signedIn.data!.person.id, cookie: signedIn.response.headers.get('set-cookie')!.split(';')[0], csrfToken: signedIn.data!.csrfToken };
    stream = listen(`${inbox.url}/v1/inbox/stream`, caseworker.cookie);
  });

  afterAll(async () => {
    stream?.stop();
    await exchangeApps?.close();
  });

  /** The inbox as the signed-in caseworker sees it. */
  const asCaseworker = () => createClient<paths>({ baseUrl: inbox.url, headers: { cookie: caseworker.cookie, 'x-csrf-token': caseworker.csrfToken } });
  const detailOf = async (id: string) => (await asCaseworker().GET('/v1/inbox/referrals/{id}', { params: { path: { id } } })).data!;
  // While a snapshot restates a referral it is briefly not there: a probe looks again.
  const until = <T>(what: string, id: string, holds: (detail: Awaited<ReturnType<typeof detailOf>>) => T | undefined) =>
    eventually(what, async () => {
      const detail = await detailOf(id);
      return detail ? holds(detail) : undefined;
    }, 60_000);

  it('receives two referrals, each announced on the stream by its id alone', async () => {
    const received = (total: number) => async () => ((await asCaseworker().GET('/v1/inbox/referrals')).data!.total === total ? true : undefined);
    // One after the other: the inbox orders by when it received each, to the millisecond, and two received together may tie.
    maria = (await createExchangeClient(intake.url, hsi.token).POST('/v1/referrals', { body: EXAMPLE_REFERRAL })).data!.recordId;
    await eventually('the first referral in the inbox', received(1), 60_000);
    rosa = (await createExchangeClient(intake.url, hsi.token).POST('/v1/referrals', { body: ROSA })).data!.recordId;
    await eventually('both referrals in the inbox', received(2), 60_000);
    const announced = await eventually('both announced', async () => {
      const ids = new Set(stream.events.map(({ data }) => (data as { referralId: string }).referralId));
      return ids.has(maria) && ids.has(rosa) ? stream.events : undefined;
    });
    expect(announced.every(({ event, data }) => event === 'referral' && Object.keys(data as object).join() === 'referralId')).toBe(true);
  });

  it('lists, filters, searches what it received, sorts, pages and counts', async () => {
    const list = async (query: Record<string, string | number>) => (await asCaseworker().GET('/v1/inbox/referrals', { params: { query } })).data!;
    const newestFirst = await list({});
    expect(newestFirst).toMatchObject({ total: 2, page: 1, pageSize: 20, counts: { received: 2 } });
    expect(newestFirst.items.map(({ referralId }) => referralId)).toEqual([rosa, maria]);
    expect(newestFirst.items[1]).toEqual({
      referralId: maria,
      status: 'received',
      receivedAt: expect.any(String),
      updatedAt: expect.any(String),
      senderAgencyId: hsi.agency.id,
      senderName: null,
      victimDisplayName: 'Maria Example',
      minor: false,
      retracted: false,
    });
    expect(newestFirst.items[0]).toMatchObject({ victimDisplayName: 'Rosa Sample', minor: true });
    expect((await list({ sort: 'receivedAt' })).items.map(({ referralId }) => referralId)).toEqual([maria, rosa]);
    expect(await list({ pageSize: 1, page: 2 })).toMatchObject({ total: 2, items: [{ referralId: maria }] });
    expect((await list({ q: 'maria' })).items.map(({ referralId }) => referralId)).toEqual([maria]);
    // Her date of birth and her T-visa application were never received: nothing finds a referral by them.
    expect(await list({ q: '1994-03-17' })).toMatchObject({ total: 0, items: [] });
    expect(await list({ q: 't-visa' })).toMatchObject({ total: 0 });
    expect(await list({ status: 'accepted' })).toMatchObject({ total: 0, counts: { received: 2 } });
    expect(await list({ receivedFrom: '2999-01-01T00:00:00Z' })).toMatchObject({ total: 0, counts: {} });
    expect(await answered(asCaseworker().GET('/v1/inbox/referrals', { params: { query: { pageSize: 1000 } } }))).toMatchObject({ status: 400, body: { code: 'REQUEST.INVALID' } });
  });

  it('shows one referral with all it received and nothing its policy withholds, and no other agency\'s referral', async () => {
    const detail = await detailOf(maria);
    expect(detail).toMatchObject({
      referralId: maria,
      status: 'received',
      sender: { agencyId: hsi.agency.id, name: null },
      referral: expectedShelterView(maria),
      minor: false,
      dependents: [{ relationship: 'daughter', ageBand: '0-11' }],
      callback: { name: 'SA Dana Example', phone: '+1 504 555 0199' },
      history: [{ status: 'received', at: expect.any(String) }],
      retractions: [],
      questions: [],
      consents: [],
    });
    const text = JSON.stringify(detail);
    for (const withheld of ['1994-03-17', 'dateOfBirth', 't-visa', 'immigrationReliefStatus', 'victimServicesConsent', 'HSI-4471', 'Chef Menteur']) expect(text).not.toContain(withheld);

    // A record of the exchange that is not this inbox's answers exactly as an id nobody holds.
    const caseId = (await createExchangeClient(intake.url, hsi.token).POST('/v1/cases', { body: { title: 'Operation Bayou', parish: 'Orleans', leadInvestigator: { name: 'SA Dana Example', badgeNumber: 'HSI-4471', phone: '+1 504 555 0199' } } })).data!.recordId;
    const notYours = await answered(asCaseworker().GET('/v1/inbox/referrals/{id}', { params: { path: { id: caseId } } }));
    const unknown = await answered(asCaseworker().GET('/v1/inbox/referrals/{id}', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } } }));
    expect(notYours).toMatchObject({ status: 404, body: { code: 'INBOX.REFERRAL_NOT_FOUND' } });
    expect({ ...(notYours.body as object), instance: '' }).toEqual({ ...(unknown.body as object), instance: '' });
    // The shelter's own system reads with its token too; another agency's token opens nothing (the exchange vouches only for the shelter's).
    expect((await createExchangeClient(inbox.url, shelter.token).GET('/v1/inbox/referrals/{id}', { params: { path: { id: maria } } })).response.status).toBe(200);
    expect(await answered(createExchangeClient(inbox.url, hsi.token).GET('/v1/inbox/referrals/{id}', { params: { path: { id: maria } } }))).toMatchObject({ status: 401, body: { code: 'AUTH.UNKNOWN_CREDENTIAL' } });
  });

  it('acknowledges under the caseworker\'s name, in the event and in the access audit', async () => {
    const path = { params: { path: { id: maria } } };
    expect(await answered(createClient<paths>({ baseUrl: inbox.url, headers: { cookie: caseworker.cookie } }).POST('/v1/inbox/referrals/{id}/acknowledgement', path))).toMatchObject({
      status: 403,
      body: { code: 'AUTH.CSRF' },
    });
    // Intake takes a person reference only in its format: a name in its place is refused, and changes nothing.
    const named = await request(`${intake.url}/v1/referrals/${maria}/acknowledgement`, { method: 'POST', token: shelter.token, body: {}, headers: { 'x-on-behalf-of': 'Casey Caseworker' } });
    expect(named).toMatchObject({ status: 400, body: { code: 'REQUEST.HEADER' } });
    expect(JSON.stringify(named.body)).not.toContain('Casey');
    expect(await answered(asCaseworker().POST('/v1/inbox/referrals/{id}/acknowledgement', path))).toMatchObject({ status: 200, body: { recordId: maria, version: 2 } });
    const acknowledged = await until('the acknowledgement', maria, (detail) => (detail.status === 'acknowledged' ? detail : undefined));
    expect(acknowledged.history.map(({ status }) => status)).toEqual(['received', 'acknowledged']);
    // Intake refuses a step where the referral stands, and the inbox answers with intake's problem.
    expect(await answered(asCaseworker().POST('/v1/inbox/referrals/{id}/acknowledgement', path))).toMatchObject({ status: 422, body: { code: 'REFERRAL.ALREADY_ACKNOWLEDGED' } });

    const store = await SqlEventStore.create(await openSqlClient(TEST_DATABASE_URL, { schema: exchangeApps.storeSchema }));
    const events = await store.readStream(deciderFor('victim-referral').streamId(maria));
    await store.close();
    expect(events.map(({ type, metadata }) => [type, (metadata as { onBehalfOf?: string }).onBehalfOf])).toEqual([
      ['VictimReferralSubmitted', undefined],
      ['VictimReferralAcknowledged', `person:${caseworker.id}`],
    ]);
    const audit = await createExchangeClient(admin.url, DEMO_ADMIN_TOKEN).GET('/v1/admin/audit', { params: { query: { principal: `agency:${shelter.agency.id}`, recordId: maria } } });
    expect(audit.data!.rows.map(({ entry }) => [entry.action, entry.status, entry.onBehalfOf])).toEqual(
      expect.arrayContaining([['POST /v1/referrals/:id/acknowledgement', 200, `person:${caseworker.id}`]]),
    );
  });

  it('asks HSI a question, which HSI reads on its own view of the referral and answers; the answer reaches the inbox', async () => {
    const question = 'Does the daughter need a school placement?';
    expect((await asCaseworker().POST('/v1/inbox/referrals/{id}/questions', { params: { path: { id: maria } }, body: { question } })).response.status).toBe(200);
    await until('the question', maria, (detail) => (detail.status === 'information-requested' && detail.questions.length === 1 ? true : undefined));
    expect((await detailOf(maria)).questions).toEqual([{ questionId: 'q1', question, askedAt: expect.any(String) }]);

    const asHsi = createExchangeClient(intake.url, hsi.token);
    const seen = await asHsi.GET('/v1/referrals/{id}', { params: { path: { id: maria } } });
    expect(seen.data!.record.questions).toEqual([{ questionId: 'q1', question, askedAt: expect.any(String) }]);
    const answer = 'Yes: she starts second grade in January.';
    expect((await asHsi.POST('/v1/referrals/{id}/information-answers', { params: { path: { id: maria } }, body: { questionId: 'q1', answer } })).response.status).toBe(200);
    expect(await answered(asHsi.POST('/v1/referrals/{id}/information-answers', { params: { path: { id: maria } }, body: { questionId: 'q1', answer } }))).toMatchObject({
      status: 422,
      body: { code: 'REFERRAL.QUESTION_ALREADY_ANSWERED' },
    });
    // Only the sender answers: the shelter's own credential is refused.
    expect(await answered(createExchangeClient(intake.url, shelter.token).POST('/v1/referrals/{id}/information-answers', { params: { path: { id: maria } }, body: { questionId: 'q1', answer } }))).toMatchObject({
      status: 403,
      body: { code: 'REFERRAL.NOT_SENDER' },
    });

    const answered_ = await until('the answer', maria, (detail) => (detail.questions[0]?.answer ? detail : undefined));
    expect(answered_.questions).toEqual([{ questionId: 'q1', question, askedAt: expect.any(String), answer, answeredAt: expect.any(String) }]);
    expect(answered_.status).toBe('acknowledged');
  });

  it('accepts, and declines the other with a reason', async () => {
    expect((await asCaseworker().POST('/v1/inbox/referrals/{id}/acceptance', { params: { path: { id: maria } } })).response.status).toBe(200);
    await until('the acceptance', maria, (detail) => (detail.status === 'accepted' ? true : undefined));
    expect((await asCaseworker().POST('/v1/inbox/referrals/{id}/acknowledgement', { params: { path: { id: rosa } } })).response.status).toBe(200);
    expect(await answered(asCaseworker().POST('/v1/inbox/referrals/{id}/decline', { params: { path: { id: rosa } }, body: { reason: '' } }))).toMatchObject({ status: 400 });
    expect((await asCaseworker().POST('/v1/inbox/referrals/{id}/decline', { params: { path: { id: rosa } }, body: { reason: 'No family rooms free until December' } })).response.status).toBe(200);
    await until('the decline', rosa, (detail) => (detail.status === 'declined' ? true : undefined));
    expect((await asCaseworker().GET('/v1/inbox/referrals')).data!.counts).toEqual({ accepted: 1, declined: 1 });
  });

  it("records the victim's consent to tell the shelter where she was found, and its revocation takes it out of the detail with a note", async () => {
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const recorded = await asCaseworker().POST('/v1/inbox/referrals/{id}/consents', {
      params: { path: { id: maria } },
      body: { recipients: [shelter.agency.id], purposes: ['victim-services'], fields: ['foundAt'], expiresAt },
    });
    expect(recorded.response.status).toBe(201);
    const consentId = recorded.data!.recordId;
    const released = await until('where she was found', maria, (detail) => (detail.referral.foundAt ? detail : undefined));
    expect(released.referral.foundAt).toEqual({ description: 'Motel on Chef Menteur Highway', parish: 'Orleans' });
    expect(released.consents).toEqual([{ consentId, recipients: [shelter.agency.id], purposes: ['victim-services'], fields: ['foundAt'], expiresAt, recordedAt: expect.any(String) }]);

    expect((await asCaseworker().POST('/v1/inbox/consents/{id}/revocation', { params: { path: { id: consentId } }, body: { reason: 'She asked us to' } })).response.status).toBe(200);
    // The relay takes back the referral whole (a retraction says nothing of its cause): its data leaves the inbox, a note stays.
    const retracted = await until('the retraction', maria, (detail) => (detail.retracted ? detail : undefined));
    expect(retracted).toMatchObject({ referralId: maria, status: 'accepted', referral: {}, questions: [], retractions: [{ at: expect.any(String), note: RETRACTION_NOTE }] });
    expect(retracted.referral).toEqual({});
    expect(JSON.stringify(retracted)).not.toMatch(/Chef Menteur|Maria|555/);
    expect(retracted.history.map(({ status }) => status)).toEqual(['received', 'acknowledged', 'information-requested', 'acknowledged', 'accepted']);
    expect(retracted.consents).toEqual([expect.objectContaining({ consentId, revokedAt: expect.any(String) })]);
    const listed = (await asCaseworker().GET('/v1/inbox/referrals', { params: { query: { q: 'maria' } } })).data!;
    expect(listed.total).toBe(0);
    expect((await asCaseworker().GET('/v1/inbox/referrals')).data!.items.find(({ referralId }) => referralId === maria)).toMatchObject({ retracted: true, senderAgencyId: null });
    expect(await answered(asCaseworker().POST('/v1/inbox/consents/{id}/revocation', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } }, body: { reason: 'x' } }))).toMatchObject({
      status: 404,
      body: { code: 'INBOX.CONSENT_NOT_FOUND' },
    });
  });
});
