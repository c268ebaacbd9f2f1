import { AdminModule } from '../../apps/admin/src/admin.module';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { RelayModule } from '../../apps/relay/src/relay.module';
import { EXCHANGE_PRINCIPALS, kafkaClient, KafkaTokenSigner, outboundTopic } from '@crescent/messaging';
import { DEMO_ADMIN_TOKEN, DEMO_AGENCIES } from '@crescent/runtime';
import { eventually, exchangeKafka, kafkaBrokers, kafkaTokens, RunningApp, startApp, TEST_DATABASE_URL, TopicReader, uniqueName } from '@crescent/test-support';
import { createExchangeClient } from '../../contracts/client';
import { IntegrationLogLine, runAgencyIntegration } from '../../contracts/examples/agency-integration/agency-integration';
import { EXAMPLE_REFERRAL, WITHHELD_FROM_SHELTER } from './fixtures';

const [hsi, , shelter] = DEMO_AGENCIES;
const SHELTER_POLICY = 'shelter-referrals';

/**
 * The integration kit an agency copies, run against the running exchange: HSI submits the example
 * referral through it; run as the shelter, it reads the referral, acknowledges it on its inbound
 * topic and reads the receipt, drops a delivery read twice, and follows a narrower policy's
 * retraction and snapshot. What it reports is checked against what the test reads on its own.
 */
describe('the agency integration example against the running exchange', () => {
  const namespace = `${uniqueName('e2e')}.`;
  let exchange: RunningApp;
  let shelterTopic: TopicReader;
  /** Ends the example's run early when a step of the test fails, so nothing outlives the suite. */
  const stopExample = new AbortController();
  let running: Promise<unknown> | undefined;

  beforeAll(async () => {
    exchange = await startApp(
      { databaseUrl: TEST_DATABASE_URL, databaseSchema: uniqueName('e2e_kit'), topicNamespace: namespace, ...exchangeKafka(EXCHANGE_PRINCIPALS.admin) },
      [IntakeModule, RelayModule, AdminModule],
    );
    shelterTopic = await TopicReader.start([outboundTopic(namespace, shelter.agency.id, 'victim-referral', 2)!]);
  });

  afterAll(async () => {
    stopExample.abort();
    await running?.catch(() => undefined);
    await shelterTopic?.stop();
    await exchange?.app.close();
  });

  it('submits as HSI, then as the shelter acknowledges over Kafka, drops a duplicate and applies a retraction and a snapshot', async () => {
    const connection = { exchangeUrl: exchange.url, kafkaBrokers: kafkaBrokers(), topicNamespace: namespace };
    const asHsi = await runAgencyIntegration({ ...connection, credential: hsi.token, referral: EXAMPLE_REFERRAL, until: (report) => report.submitted !== undefined });
    const referralId = asHsi.submitted!.referralId;
    // The retry with the same idempotency key answered the same record and wrote nothing more.
    expect(asHsi).toMatchObject({ agencyId: hsi.agency.id, submitted: { retryReferralId: referralId, version: 1, etag: '"1"' } });

    const logged: IntegrationLogLine[] = [];
    const asShelter = runAgencyIntegration({
      ...connection,
      credential: shelter.token,
      recordTopics: ['victim-referrals.v2'],
      groupName: uniqueName('kit'),
      acknowledgeReferrals: true,
      log: (line) => logged.push(line),
      until: (report) => report.snapshots.includes(referralId),
      timeoutMs: 90_000,
      signal: stopExample.signal,
    });
    running = asShelter;
    const receipt = await eventually('the receipt of the acknowledgement', async () => logged.find((line) => line.step === 'receipt'), 60_000);

    // At-least-once delivery, played by the exchange's administration: the submission delivered again, same ce_id.
    const submission = await shelterTopic.waitFor('the submission on the shelter topic', (message) => message.key === referralId);
    const signer = new KafkaTokenSigner(kafkaTokens());
    const producer = kafkaClient({ brokers: kafkaBrokers(), clientId: uniqueName('redeliver'), token: async () => signer.sign(EXCHANGE_PRINCIPALS.admin) }).producer();
    await producer.connect();
    await producer.send({ topic: submission.topic, messages: [{ key: submission.key, value: submission.value, headers: submission.headers }] });
    await producer.disconnect();
    await eventually('the duplicate dropped', async () => logged.find((line) => line.step === 'duplicate'));

    // A policy that may narrow (the phone number no longer granted): a retraction, then a snapshot of the referral as it stands.
    const admin = createExchangeClient(exchange.url, DEMO_ADMIN_TOKEN);
    const versions = await admin.GET('/v1/admin/policies/{policyId}/versions', { params: { path: { policyId: SHELTER_POLICY } } });
    const current = versions.data!.versions.at(-1)!;
    const { appliesTo, recordType, purpose, addresseeOnly, rules } = current;
    const narrower = { appliesTo, recordType, purpose, addresseeOnly, rules: rules.filter((rule) => rule.path !== 'victim.phone') };
    expect((await admin.POST('/v1/admin/policies/{policyId}/versions', { params: { path: { policyId: SHELTER_POLICY } }, body: narrower })).response.status).toBe(201);

    const report = await asShelter;
    expect(report.invalid).toEqual([]);
    expect(report.commands).toEqual([
      {
        commandId: receipt.commandId,
        commandType: 'AcknowledgeVictimReferral',
        recordId: referralId,
        receipt: { commandId: receipt.commandId, commandType: 'AcknowledgeVictimReferral', recordId: referralId, version: 2 },
      },
    ]);
    // The sender reads its referral back as it left it: without the victim's consent to status updates the shelter's
    // acknowledgement (version 2 to the shelter) counts for nothing in the version it sees (VAWA).
    const readBack = await createExchangeClient(exchange.url, hsi.token).GET('/v1/referrals/{id}', { params: { path: { id: referralId } } });
    expect(readBack.data).toMatchObject({ recordId: referralId, version: 1, status: 'submitted' });

    // Every message the example took is one the shelter's topic holds, once each, in order; the copy was dropped.
    const snapshot = await shelterTopic.waitFor('the snapshot', (message) => message.key === referralId && message.headers.ce_type === 'crescent.RecordSnapshot.v1');
    const onTopic = shelterTopic.messages.filter((message) => message.key === referralId);
    const firstOfEach = onTopic.filter((message, index) => onTopic.findIndex((other) => other.headers.ce_id === message.headers.ce_id) === index);
    expect(report.received.filter((taken) => taken.recordId === referralId)).toEqual(
      firstOfEach.slice(0, firstOfEach.indexOf(snapshot) + 1).map((message) => ({ messageId: message.headers.ce_id, type: message.headers.ce_type, recordId: referralId })),
    );
    expect(report.duplicates).toEqual([submission.headers.ce_id]);
    expect(report.retracted).toEqual([referralId]);
    expect(report.received.map((taken) => taken.type)).toEqual(expect.arrayContaining(['crescent.RecordRetracted.v1', 'crescent.RecordSnapshot.v1']));

    // It holds exactly what the snapshot gave: the referral as it stands, without the phone number any more.
    const held = report.records.get(referralId)!;
    expect(held).toEqual(JSON.parse(snapshot.value).events);
    expect(held[0]).toMatchObject({ type: 'crescent.VictimReferralSubmitted.v2', id: submission.headers.ce_id, data: { referralId } });
    expect(JSON.stringify(held)).not.toContain('555 0142');
    expect(JSON.stringify(held)).toContain('Maria');
    for (const withheld of WITHHELD_FROM_SHELTER) expect(JSON.stringify(held)).not.toContain(withheld);

    // Its log says what it did with ids and types, and nothing of the victim.
    expect(logged.map((line) => line.step)).toEqual(expect.arrayContaining(['authenticated', 'consuming', 'received', 'command-sent', 'receipt', 'duplicate', 'retracted', 'snapshot']));
    // The victim's values as the fixture has them: ids (random hex) may hold any digits, so no bare "555" or "1994".
    for (const value of ['Maria', 'Example', '504 555', '1994-03-17']) expect(JSON.stringify(logged)).not.toContain(value);
  });
});
