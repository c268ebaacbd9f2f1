import { randomUUID } from 'node:crypto';
import { AdminModule } from '../../apps/admin/src/admin.module';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { SqlEventStore } from '@crescent/event-store';
import { BusMessage, commandReplyTopic, EXCHANGE_PRINCIPALS, fromCloudEventMessage, inboundCommandTopic, KafkaBus } from '@crescent/messaging';
import { DEMO_AGENCIES } from '@crescent/runtime';
import { openSqlClient } from '@crescent/sql';
import { agencyKafkaToken, checkMessageContract, eventually, exchangeKafka, kafkaBrokers, RunningApp, startApp, TEST_DATABASE_URL, uniqueName } from '@crescent/test-support';
import { createExchangeClient } from '../../contracts/client';
import type { paths } from '../../contracts/generated/exchange-api';
import { EXAMPLE_REFERRAL } from './fixtures';
import { LIFECYCLES, LifecycleStep } from './record-lifecycles';

const AGENCIES = { hsi: DEMO_AGENCIES[0], sheriff: DEMO_AGENCIES[1], shelter: DEMO_AGENCIES[2] } as const;

/** The documented routes that take a POST. */
type CommandRoute = { [P in keyof paths]: paths[P] extends { post: object } ? P : never }[keyof paths];

/** Where each command lives over HTTP: a collection to create in, or an action on a record (`{id}`). */
const HTTP_ROUTES: Record<string, CommandRoute> = {
  OpenCase: '/v1/cases',
  LinkRecordToCase: '/v1/cases/{id}/links',
  AddCaseTeamMember: '/v1/cases/{id}/team',
  CloseCase: '/v1/cases/{id}/closure',
  SubmitVictimReferral: '/v1/referrals',
  AcknowledgeVictimReferral: '/v1/referrals/{id}/acknowledgement',
  AcceptVictimReferral: '/v1/referrals/{id}/acceptance',
  DeclineVictimReferral: '/v1/referrals/{id}/decline',
  RequestVictimReferralInformation: '/v1/referrals/{id}/information-requests',
  WithdrawVictimReferral: '/v1/referrals/{id}/withdrawal',
  UpdateVictimContact: '/v1/referrals/{id}/contact',
  CorrectVictimReferral: '/v1/referrals/{id}/corrections',
  RecordArrest: '/v1/arrests',
  AmendCharges: '/v1/arrests/{id}/charges',
  SealArrestRecord: '/v1/arrests/{id}/seal',
  ExpungeArrestRecord: '/v1/arrests/{id}/expungement',
  RecordArresteeRelationship: '/v1/arrests/{id}/arrestee-relationship',
  RecordConsent: '/v1/consents',
  RevokeConsent: '/v1/consents/{id}/revocation',
};
const targetsRecord = (command: string) => HTTP_ROUTES[command].includes('{id}');

/** The outcome an agency is told: `ok` with the record, or the refusal's code. */
type Outcome = { code: string; recordId?: string };
type Driver = (step: LifecycleStep, recordId: string | undefined, body: object | undefined) => Promise<Outcome>;

describe('every record lifecycle, over HTTP and over the inbound topic', () => {
  const namespace = `${uniqueName('e2e')}.`;
  const schema = uniqueName('e2e_records');
  let admin: RunningApp;
  let intake: RunningApp;
  /** Each agency's own system, with its own credential: it may write only its own inbound topic and read only its own replies. */
  const agencyBuses = new Map<keyof typeof AGENCIES, KafkaBus>();
  const replies = new Map<string, { kind: string; data: Record<string, unknown> }>();

  beforeAll(async () => {
    const shared = { databaseUrl: TEST_DATABASE_URL, databaseSchema: schema, topicNamespace: namespace };
    admin = await startApp({ ...shared, ...exchangeKafka(EXCHANGE_PRINCIPALS.admin) }, [AdminModule]);
    intake = await startApp({ ...shared, ...exchangeKafka(EXCHANGE_PRINCIPALS.intake) }, [IntakeModule]);
    for (const [name, { agency, token }] of Object.entries(AGENCIES) as [keyof typeof AGENCIES, (typeof AGENCIES)[keyof typeof AGENCIES]][]) {
      const bus = await KafkaBus.connect({ brokers: kafkaBrokers(), clientId: uniqueName(name), token: () => agencyKafkaToken(intake.url, token), createsTopics: false });
      agencyBuses.set(name, bus);
      const replyTopics = (['receipts', 'rejections'] as const).map((kind) => commandReplyTopic(namespace, agency.id, kind));
      await bus.subscribe({ groupId: `${namespace}${agency.id}.replies`, topics: replyTopics }, async (message: BusMessage) => {
        checkMessageContract(message);
        const reply = fromCloudEventMessage(message);
        if (reply) replies.set(reply.attributes.subject, { kind: message.topic.endsWith('receipts') ? 'receipts' : 'rejections', data: reply.data as Record<string, unknown> });
      });
    }
  });

  afterAll(async () => {
    for (const bus of agencyBuses.values()) await bus.close();
    await intake?.app.close();
    await admin?.app.close();
  });

  const as = (agency: keyof typeof AGENCIES) => createExchangeClient(intake.url, AGENCIES[agency].token);

  const overHttp: Driver = async (step, recordId, body) => {
    // The route comes from a table, so its body type is the union of all of them: each step's body is the lifecycle's.
    const route = HTTP_ROUTES[step.command] as '/v1/cases/{id}/links';
    const { data, error, response } = await as(step.as).POST(route, { params: { path: { id: recordId ?? '' } }, body: body as never });
    if (error) return { code: error.code };
    expect(response.status).toBe(targetsRecord(step.command) ? 200 : 201);
    return { code: 'ok', recordId: data!.recordId };
  };

  const overKafka: Driver = async (step, recordId, body) => {
    const commandId = randomUUID();
    await agencyBuses.get(step.as)!.publish([
      {
        topic: inboundCommandTopic(namespace, AGENCIES[step.as].agency.id),
        key: recordId ?? commandId,
        value: JSON.stringify(body),
        headers: {
          ce_specversion: '1.0',
          ce_id: commandId,
          ce_type: step.command,
          ce_source: `urn:agency:${step.as}`,
          ...(recordId && targetsRecord(step.command) ? { ce_subject: recordId } : {}),
        },
      },
    ]);
    const reply = await eventually(`the reply to ${step.command}`, async () => replies.get(commandId));
    return reply.kind === 'receipts' ? { code: 'ok', recordId: reply.data.recordId as string } : { code: reply.data.code as string };
  };

  async function walk(steps: readonly LifecycleStep[], send: Driver): Promise<Map<string, string>> {
    const records = new Map<string, string>();
    for (const step of steps) {
      const outcome = await send(step, records.get(step.record), typeof step.body === 'function' ? step.body(records) : step.body);
      expect({ step: `${step.as} ${step.command}`, code: outcome.code }).toEqual({ step: `${step.as} ${step.command}`, code: step.expect });
      if (outcome.recordId && !records.has(step.record)) records.set(step.record, outcome.recordId);
    }
    return records;
  }

  describe.each([
    ['HTTP', () => overHttp],
    ['the inbound topic', () => overKafka],
  ] as const)('over %s', (_, driver) => {
    it.each(Object.entries(LIFECYCLES))('%s', async (_name, steps) => {
      const records = await walk(steps, driver());
      expect(records.size).toBeGreaterThan(0);
    });
  });

  it('lets the originator, and only the originator, read a record back in full, with its version', async () => {
    const records = await walk(LIFECYCLES['a referral is acknowledged, questioned, answered and accepted'], overHttp);
    const referralId = records.get('referral')!;
    const read = (agency: keyof typeof AGENCIES, id: string) => as(agency).GET('/v1/referrals/{id}', { params: { path: { id } } });

    const asSender = await read('hsi', referralId);
    expect(asSender.response.status).toBe(200);
    // VAWA: without the victim's consent to status updates the sender does not learn that the shelter accepted her,
    // not even from the version: of the six events (submitted, acknowledged, questioned, contact updated, accepted,
    // corrected) it counts its own three.
    expect(asSender.data).toMatchObject({ recordId: referralId, version: 3, status: 'submitted' });
    expect(asSender.response.headers.get('etag')).toBe('"3"');
    expect(asSender.data!.record).not.toHaveProperty('acceptedAt');
    expect(asSender.data!.record).not.toHaveProperty('acknowledgedAt');
    expect(asSender.data!.record.victim).toMatchObject({ givenName: 'Maria', familyName: 'Example', dateOfBirth: '1994-03-17' });
    expect(asSender.data!.record.immigrationReliefStatus).toBe('t-visa-applicant');
    for (const other of ['shelter', 'sheriff'] as const) {
      const refused = await read(other, referralId);
      expect({ status: refused.response.status, body: refused.error }).toMatchObject({ status: 404, body: { code: 'RECORD.NOT_FOUND' } });
    }
    // It names back the version it saw, and is answered with the version it sees; the store's own version is a conflict to it, like any other.
    const { referredToAgencyId: _addressee, ...content } = EXAMPLE_REFERRAL;
    const correct = (ifMatch: string) =>
      as('hsi').POST('/v1/referrals/{id}/corrections', { params: { path: { id: referralId }, header: { 'If-Match': ifMatch } }, body: content });
    const stale = await correct('"6"');
    expect({ status: stale.response.status, body: stale.error }).toMatchObject({ status: 409, body: { code: 'RECORD.VERSION_CONFLICT' } });
    const corrected = await correct('"3"');
    expect({ status: corrected.response.status, body: corrected.data }).toMatchObject({ status: 200, body: { recordId: referralId, version: 4 } });
    expect(corrected.response.headers.get('etag')).toBe('"4"');
    expect((await read('hsi', 'not-an-id')).response.status).toBe(404);
  });

  it("shows the sender the shelter's steps while the victim's consent to status updates names it, and hides them again once she revokes it", async () => {
    const records = await walk(LIFECYCLES['a referral is acknowledged, questioned, answered and accepted'], overHttp);
    const referralId = records.get('referral')!;
    const asSender = async () => (await as('hsi').GET('/v1/referrals/{id}', { params: { path: { id: referralId } } })).data;
    const hsiId = AGENCIES.hsi.agency.id;
    const expiresAt = new Date(Date.now() + 180 * 24 * 3600 * 1000).toISOString();
    const consent = await as('shelter').POST('/v1/consents', {
      body: { referralId, victimIsMinor: false, recipientAgencyIds: [hsiId], purposes: ['investigation'], fields: ['status'], written: true, informed: true, expiresAt },
    });
    expect(consent.response.status).toBe(201);

    // Intake learns of the consent from the feed: all six events, and the shelter's acceptance, once it has.
    const released = await eventually('the sender seeing every version', async () => ((await asSender())?.version === 6 ? asSender() : undefined));
    expect(released).toMatchObject({ recordId: referralId, version: 6, status: 'accepted' });

    const revocation = await as('shelter').POST('/v1/consents/{id}/revocation', { params: { path: { id: consent.data!.recordId } }, body: { reason: 'The victim asked' } });
    expect(revocation.response.status).toBe(200);
    const withheld = await eventually('the sender seeing its own versions again', async () => ((await asSender())?.version === 3 ? asSender() : undefined));
    expect(withheld).toMatchObject({ recordId: referralId, version: 3, status: 'submitted' });
  });

  it('answers a repeated Idempotency-Key with the first result, and refuses the key for another body with 422', async () => {
    const send = async (body: typeof EXAMPLE_REFERRAL, key: string) => {
      const { data, error, response } = await as('hsi').POST('/v1/referrals', { params: { header: { 'Idempotency-Key': key } }, body });
      return { status: response.status, data, error };
    };
    const key = randomUUID();
    const reordered = Object.fromEntries(Object.entries(EXAMPLE_REFERRAL).reverse());

    const first = await send(EXAMPLE_REFERRAL, key);
    const again = await send(reordered, key);
    const other = await send({ ...EXAMPLE_REFERRAL, needs: ['medical'] }, key);

    expect(first.status).toBe(201);
    expect(again).toEqual(first);
    expect(other).toMatchObject({ status: 422, error: { code: 'IDEMPOTENCY.KEY_REUSED' } });
    const store = await SqlEventStore.create(await openSqlClient(TEST_DATABASE_URL, { schema }));
    expect(await store.readStream(`victim-referral-${first.data!.recordId}`)).toHaveLength(1);
    await store.close();
  });

  it('writes with If-Match only at the named version: a stale version is a 409 and changes nothing', async () => {
    const records = await walk(LIFECYCLES['a case is opened, linked and closed'].slice(1, 2), overHttp);
    const caseId = records.get('case')!;
    const link = async (ifMatch: string, recordId: string) => {
      const { data, error, response } = await as('hsi').POST('/v1/cases/{id}/links', {
        params: { path: { id: caseId }, header: { 'If-Match': ifMatch } },
        body: { recordType: 'victim-referral', recordId },
      });
      return { status: response.status, etag: response.headers.get('etag'), body: data ?? error };
    };
    // A case links its opener's own records.
    const referral = async () => (await as('hsi').POST('/v1/referrals', { body: EXAMPLE_REFERRAL })).data!.recordId;

    expect(await link('"1"', await referral())).toMatchObject({ status: 200, etag: '"2"' });
    expect(await link('"1"', await referral())).toMatchObject({ status: 409, body: { code: 'RECORD.VERSION_CONFLICT' } });
    expect(await link('one', await referral())).toMatchObject({ status: 400, body: { code: 'REQUEST.IF_MATCH' } });
    // To another agency, any version of the case, right or stale, finds the same nothing as a case that never was.
    for (const [id, ifMatch] of [[caseId, '"2"'], [caseId, '"1"'], [randomUUID(), '"1"']]) {
      const asSheriff = await as('sheriff').POST('/v1/cases/{id}/closure', { params: { path: { id }, header: { 'If-Match': ifMatch } }, body: { reason: 'Probing' } });
      expect({ status: asSheriff.response.status, body: asSheriff.error }).toMatchObject({ status: 404, body: { code: 'CASE.NOT_FOUND', detail: 'no such case' } });
    }
    const read = await as('hsi').GET('/v1/cases/{id}', { params: { path: { id: caseId } } });
    expect(read.data!.version).toBe(2);
  });

  it('answers a malformed inbound message on the rejection topic with its reasons, and appends nothing', async () => {
    const store = await SqlEventStore.create(await openSqlClient(TEST_DATABASE_URL, { schema }));
    const before = (await store.readAll(undefined, 10_000)).length;
    const cases: { headers: Record<string, string>; value: string; code: string }[] = [
      { headers: { ce_type: 'SubmitVictimReferral' }, value: JSON.stringify({ ...EXAMPLE_REFERRAL, needs: ['yacht'] }), code: 'REQUEST.INVALID' },
      { headers: { ce_type: 'SubmitVictimReferral' }, value: '{not json', code: 'REQUEST.MALFORMED' },
      { headers: { ce_type: 'LaunchRocket' }, value: '{}', code: 'COMMAND.UNKNOWN_TYPE' },
      { headers: { ce_type: 'AcceptVictimReferral' }, value: '{}', code: 'COMMAND.SUBJECT' },
    ];
    const commandIds = new Map<string, string>();
    for (const { headers, value, code } of cases) {
      const commandId = randomUUID();
      commandIds.set(code, commandId);
      await agencyBuses.get('hsi')!.publish([{ topic: inboundCommandTopic(namespace, AGENCIES.hsi.agency.id), key: commandId, value, headers: { ce_specversion: '1.0', ce_id: commandId, ...headers } }]);
      const reply = await eventually(`the rejection of ${code}`, async () => replies.get(commandId));
      expect(reply).toMatchObject({ kind: 'rejections', data: { commandId, code } });
    }
    // Its own reply: the lifecycle walks over the inbound topic have refused invalid bodies too.
    const invalid = replies.get(commandIds.get('REQUEST.INVALID')!);
    expect(invalid?.data.errors).toEqual([{ field: 'needs', problems: [expect.stringContaining('needs')] }]);
    expect(await store.readAll(undefined, 10_000)).toHaveLength(before);
    await store.close();
  });
});
