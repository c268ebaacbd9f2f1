import { randomUUID } from 'node:crypto';
import { AdminModule } from '../../apps/admin/src/admin.module';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { SqlEventStore } from '@crescent/event-store';
import { BusMessage, commandReplyTopic, EXCHANGE_PRINCIPALS, fromCloudEventMessage, inboundCommandTopic, KafkaBus } from '@crescent/messaging';
import { DEMO_AGENCIES } from '@crescent/runtime';
import { openSqlClient } from '@crescent/sql';
import { agencyKafkaToken, checkMessageContract, eventually, exchangeKafka, kafkaBrokers, request, RunningApp, startApp, TEST_DATABASE_URL, uniqueName } from '@crescent/test-support';
import { EXAMPLE_REFERRAL } from './fixtures';
import { LIFECYCLES, LifecycleStep } from './record-lifecycles';

const AGENCIES = { hsi: DEMO_AGENCIES[0], sheriff: DEMO_AGENCIES[1], shelter: DEMO_AGENCIES[2] } as const;

/** Where each command lives over HTTP: a collection to create in, or an action on a record. */
const HTTP_ROUTES: Record<string, { collection: string; action?: string }> = {
  OpenCase: { collection: 'cases' },
  LinkRecordToCase: { collection: 'cases', action: 'links' },
  AddCaseTeamMember: { collection: 'cases', action: 'team' },
  CloseCase: { collection: 'cases', action: 'closure' },
  SubmitVictimReferral: { collection: 'referrals' },
  AcknowledgeVictimReferral: { collection: 'referrals', action: 'acknowledgement' },
  AcceptVictimReferral: { collection: 'referrals', action: 'acceptance' },
  DeclineVictimReferral: { collection: 'referrals', action: 'decline' },
  RequestVictimReferralInformation: { collection: 'referrals', action: 'information-requests' },
  WithdrawVictimReferral: { collection: 'referrals', action: 'withdrawal' },
  UpdateVictimContact: { collection: 'referrals', action: 'contact' },
  CorrectVictimReferral: { collection: 'referrals', action: 'corrections' },
  RecordArrest: { collection: 'arrests' },
  AmendCharges: { collection: 'arrests', action: 'charges' },
  SealArrestRecord: { collection: 'arrests', action: 'seal' },
  ExpungeArrestRecord: { collection: 'arrests', action: 'expungement' },
  RecordArresteeRelationship: { collection: 'arrests', action: 'arrestee-relationship' },
  RecordConsent: { collection: 'consents' },
  RevokeConsent: { collection: 'consents', action: 'revocation' },
};

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

  const overHttp: Driver = async (step, recordId, body) => {
    const { collection, action } = HTTP_ROUTES[step.command];
    const path = action ? `/v1/${collection}/${recordId}/${action}` : `/v1/${collection}`;
    const response = await request(`${intake.url}${path}`, { method: 'POST', token: AGENCIES[step.as].token, body });
    if (response.status >= 400) return { code: response.body.code };
    expect(response.status).toBe(action ? 200 : 201);
    return { code: 'ok', recordId: response.body.recordId };
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
          ...(recordId && HTTP_ROUTES[step.command].action ? { ce_subject: recordId } : {}),
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
    const referralId = records.get('referral');

    const asSender = await request(`${intake.url}/v1/referrals/${referralId}`, { token: AGENCIES.hsi.token });
    expect(asSender.status).toBe(200);
    // VAWA: without the victim's consent to status updates the sender does not learn that the shelter accepted her,
    // not even from the version: of the six events (submitted, acknowledged, questioned, contact updated, accepted,
    // corrected) it counts its own three.
    expect(asSender.body).toMatchObject({ recordId: referralId, version: 3, status: 'submitted' });
    expect(asSender.headers.get('etag')).toBe('"3"');
    expect(asSender.body.record).not.toHaveProperty('acceptedAt');
    expect(asSender.body.record).not.toHaveProperty('acknowledgedAt');
    expect(asSender.body.record.victim).toMatchObject({ givenName: 'Maria', familyName: 'Example', dateOfBirth: '1994-03-17' });
    expect(asSender.body.record.immigrationReliefStatus).toBe('t-visa-applicant');
    for (const other of [AGENCIES.shelter, AGENCIES.sheriff]) {
      expect(await request(`${intake.url}/v1/referrals/${referralId}`, { token: other.token })).toMatchObject({ status: 404, body: { code: 'RECORD.NOT_FOUND' } });
    }
    // It names back the version it saw, and is answered with the version it sees; the store's own version is a conflict to it, like any other.
    const { referredToAgencyId: _addressee, ...content } = EXAMPLE_REFERRAL;
    const correct = (ifMatch: string) =>
      request(`${intake.url}/v1/referrals/${referralId}/corrections`, { method: 'POST', token: AGENCIES.hsi.token, body: content, headers: { 'if-match': ifMatch } });
    expect(await correct('"6"')).toMatchObject({ status: 409, body: { code: 'RECORD.VERSION_CONFLICT' } });
    const corrected = await correct('"3"');
    expect(corrected).toMatchObject({ status: 200, body: { recordId: referralId, version: 4 } });
    expect(corrected.headers.get('etag')).toBe('"4"');
    expect((await request(`${intake.url}/v1/referrals/not-an-id`, { token: AGENCIES.hsi.token })).status).toBe(404);
  });

  it('answers a repeated Idempotency-Key with the first result, and refuses the key for another body with 422', async () => {
    const send = (body: object, key: string) =>
      fetch(`${intake.url}/v1/referrals`, {
        method: 'POST',
        headers: { authorization: `Bearer ${AGENCIES.hsi.token}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as any }));
    const key = randomUUID();
    const reordered = Object.fromEntries(Object.entries(EXAMPLE_REFERRAL).reverse());

    const first = await send(EXAMPLE_REFERRAL, key);
    const again = await send(reordered, key);
    const other = await send({ ...EXAMPLE_REFERRAL, needs: ['medical'] }, key);

    expect(first.status).toBe(201);
    expect(again).toEqual(first);
    expect(other).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY.KEY_REUSED' } });
    const store = await SqlEventStore.create(await openSqlClient(TEST_DATABASE_URL, schema));
    expect(await store.readStream(`victim-referral-${first.body.recordId}`)).toHaveLength(1);
    await store.close();
  });

  it('writes with If-Match only at the named version: a stale version is a 409 and changes nothing', async () => {
    const records = await walk(LIFECYCLES['a case is opened, linked and closed'].slice(1, 2), overHttp);
    const url = `${intake.url}/v1/cases/${records.get('case')}/links`;
    const link = (ifMatch: string, recordId: string) =>
      fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${AGENCIES.hsi.token}`, 'content-type': 'application/json', 'if-match': ifMatch },
        body: JSON.stringify({ recordType: 'victim-referral', recordId }),
      }).then(async (response) => ({ status: response.status, etag: response.headers.get('etag'), body: await response.json() }));
    // A case links its opener's own records.
    const referral = async () => (await request(`${intake.url}/v1/referrals`, { method: 'POST', token: AGENCIES.hsi.token, body: EXAMPLE_REFERRAL })).body.recordId as string;

    expect(await link('"1"', await referral())).toMatchObject({ status: 200, etag: '"2"' });
    expect(await link('"1"', await referral())).toMatchObject({ status: 409, body: { code: 'RECORD.VERSION_CONFLICT' } });
    expect(await link('one', await referral())).toMatchObject({ status: 400, body: { code: 'REQUEST.IF_MATCH' } });
    // To another agency, any version of the case, right or stale, finds the same nothing as a case that never was.
    for (const [caseId, ifMatch] of [[records.get('case'), '"2"'], [records.get('case'), '"1"'], [randomUUID(), '"1"']]) {
      const asSheriff = await request(`${intake.url}/v1/cases/${caseId}/closure`, { method: 'POST', token: AGENCIES.sheriff.token, body: { reason: 'Probing' }, headers: { 'if-match': ifMatch! } });
      expect(asSheriff).toMatchObject({ status: 404, body: { code: 'CASE.NOT_FOUND', detail: 'no such case' } });
    }
    const read = await request(`${intake.url}/v1/cases/${records.get('case')}`, { token: AGENCIES.hsi.token });
    expect(read.body.version).toBe(2);
  });

  it('answers a malformed inbound message on the rejection topic with its reasons, and appends nothing', async () => {
    const store = await SqlEventStore.create(await openSqlClient(TEST_DATABASE_URL, schema));
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
