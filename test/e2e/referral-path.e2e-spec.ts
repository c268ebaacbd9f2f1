import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { CloudEventV1, Kafka as CloudEvents } from 'cloudevents';
import { AdminModule } from '../../apps/admin/src/admin.module';
import { InboxModule } from '../../apps/inbox/src/inbox.module';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { RelayModule } from '../../apps/relay/src/relay.module';
import { SqlEventStore } from '@crescent/event-store';
import { outboundTopic } from '@crescent/messaging';
import { DEMO_AGENCIES, RUNTIME_CONFIG } from '@crescent/runtime';
import { openSqlClient } from '@crescent/sql';
import { DistributedExchange, eventually, listTopics, readTopics, RunningApp, startDistributedExchange, TEST_DATABASE_URL } from '@crescent/test-support';
import { createExchangeClient } from '../../contracts/client';
import { EXAMPLE_REFERRAL, expectedShelterView, WITHHELD_FROM_SHELTER } from './fixtures';
import OPENAPI from '../../contracts/openapi/exchange.openapi.json';

const [hsi, sheriff, shelter] = DEMO_AGENCIES;
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/**
 * The distributed deployment: intake, relay and inbox each start on their own, on PostgreSQL
 * and the real broker, and meet only through the event store and Kafka.
 */
describe('a referral from HSI reaches the shelter inbox, redacted, over the real broker', () => {
  let exchangeApps: DistributedExchange;
  let namespace: string;
  let storeSchema: string;
  let intake: RunningApp;
  let relay: RunningApp;
  let inbox: RunningApp;

  beforeAll(async () => {
    exchangeApps = await startDistributedExchange({ admin: AdminModule, intake: IntakeModule, relay: RelayModule, inbox: InboxModule });
    ({ namespace, storeSchema, intake, relay, inbox } = exchangeApps);
  });

  afterAll(() => exchangeApps?.close());

  /** Intake's API as one agency. */
  const exchange = (token: string) => createExchangeClient(intake.url, token);

  it("runs the inbox as the shelter's connector: its own database holds its inbox and no event store", async () => {
    const inboxSchema = inbox.app.get(RUNTIME_CONFIG).databaseSchema;
    const sql = await openSqlClient(TEST_DATABASE_URL, { schema: inboxSchema });
    const tables = (await sql.query<{ name: string }>('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1', [inboxSchema])).map((row) => row.name);
    await sql.close();
    expect(tables).toContain('inbox_referrals');
    expect(tables).not.toContain('events');
  });

  it('reports every app ready only once its store and the broker answer', async () => {
    for (const running of [intake, relay, inbox]) {
      const ready = await createExchangeClient(running.url).GET('/health/ready');
      expect({ status: ready.response.status, body: ready.data }).toMatchObject({ status: 200, body: { status: 'up' } });
    }
  });

  it('refuses a bad referral with a problem naming each bad field, and stores nothing', async () => {
    const bad = { ...EXAMPLE_REFERRAL, victim: { ...EXAMPLE_REFERRAL.victim, dateOfBirth: '17/03/1994' }, needs: ['yacht'] };
    // The contract's types would not let this body through: the cast is the point of the test.
    const response = await exchange(hsi.token).POST('/v1/referrals', { body: bad as typeof EXAMPLE_REFERRAL });

    expect(response.response.status).toBe(400);
    expect(response.response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.error?.code).toBe('REQUEST.INVALID');
    expect(response.error?.errors?.map((error) => error.field).sort()).toEqual(['needs', 'victim.dateOfBirth']);
    expect(JSON.stringify(response.error)).not.toContain('17/03/1994');
    const unauthenticated = await createExchangeClient(intake.url).POST('/v1/referrals', { body: EXAMPLE_REFERRAL });
    expect({ status: unauthenticated.response.status, body: unauthenticated.error }).toMatchObject({ status: 401, body: { code: 'AUTH.UNKNOWN_CREDENTIAL' } });
    const fromShelter = await exchange(shelter.token).POST('/v1/referrals', { body: EXAMPLE_REFERRAL });
    expect({ status: fromShelter.response.status, body: fromShelter.error }).toMatchObject({ status: 403, body: { code: 'REFERRAL.SUBMITTER_NOT_ALLOWED' } });

    const store = await SqlEventStore.create(await openSqlClient(TEST_DATABASE_URL, { schema: storeSchema }));
    const referralEvents = (await store.readAll(undefined, 1000)).filter((event) => event.streamId.startsWith('victim-referral-'));
    expect(referralEvents).toEqual([]);
    await store.close();
  });

  it('delivers the referral into the shelter inbox with only the granted fields, and nothing else anywhere on its topic', async () => {
    const submitted = await exchange(hsi.token).POST('/v1/referrals', {
      params: { header: { 'X-Correlation-Id': 'case-4471-intake', traceparent: TRACEPARENT } },
      body: EXAMPLE_REFERRAL,
    });
    expect({ status: submitted.response.status, body: submitted.data }).toMatchObject({ status: 201, body: { version: 1 } });
    const referralId = submitted.data!.recordId;

    const inboxEntry = await eventually('the referral in the shelter inbox', async () => {
      const { data } = await createExchangeClient(inbox.url, shelter.token).GET('/v1/inbox');
      return data?.referrals.find((entry) => entry.referralId === referralId);
    });
    expect(inboxEntry.referral).toEqual(expectedShelterView(referralId));
    expect(inboxEntry.policyVersion).toBe(1);
    // The shelter's connector knows only the shelter's users: the exchange does not even tell it the sheriff's token is one.
    const asSheriff = await createExchangeClient(inbox.url, sheriff.token).GET('/v1/inbox');
    expect({ status: asSheriff.response.status, body: asSheriff.error }).toMatchObject({
      status: 401,
      body: { code: 'AUTH.UNKNOWN_CREDENTIAL' },
    });

    const onTopic = await readTopics([outboundTopic(namespace, shelter.agency.id, 'victim-referral', 2)!], (messages) => messages.length >= 1);
    expect(onTopic).toHaveLength(1);
    expect(onTopic[0].key).toBe(referralId);
    expect(JSON.parse(onTopic[0].value)).toEqual(expectedShelterView(referralId));
    // The binding's declared parameter is its generic Message; at run time it reads the Kafka key and value too.
    const kafkaMessage = { key: onTopic[0].key, value: onTopic[0].value, body: onTopic[0].value, headers: onTopic[0].headers };
    const event = CloudEvents.toEvent(kafkaMessage as Parameters<typeof CloudEvents.toEvent>[0]) as CloudEventV1<unknown>;
    expect(event).toMatchObject({
      specversion: '1.0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      source: 'urn:crescent:relay',
      type: 'crescent.VictimReferralSubmitted.v2',
      subject: referralId,
      dataschema: 'urn:crescent:schema:VictimReferralSubmitted:2',
      recordversion: '1',
      policyversion: '1',
      correlationid: 'case-4471-intake',
      traceparent: TRACEPARENT,
      data: expectedShelterView(referralId),
    });
    const everythingOnTheWire = JSON.stringify(onTopic);
    for (const withheld of WITHHELD_FROM_SHELTER) expect(everythingOnTheWire).not.toContain(withheld);

    // 8 U.S.C. 1367: she is a T-visa applicant, so the sheriff receives nothing of her referral, whatever its policy grants.
    // A later referral of a victim without immigration relief, found in the sheriff's parish, does reach it: the topic is
    // read up to that one, and holds that one alone, in the generalized view its policy grants (no identity without consent).
    const { victimServicesConsent: _consent, ...unprotected } = EXAMPLE_REFERRAL;
    const sentinel = await exchange(hsi.token).POST('/v1/referrals', {
      body: { ...unprotected, immigrationReliefStatus: 'none', foundAt: { description: 'Truck stop on Paris Road', parish: 'St. Bernard' } },
    });
    const sentinelId = sentinel.data!.recordId;
    const sheriffTopic = outboundTopic(namespace, sheriff.agency.id, 'victim-referral', 2)!;
    const sheriffMessages = await readTopics([sheriffTopic], (messages) => messages.some((message) => message.key === sentinelId));
    expect(sheriffMessages.map((message) => message.key)).toEqual([sentinelId]);
    const onSheriffTopic = JSON.stringify(sheriffMessages);
    for (const withheld of [referralId, '1994-03-17', 't-visa', 'immigration', 'Maria', 'Example', '555 0142', 'Chef Menteur', 'Paris Road', 'SA Dana']) {
      expect(onSheriffTopic).not.toContain(withheld);
    }
    // The exchange made each agency's topics when it registered and subscribed: their names say whose and what kind, nothing more.
    const outbound = (await listTopics(namespace)).filter((topic) => topic.startsWith(`${namespace}crescent.out.`));
    const expected = {
      'bayou-haven-shelter': ['victim-referrals.v2', 'command-receipts', 'command-rejections'],
      'st-bernard-sheriff': ['victim-referrals.v2', 'arrest-records.v1', 'cases.v1', 'command-receipts', 'command-rejections'],
      'hsi-new-orleans': ['arrest-records.v1', 'cases.v1', 'consents.v1', 'command-receipts', 'command-rejections'],
    };
    expect(outbound.sort()).toEqual(Object.entries(expected).flatMap(([agency, names]) => names.map((name) => `${namespace}crescent.out.${agency}.${name}`)).sort());
  });

  it('keeps the shelter inbox up to date as the referral moves on: a new phone number, its acknowledgement, its withdrawal', async () => {
    const submitted = await exchange(hsi.token).POST('/v1/referrals', { body: EXAMPLE_REFERRAL });
    const referralId = submitted.data!.recordId;
    const entry = (predicate: (found: { recordVersion: number }) => boolean) => eventually('the inbox entry', async () => {
      const { data } = await createExchangeClient(inbox.url, shelter.token).GET('/v1/inbox');
      const found = data?.referrals.find((candidate) => candidate.referralId === referralId);
      return found && predicate(found) ? found : undefined;
    });
    await entry((found) => found.recordVersion === 1);

    const contact = { phone: '+1 504 555 0177', preferredLanguages: ['es'] };
    const path = { params: { path: { id: referralId } } };
    expect((await exchange(hsi.token).POST('/v1/referrals/{id}/contact', { ...path, body: contact })).response.status).toBe(200);
    const updated = await entry((found) => found.recordVersion === 2);
    expect(updated).toMatchObject({ status: 'received', referral: { ...expectedShelterView(referralId), victim: { ...expectedShelterView(referralId).victim, ...contact } } });

    expect((await exchange(shelter.token).POST('/v1/referrals/{id}/acknowledgement', { ...path, body: {} })).response.status).toBe(200);
    expect(await entry((found) => found.recordVersion === 3)).toMatchObject({ status: 'acknowledged' });

    const withdrawal = { reason: 'The victim has moved to family in Houston' };
    expect((await exchange(hsi.token).POST('/v1/referrals/{id}/withdrawal', { ...path, body: withdrawal })).response.status).toBe(200);
    const withdrawn = await entry((found) => found.recordVersion === 4);
    expect(withdrawn).toMatchObject({ status: 'withdrawn', referral: { reason: withdrawal.reason, withdrawnAt: expect.any(String), victim: contact } });
    for (const withheld of WITHHELD_FROM_SHELTER) expect(JSON.stringify(withdrawn)).not.toContain(withheld);

    // The inbox answers as its committed OpenAPI contract says.
    const validate = addFormats(new Ajv({ strict: false, allErrors: true }))
      .addSchema(OPENAPI, 'openapi')
      .compile({ $ref: 'openapi#/components/schemas/InboxListDto' });
    const { data } = await createExchangeClient(inbox.url, shelter.token).GET('/v1/inbox');
    expect(validate(data) ? [] : validate.errors).toEqual([]);
  });
});
