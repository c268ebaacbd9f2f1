import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { AdminModule } from '../../apps/admin/src/admin.module';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { RelayModule } from '../../apps/relay/src/relay.module';
import { SqlEventStore } from '@crescent/event-store';
import { commandReplyTopic, EXCHANGE_PRINCIPALS, inboundCommandTopic, kafkaClient, KafkaTokenSigner, outboundTopic } from '@crescent/messaging';
import { DEMO_ADMIN_TOKEN, DEMO_AGENCIES } from '@crescent/runtime';
import { openSqlClient } from '@crescent/sql';
import {
  agencyKafka,
  answered,
  eventually,
  exchangeKafka,
  kafkaBrokers,
  kafkaTokens,
  readMessage,
  readTopics,
  RunningApp,
  startApp,
  TEST_DATABASE_URL,
  uniqueName,
} from '@crescent/test-support';
import { createExchangeClient } from '../../contracts/client';
import { EXAMPLE_REFERRAL } from './fixtures';

const [hsi, sheriff, shelter] = DEMO_AGENCIES;
const OPEN_CASE = { title: 'Operation Isolation', parish: 'Orleans', leadInvestigator: { name: 'SA Dana Example', badgeNumber: 'HSI-4471', phone: '+1 504 555 0199' } };

/** Every message and Kafka error type along an error's causes, so a test can name the broker's refusal. */
async function refusal(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
  } catch (error) {
    const parts: string[] = [];
    for (let cause = error as { message?: string; type?: string; errors?: { type?: string }[]; cause?: unknown } | undefined; cause; cause = cause.cause as typeof cause) {
      parts.push(`${cause.type ?? ''} ${cause.message ?? ''} ${(cause.errors ?? []).map((inner) => inner.type).join(' ')}`);
    }
    return parts.join(' / ');
  }
  throw new Error('the broker let it through');
}

/**
 * The broker itself keeps agencies apart: each test is one thing an agency (or an outsider) must
 * not be able to do, tried with a plain kafkajs client and real credentials, and fails if the
 * broker lets it through.
 */
describe('agencies isolated by the broker', () => {
  const namespace = `${uniqueName('iso')}.`;
  const schema = uniqueName('iso');
  const shelterTopic = outboundTopic(namespace, shelter.agency.id, 'victim-referral', 2)!;
  const sheriffTopic = outboundTopic(namespace, sheriff.agency.id, 'victim-referral', 2)!;
  let admin: RunningApp;
  let intake: RunningApp;
  let relay: RunningApp;
  let referralId: string;
  const clients: { disconnect(): Promise<void> }[] = [];

  /** A connected client; every one is disconnected after the suite. */
  async function connected<T extends { connect(): Promise<void>; disconnect(): Promise<void> }>(client: T): Promise<T> {
    clients.push(client);
    await client.connect();
    return client;
  }
  const asAgency = (agency: { token: string }) => agencyKafka(intake.url, agency.token);
  const asExchangeApp = (principal: string) => {
    const signer = new KafkaTokenSigner(kafkaTokens());
    return kafkaClient({ brokers: kafkaBrokers(), clientId: uniqueName('app'), token: async () => signer.sign(principal) });
  };
  /** Reads `topic` from its start as `kafka` with `groupId`; resolves with what arrived, or rejects with the broker's refusal. */
  async function readAs(kafka: Kafka, groupId: string, topic: string): Promise<string[]> {
    const consumer = await connected(kafka.consumer({ groupId }));
    const values: string[] = [];
    const crashed = new Promise<never>((_, reject) => consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error)));
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void values.push(readMessage(topic, message).value) });
    await Promise.race([crashed, eventually(`a message on ${topic}`, async () => (values.length > 0 ? true : undefined), 15_000)]);
    return values;
  }
  /** One OpenCase on the agency's inbound topic with a fresh client; true when the broker took it. */
  async function trySend(token: string, agencyId: string, commandId: string = randomUUID()): Promise<boolean> {
    const producer = asAgency({ token }).producer();
    try {
      await producer.connect();
      await producer.send({
        topic: inboundCommandTopic(namespace, agencyId),
        messages: [{ key: commandId, value: JSON.stringify(OPEN_CASE), headers: { ce_specversion: '1.0', ce_id: commandId, ce_type: 'OpenCase' } }],
      });
      return true;
    } catch {
      return false;
    } finally {
      await producer.disconnect();
    }
  }
  const storedEvents = async () => {
    const store = await SqlEventStore.create(await openSqlClient(TEST_DATABASE_URL, { schema }));
    try {
      return await store.readAll(undefined, 10_000);
    } finally {
      await store.close();
    }
  };

  beforeAll(async () => {
    const shared = { databaseUrl: TEST_DATABASE_URL, databaseSchema: schema, topicNamespace: namespace };
    admin = await startApp({ ...shared, ...exchangeKafka(EXCHANGE_PRINCIPALS.admin) }, [AdminModule]);
    intake = await startApp({ ...shared, ...exchangeKafka(EXCHANGE_PRINCIPALS.intake) }, [IntakeModule]);
    relay = await startApp({ ...shared, ...exchangeKafka(EXCHANGE_PRINCIPALS.relay) }, [RelayModule]);
    const submitted = await createExchangeClient(intake.url, hsi.token).POST('/v1/referrals', { body: EXAMPLE_REFERRAL });
    expect(submitted.response.status).toBe(201);
    referralId = submitted.data!.recordId;
    // The shelter's topic now holds the victim's name and phone: what an intruder would be after.
    await readTopics([shelterTopic], (messages) => messages.some((message) => message.key === referralId));
  });

  afterAll(async () => {
    for (const client of clients) await client.disconnect().catch(() => undefined);
    for (const running of [relay, intake, admin]) await running?.app.close();
  });

  describe('what an agency may do', () => {
    it("reads its own outbound topic with a group named after it, and gets the relay's referral", async () => {
      const values = await readAs(asAgency(shelter), `${namespace}${shelter.agency.id}.own-system`, shelterTopic);
      expect(values.map((value) => JSON.parse(value).referralId)).toContain(referralId);
    });

    it('sends a command on its own inbound topic and gets its receipt', async () => {
      const commandId = randomUUID();
      const producer = await connected(asAgency(hsi).producer());
      await producer.send({
        topic: inboundCommandTopic(namespace, hsi.agency.id),
        messages: [{ key: commandId, value: JSON.stringify(OPEN_CASE), headers: { ce_specversion: '1.0', ce_id: commandId, ce_type: 'OpenCase' } }],
      });
      const receipts = await readTopics([commandReplyTopic(namespace, hsi.agency.id, 'receipts')], (messages) => messages.some((message) => message.headers.ce_subject === commandId));
      expect(receipts.find((message) => message.headers.ce_subject === commandId)?.headers.ce_type).toBe('crescent.CommandAccepted.v1');
    });
  });

  describe('what an agency may not do', () => {
    it("cannot read another agency's outbound topic", async () => {
      await expect(readAs(asAgency(sheriff), `${namespace}${sheriff.agency.id}.snoop`, shelterTopic)).rejects.toThrow(/authoriz/i);
    });

    it("cannot join another agency's consumer group, even on its own topic", async () => {
      // kafkajs reports the broker's GROUP_AUTHORIZATION_FAILED as a coordinator it cannot find; with its own group the same read works (above).
      expect(await refusal(readAs(asAgency(sheriff), `${namespace}${shelter.agency.id}.inbox`, sheriffTopic))).toMatch(/authoriz|group coordinator/i);
    });

    it("cannot write another agency's inbound topic, so nothing is executed in that agency's name", async () => {
      const before = (await storedEvents()).length;
      const producer = await connected(asAgency(sheriff).producer());
      const commandId = randomUUID();
      const contactUpdate = { key: referralId, value: JSON.stringify({ phone: '+1 504 555 0000' }), headers: { ce_specversion: '1.0', ce_id: commandId, ce_type: 'UpdateVictimContact', ce_subject: referralId } };
      await expect(producer.send({ topic: inboundCommandTopic(namespace, hsi.agency.id), messages: [contactUpdate] })).rejects.toThrow(/authoriz/i);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await storedEvents()).length).toBe(before);
    });

    it("cannot write an outbound topic, its own included: only the relay delivers", async () => {
      const producer = await connected(asAgency(shelter).producer());
      const forged = { key: randomUUID(), value: JSON.stringify({ victim: { name: 'Forged' } }), headers: { ce_type: 'crescent.VictimReferralSubmitted.v2' } };
      await expect(producer.send({ topic: shelterTopic, messages: [forged] })).rejects.toThrow(/authoriz/i);
    });

    it('cannot create a topic', async () => {
      const kafkaAdmin = await connected(asAgency(sheriff).admin());
      expect(await refusal(kafkaAdmin.createTopics({ topics: [{ topic: `${namespace}crescent.out.${sheriff.agency.id}.mine` }] }))).toContain('TOPIC_AUTHORIZATION_FAILED');
      expect(await refusal(kafkaAdmin.createTopics({ topics: [{ topic: uniqueName('anywhere') }] }))).toContain('TOPIC_AUTHORIZATION_FAILED');
    });

    it("sees only its own topics when it lists them, and cannot read another agency's offsets", async () => {
      const kafkaAdmin = await connected(asAgency(sheriff).admin());
      const visible = (await kafkaAdmin.listTopics()).filter((topic) => topic.startsWith(namespace));
      expect(visible.length).toBeGreaterThan(0);
      for (const topic of visible) {
        expect([`${namespace}crescent.out.${sheriff.agency.id}.`, inboundCommandTopic(namespace, sheriff.agency.id)].some((own) => topic.startsWith(own))).toBe(true);
      }
      await expect(kafkaAdmin.fetchTopicOffsets(shelterTopic)).rejects.toThrow();
    });
  });

  describe("the exchange's own apps have only what each needs", () => {
    it('the relay reads nothing an agency sends', async () => {
      await expect(readAs(asExchangeApp(EXCHANGE_PRINCIPALS.relay), `${namespace}crescent.intake.inbound`, inboundCommandTopic(namespace, hsi.agency.id))).rejects.toThrow(/authoriz/i);
    });

    it("intake writes the reply topics but no agency's record topics", async () => {
      const producer = await connected(asExchangeApp(EXCHANGE_PRINCIPALS.intake).producer());
      await expect(producer.send({ topic: shelterTopic, messages: [{ key: 'k', value: '{}' }] })).rejects.toThrow(/authoriz/i);
    });
  });

  describe('who cannot connect at all', () => {
    it('an outsider without credentials', async () => {
      const outsider = new Kafka({ brokers: kafkaBrokers(), clientId: 'outsider', logLevel: logLevel.NOTHING, retry: { retries: 1 }, connectionTimeout: 2000 });
      const consumer = outsider.consumer({ groupId: uniqueName('outsider') });
      clients.push(consumer);
      await expect(consumer.connect().then(() => consumer.subscribe({ topics: [shelterTopic], fromBeginning: true }))).rejects.toThrow();
    });

    it('an agency with a wrong secret gets no Kafka token', async () => {
      expect(await answered(createExchangeClient(intake.url, 'not-the-shelter-token').POST('/v1/auth/kafka-token'))).toMatchObject({ status: 401, body: { code: 'AUTH.UNKNOWN_CREDENTIAL' } });
    });

    /** A client presenting `token` as the administration's own principal; the broker fails its authentication. */
    const withToken = (token: string) =>
      new Kafka({ brokers: kafkaBrokers(), clientId: uniqueName('presenter'), logLevel: logLevel.NOTHING, retry: { retries: 1 }, sasl: { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: token }) } }).admin();

    it('the same request with a token the exchange signed goes through (the control for the two below)', async () => {
      const signer = new KafkaTokenSigner(kafkaTokens());
      const admin = await connected(withToken(signer.sign(EXCHANGE_PRINCIPALS.admin)));
      expect(await admin.listTopics()).toContain(shelterTopic);
    });

    it('a token the exchange did not sign is refused by the broker', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const forger = new KafkaTokenSigner({ ...kafkaTokens(), signingKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
      const admin = await connected(withToken(forger.sign(EXCHANGE_PRINCIPALS.admin)));
      await expect(admin.listTopics()).rejects.toThrow();
    });

    it('an expired token is refused by the broker', async () => {
      const signer = new KafkaTokenSigner(kafkaTokens());
      const admin = await connected(withToken(signer.sign(EXCHANGE_PRINCIPALS.admin, new Date(Date.now() - 3_600_000))));
      await expect(admin.listTopics()).rejects.toThrow();
    });
  });

  it('lets an agency registered while intake runs send inbound commands, without a restart', async () => {
    const agencyId = uniqueName('late').replace(/_/g, '-');
    const registered = await createExchangeClient(admin.url, DEMO_ADMIN_TOKEN).POST('/v1/admin/agencies', {
      body: { agencyId, name: 'Late Parish Sheriff', kind: 'local-law-enforcement', jurisdiction: [] },
    });
    expect(registered.response.status).toBe(201);
    const late = { token: registered.data!.token };
    const commandId = randomUUID();
    // The agency's topics and ACLs follow its registration; its first sends may come before them.
    await eventually('the new agency may write its inbound topic', async () => ((await trySend(late.token, agencyId, commandId)) ? true : undefined));
    const receipts = await readTopics([commandReplyTopic(namespace, agencyId, 'receipts')], (messages) => messages.some((message) => message.headers.ce_subject === commandId));
    expect(receipts.find((message) => message.headers.ce_subject === commandId)?.headers.ce_type).toBe('crescent.CommandAccepted.v1');
  });

  describe("one credential lifecycle, over HTTP and Kafka", () => {
    const administration = () => createExchangeClient(admin.url, DEMO_ADMIN_TOKEN);
    const onAgency = (agencyId: string) => ({ params: { path: { agencyId } } });
    const kafkaToken = (token: string) => answered(createExchangeClient(intake.url, token).POST('/v1/auth/kafka-token'));
    const httpStatus = async (token: string) => (await createExchangeClient(intake.url, token).GET('/v1/auth/agency')).response.status;
    const auditRows = async (query: { principal?: string; recordId?: string; category?: 'admin-change'; limit?: number }) =>
      (await administration().GET('/v1/admin/audit', { params: { query } })).data!.rows;

    /** Registers a fresh parish sheriff and waits until its broker access works; answers its id and token. */
    async function registeredSheriff(): Promise<{ agencyId: string; token: string }> {
      const agencyId = uniqueName('parish').replace(/_/g, '-');
      const registered = await administration().POST('/v1/admin/agencies', { body: { agencyId, name: 'Parish Sheriff', kind: 'local-law-enforcement', jurisdiction: [] } });
      expect(registered.response.status).toBe(201);
      const agency = { agencyId, token: registered.data!.token };
      await eventually('the new agency can write its inbound topic', async () => ((await trySend(agency.token, agencyId)) ? true : undefined));
      return agency;
    }

    const auditOf = async (agencyId: string): Promise<Record<string, unknown>[]> =>
      (await auditRows({ principal: `agency:${agencyId}`, limit: 1000 })).map((row) => row.entry as Record<string, unknown>);
    /** An entry is written once its request is answered: wait for the one expected. */
    const auditedFor = (agencyId: string, expected: Record<string, unknown>) =>
      eventually(`an audit entry ${JSON.stringify(expected)}`, async () => {
        const entries = await auditOf(agencyId);
        return entries.some((entry) => Object.entries(expected).every(([key, value]) => entry[key] === value)) ? entries : undefined;
      }, 5000);

    it('suspension refuses the agency over HTTP, takes its broker access from its open sessions, appends nothing it sends; reinstatement gives it back', async () => {
      const { agencyId, token } = await registeredSheriff();
      // A session opened before the suspension, with a token that stays valid for minutes.
      const producer = await connected(asAgency({ token }).producer());
      const send = () =>
        producer.send({ topic: inboundCommandTopic(namespace, agencyId), messages: [{ key: randomUUID(), value: JSON.stringify(OPEN_CASE), headers: { ce_specversion: '1.0', ce_id: randomUUID(), ce_type: 'OpenCase' } }] });
      await send();

      const suspendedAt = Date.now();
      expect((await administration().POST('/v1/admin/agencies/{agencyId}/suspension', { ...onAgency(agencyId), body: { reason: 'credential leaked' } })).response.status).toBe(201);
      await eventually('HTTP refuses the suspended agency', async () => ((await httpStatus(token)) === 403 ? true : undefined), 5000);
      const httpRefusedAfter = Date.now() - suspendedAt;
      expect(await kafkaToken(token)).toMatchObject({ status: 403, body: { code: 'AUTH.AGENCY_SUSPENDED' } });
      // Another agency's connector asking about the suspended agency's token learns only that it is not one of its own.
      expect(await answered(createExchangeClient(intake.url, shelter.token).POST('/v1/auth/introspection', { body: { token } }))).toMatchObject({ status: 200, body: { active: false } });
      // Documented bound: the exchange withdraws its ACLs as soon as its administration reads the suspension.
      await eventually('the open session is refused by the broker', async () => ((await send().then(() => false, () => true)) ? true : undefined), 10_000);
      process.stdout.write(`suspension: intake refused the agency over HTTP after ${httpRefusedAfter} ms; the broker refused its open session after ${Date.now() - suspendedAt} ms\n`);
      const before = (await storedEvents()).length;
      expect((await createExchangeClient(intake.url, token).POST('/v1/cases', { body: OPEN_CASE })).response.status).toBe(403);
      await send().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await storedEvents()).length).toBe(before);

      expect((await administration().DELETE('/v1/admin/agencies/{agencyId}/suspension', onAgency(agencyId))).response.status).toBe(200);
      await eventually('the reinstated agency can send again', async () => ((await trySend(token, agencyId)) ? true : undefined));

      const audit = await auditedFor(agencyId, { action: 'POST /v1/auth/kafka-token', outcome: 'denied', status: 403, code: 'AUTH.AGENCY_SUSPENDED' });
      expect(JSON.stringify(audit)).not.toContain(token);
      // The administrators' changes are audited against the agency's record.
      const changes = (await auditRows({ recordId: agencyId, category: 'admin-change' })).map(
        (row) => `${row.entry.principal} ${row.entry.action} ${row.entry.outcome}`,
      );
      expect(changes).toEqual(
        expect.arrayContaining([
          'admin POST /v1/admin/agencies success',
          'admin POST /v1/admin/agencies/:agencyId/suspension success',
          'admin DELETE /v1/admin/agencies/:agencyId/suspension success',
        ]),
      );
    });

    it('a rotated-out credential gets Kafka tokens during its grace period and none after it', async () => {
      const { agencyId, token: old } = await registeredSheriff();
      const rotated = await administration().POST('/v1/admin/agencies/{agencyId}/credentials', { ...onAgency(agencyId), body: { graceSeconds: 3 } });
      expect(rotated.response.status).toBe(201);
      const fresh = rotated.data!.token;
      await eventually('the new credential works', async () => ((await kafkaToken(fresh)).status === 201 ? true : undefined), 5000);
      expect((await kafkaToken(old)).status).toBe(201);
      await eventually('the old credential is refused after its grace', async () => ((await kafkaToken(old)).status === 401 ? true : undefined), 10_000);
      expect(await trySend(old, agencyId)).toBe(false);
      expect(await trySend(fresh, agencyId)).toBe(true);
    });

    it('revocation refuses the agency for good, over HTTP and on the broker', async () => {
      const { agencyId, token } = await registeredSheriff();
      const producer = await connected(asAgency({ token }).producer());
      expect((await administration().POST('/v1/admin/agencies/{agencyId}/revocation', { ...onAgency(agencyId), body: { reason: 'agreement ended' } })).response.status).toBe(201);
      await eventually('HTTP refuses the revoked agency', async () => ((await httpStatus(token)) === 403 ? true : undefined), 5000);
      await eventually('the open session is refused by the broker', async () =>
        (await producer.send({ topic: inboundCommandTopic(namespace, agencyId), messages: [{ key: 'k', value: '{}' }] }).then(() => false, () => true)) ? true : undefined,
      10_000);
      expect(await kafkaToken(token)).toMatchObject({ status: 403, body: { code: 'AUTH.AGENCY_REVOKED' } });
      await auditedFor(agencyId, { action: 'POST /v1/auth/kafka-token', outcome: 'denied', status: 403, code: 'AUTH.AGENCY_REVOKED' });
    });
  });

  it("the broker's own audit log names each refused principal and resource, and no record data", async () => {
    const log = readFileSync(process.env.KAFKA_AUTHORIZER_LOG!, 'utf8');
    const refusals = log.split('\n').filter((line) => line.includes(`User:${namespace}${sheriff.agency.id}`) && line.includes('Denied'));
    expect(refusals.some((line) => line.includes(`Topic:LITERAL:${shelterTopic}`))).toBe(true);
    expect(refusals.some((line) => line.includes(`Topic:LITERAL:${inboundCommandTopic(namespace, hsi.agency.id)}`))).toBe(true);
    for (const value of ['Maria', '555 0142', '1994-03-17']) expect(log).not.toContain(value);
  });
});
