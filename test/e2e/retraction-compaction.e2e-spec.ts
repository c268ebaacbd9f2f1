import { setTimeout as sleep } from 'node:timers/promises';
import { AdminModule } from '../../apps/admin/src/admin.module';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { RelayModule } from '../../apps/relay/src/relay.module';
import { DEFAULT_TOPIC_SETTINGS, EXCHANGE_PRINCIPALS, outboundTopic } from '@crescent/messaging';
import { DEMO_AGENCIES } from '@crescent/runtime';
import { eventually, exchangeKafka, listTopics, RunningApp, startApp, TEST_DATABASE_URL, TopicMessage, TopicReader, uniqueName } from '@crescent/test-support';
import { createExchangeClient } from '../../contracts/client';
import { ARREST_IN_ORLEANS } from './fixtures';

const [hsi, sheriff] = DEMO_AGENCIES;
const RETRACTED = 'crescent.RecordRetracted.v1';
const RETRACTION_LAG_MS = 1000;
const typeOf = (message: TopicMessage) => message.headers.ce_type;

const CASE = { title: 'Operation Bayou', parish: 'St. Bernard', leadInvestigator: { name: 'SA Dana Example', badgeNumber: 'HSI-4471', phone: '+1 504 555 0199' } };

/**
 * After a seal, an agency's system that reads its topics from the start (a new consumer group, a
 * reinstalled connector) finds nothing of the sealed record: outbound record topics are compacted,
 * and the retraction is the last message of the record's key.
 */
describe('a retracted record on the broker', () => {
  const namespace = `${uniqueName('e2e')}.`;
  const hsiArrests = outboundTopic(namespace, hsi.agency.id, 'arrest-record', 1)!;
  const sheriffCases = outboundTopic(namespace, sheriff.agency.id, 'case', 1)!;
  let exchange: RunningApp;
  let live: TopicReader;

  const as = (token: string) => createExchangeClient(exchange.url, token);
  const onRecord = (id: string, ifMatch?: string) => ({ params: { path: { id }, header: ifMatch === undefined ? {} : { 'If-Match': ifMatch } } });

  beforeAll(async () => {
    exchange = await startApp(
      {
        databaseUrl: TEST_DATABASE_URL,
        databaseSchema: uniqueName('e2e_compaction'),
        topicNamespace: namespace,
        // One partition, so any later message on the topic rolls the segment that holds the retraction.
        topicSettings: { ...DEFAULT_TOPIC_SETTINGS, partitions: 1, retractionLagMs: RETRACTION_LAG_MS },
        ...exchangeKafka(EXCHANGE_PRINCIPALS.admin),
      },
      [IntakeModule, RelayModule, AdminModule],
    );
    // The exchange creates the topics (compacted); a reader that came first would create them plain.
    await eventually('the exchange to create the outbound topics', async () => {
      const topics = await listTopics(namespace);
      return topics.includes(hsiArrests) && topics.includes(sheriffCases) ? true : undefined;
    });
    live = await TopicReader.start([hsiArrests, sheriffCases]);
  });

  afterAll(async () => {
    await live?.stop();
    await exchange?.app.close();
  });

  /** Reads the topics from the start with a fresh consumer group, up to the messages of the records named. */
  async function readFromTheStart(upTo: readonly string[]): Promise<TopicMessage[]> {
    const reader = await TopicReader.start([hsiArrests, sheriffCases]);
    try {
      await eventually('the latest messages', async () => (upTo.every((key) => reader.messages.some((message) => message.key === key)) ? true : undefined));
      return [...reader.messages];
    } finally {
      await reader.stop();
    }
  }

  it('serves no message of a sealed arrest record, nor the case link naming it, to a reader that starts after the seal', async () => {
    const arrestId = (await as(sheriff.token).POST('/v1/arrests', { body: ARREST_IN_ORLEANS })).data!.recordId;
    const caseId = (await as(hsi.token).POST('/v1/cases', { body: CASE })).data!.recordId;
    // HSI makes the sheriff's office a partner on its case, and the sheriff links its own arrest to it.
    expect((await as(hsi.token).POST('/v1/cases/{id}/team', { ...onRecord(caseId, '"1"'), body: { agencyId: sheriff.agency.id } })).response.status).toBe(200);
    expect((await as(sheriff.token).POST('/v1/cases/{id}/links', { ...onRecord(caseId, '"2"'), body: { recordType: 'arrest-record', recordId: arrestId } })).response.status).toBe(200);
    await live.waitFor('the arrest on the HSI topic', (message) => message.key === arrestId && typeOf(message) === 'crescent.ArrestRecorded.v1');
    await live.waitFor('the link on the sheriff case topic', (message) => message.key === caseId && typeOf(message) === 'crescent.RecordLinkedToCase.v1');

    expect((await as(sheriff.token).POST('/v1/arrests/{id}/seal', { ...onRecord(arrestId), body: { courtOrderReference: '34th JDC 2026-77' } })).response.status).toBe(200);
    await live.waitFor('the retraction on the HSI topic', (message) => message.key === arrestId && typeOf(message) === RETRACTED);
    await live.waitFor('the link retraction on the sheriff case topic', (message) => message.key === caseId && typeOf(message) === RETRACTED);

    // Later traffic past the lag rolls the segments holding the retractions; the cleaner then compacts.
    await sleep(RETRACTION_LAG_MS + 500);
    const laterArrest = (await as(sheriff.token).POST('/v1/arrests', { body: { ...ARREST_IN_ORLEANS, bookingNumber: 'SBSO-2026-0932' } })).data!.recordId;
    const laterCase = (await as(hsi.token).POST('/v1/cases', { body: { ...CASE, title: 'Operation Lafitte' } })).data!.recordId;
    await live.waitFor('the later case on the sheriff topic', (message) => message.key === laterCase);

    const sealedData = (messages: readonly TopicMessage[]) =>
      messages.filter((message) => (message.key === arrestId || message.key === caseId) && typeOf(message) !== RETRACTED).map((message) => `${message.topic} ${typeOf(message)}`);
    await eventually(
      'a reader from the start to find nothing of the sealed record',
      async () => {
        const read = await readFromTheStart([laterArrest, laterCase]);
        return sealedData(read).length === 0 ? read : undefined;
      },
      60_000,
    );
    // What the exchange delivered before the seal was there: the reader above is not blind.
    expect(sealedData(live.messages).sort()).toEqual(
      [`${hsiArrests} crescent.ArrestRecorded.v1`, `${sheriffCases} crescent.CaseOpened.v1`, `${sheriffCases} crescent.CaseTeamMemberAdded.v1`, `${sheriffCases} crescent.RecordLinkedToCase.v1`].sort(),
    );
  });
});
