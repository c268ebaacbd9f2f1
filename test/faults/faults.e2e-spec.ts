import { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AdminModule } from '../../apps/admin/src/admin.module';
import { Agency, SharableRecordType, SharingPolicy } from '@crescent/domain';
import { EventStore, SqlEventStore, StoredEvent } from '@crescent/event-store';
import { DisclosureLedger } from '@crescent/ledger';
import { EXCHANGE_PRINCIPALS, inboundCommandTopic, outboundTopic } from '@crescent/messaging';
import { DEMO_POLICIES } from '@crescent/policy';
import { ADMIN_ACTOR, DEMO_AGENCIES, loadConfig, openMigratedSqlClient, pseudonymKeysFrom, schemaMigrationsFor, seedDemo, sha256Hex, writeRecord } from '@crescent/runtime';
import { openSqlClient } from '@crescent/sql';
import {
  eventually,
  exchangeKafka,
  exchangeKafkaEnv,
  freePort,
  killHard,
  listTopics,
  OwnBroker,
  spawnApp,
  startApp,
  startOwnBroker,
  TEST_DATABASE_URL,
  TopicMessage,
  TopicReader,
  uniqueName,
} from '@crescent/test-support';
import { EXAMPLE_REFERRAL } from '../e2e/fixtures';
import { canonical } from '../oracle/compare';
import { AnyEvent, expectedProjection, ID_FIELD } from '../oracle/model';

const REFERRALS = 5000;
/** Requests each sender keeps in flight. */
const IN_FLIGHT = 6;
/** A sender waits this long for an answer before it sends the request again, with the same key. */
const ANSWER_TIMEOUT_MS = 5000;
/** A safety net, not a threshold: a sender retries until answered, and gives up only after this (then the test fails, with its counts). */
const LOAD_DEADLINE_MS = 240_000;
/** How much of an app's last output a report of its exit quotes. */
const LAST_OUTPUT_CHARS = 4000;

const [hsi, sheriff] = DEMO_AGENCIES;
/** Two agencies beside the demo's that send referrals, and a shelter with a subscription and no policy: it must receive nothing. */
const POLICE = { agency: { id: 'nola-police', name: 'New Orleans Police Department', kind: 'local-law-enforcement', jurisdiction: ['Orleans'] }, token: randomUUID() } as const;
const DA = { agency: { id: 'orleans-da', name: 'Orleans Parish District Attorney', kind: 'prosecutor', jurisdiction: ['Orleans'] }, token: randomUUID() } as const;
const SECOND_SHELTER = { agency: { id: 'second-shelter', name: 'Second Shelter', kind: 'victim-service-provider', jurisdiction: [] }, token: randomUUID() } as const;
const SENDERS = [hsi, sheriff, POLICE, DA];

/**
 * Who subscribes to what, written out here from the demo seed (libs/runtime demo-directory) and this
 * test's own subscription: the oracle's side of "who asked for what", not read back from the relay.
 */
const SUBSCRIPTIONS: readonly { agencyId: string; recordType: SharableRecordType; schemaVersion: number }[] = [
  { agencyId: 'bayou-haven-shelter', recordType: 'victim-referral', schemaVersion: 2 },
  { agencyId: 'st-bernard-sheriff', recordType: 'victim-referral', schemaVersion: 2 },
  { agencyId: 'st-bernard-sheriff', recordType: 'arrest-record', schemaVersion: 1 },
  { agencyId: 'st-bernard-sheriff', recordType: 'case', schemaVersion: 1 },
  { agencyId: 'hsi-new-orleans', recordType: 'arrest-record', schemaVersion: 1 },
  { agencyId: 'hsi-new-orleans', recordType: 'case', schemaVersion: 1 },
  { agencyId: 'hsi-new-orleans', recordType: 'consent', schemaVersion: 1 },
  { agencyId: SECOND_SHELTER.agency.id, recordType: 'victim-referral', schemaVersion: 2 },
];

interface Submission {
  readonly key: string;
  readonly sender: (typeof SENDERS)[number];
  readonly body: Record<string, unknown>;
  /** The record id intake answered with (201), once it has. */
  acknowledged?: string;
  /** Answers other than 201 that a retry cannot change: none is expected. */
  refused?: string;
}

/**
 * Faults survived (issue 13): agencies submit referrals over HTTP with idempotency keys, retrying what
 * goes unanswered, while intake and the relay are killed (-9) and restarted, the broker is stopped and
 * started again, and PostgreSQL cuts the apps' connections. Then the store and the recipients' topics
 * are read back and judged: by the keys sent and by the law's reference model (test/oracle/model.ts).
 */
describe('faults survived', () => {
  const namespace = `${uniqueName('faults')}.`;
  const schema = uniqueName('faults');
  /** Names the apps' PostgreSQL connections, so the test cuts theirs and no one else's. */
  const applicationName = uniqueName('faults_apps');
  const pseudonymSecret = randomUUID();
  const counts = { submitted: 0, acknowledged: 0, retried: 0, intakeKills: 0, relayKills: 0, brokerRestarts: 0, connectionsCut: 0 };
  const children: ChildProcess[] = [];
  /** Apps that exited of themselves, not by the test's kill -9: a fault they did not survive, with the app's last output (its warnings, a stack). */
  const died: string[] = [];
  const killedByTest = new Set<ChildProcess>();
  const kill = (child: ChildProcess) => (killedByTest.add(child), killHard(child));
  /** Spawns an app with its output appended to `log`, and keeps its last lines for `died`. */
  const watched = (name: string, log: string, spawnWithLog: (onLog: (text: string) => void) => ChildProcess) => {
    let lastOutput = '';
    const child = spawnWithLog((text) => {
      appendFileSync(log, text);
      lastOutput = (lastOutput + text).slice(-LAST_OUTPUT_CHARS);
    });
    child.once('exit', (code, signal) => killedByTest.has(child) || died.push(`${name} (pid ${child.pid}) exited with ${signal ?? code}; its last output:\n${lastOutput}`));
    children.push(child);
    return child;
  };
  let broker: OwnBroker;
  let store: EventStore;
  let savedEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    broker = await startOwnBroker();
    // Every Kafka helper of test/support reads the broker from the environment: here it is this test's own.
    savedEnv = { ...process.env };
    Object.assign(process.env, broker.env);
    // The exchange's tables, as its apps make them at start (they start after the seed).
    store = await SqlEventStore.create(await openMigratedSqlClient(TEST_DATABASE_URL, { schema }, schemaMigrationsFor('exchange', [])));
    await seedDemo(store);
    const register = ({ agency, token }: { agency: Omit<Agency, 'department'>; token: string }) =>
      writeRecord(store, 'agency', agency.id, {
        type: 'RegisterAgency',
        data: { agencyId: agency.id, name: agency.name, kind: agency.kind, jurisdiction: agency.jurisdiction, credentialSha256: sha256Hex(token) },
        metadata: { ...ADMIN_ACTOR, now: new Date().toISOString(), correlationId: 'faults-test' },
      });
    for (const agency of [POLICE, DA, SECOND_SHELTER]) await register(agency);
    await writeRecord(store, 'subscription', 'second-shelter-victim-referral', {
      type: 'CreateSubscription',
      data: { subscriptionId: 'second-shelter-victim-referral', agencyId: SECOND_SHELTER.agency.id, recordType: 'victim-referral', schemaVersion: 2, filters: {}, backfill: false },
      metadata: { ...ADMIN_ACTOR, now: new Date().toISOString(), correlationId: 'faults-test' },
    });
    // The administration gives every agency its topics and ACLs at its start, then is not needed.
    const admin = await startApp({ databaseUrl: TEST_DATABASE_URL, databaseSchema: schema, topicNamespace: namespace, ...exchangeKafka(EXCHANGE_PRINCIPALS.admin) }, [AdminModule]);
    const topics = [
      ...SUBSCRIPTIONS.map(({ agencyId, recordType, schemaVersion }) => outboundTopic(namespace, agencyId, recordType, schemaVersion)!),
      ...[...DEMO_AGENCIES, POLICE, DA, SECOND_SHELTER].map(({ agency }) => inboundCommandTopic(namespace, agency.id)),
    ];
    await eventually('every agency\'s and subscription\'s topics', async () => {
      const existing = new Set(await listTopics(namespace));
      return topics.every((topic) => existing.has(topic)) ? true : undefined;
    });
    await admin.app.close();
  }, 120_000);

  afterAll(async () => {
    for (const child of children) await kill(child);
    await store?.close();
    await broker?.remove();
    process.env = savedEnv;
  });

  it(`keeps every acknowledged one of ${REFERRALS} referrals from ${SENDERS.length} agencies exactly once, and delivers each to whom the law entitles, through kills, a broker restart and cut connections`, async () => {
    const started = Date.now();
    const appEnv = (principal: string) => ({
      DATABASE_URL: `${TEST_DATABASE_URL}?application_name=${applicationName}`,
      DATABASE_SCHEMA: schema,
      ...exchangeKafkaEnv(principal),
      TOPIC_NAMESPACE: namespace,
      SEED_DEMO: 'false',
      ADMIN_TOKEN_SHA256: sha256Hex(randomUUID()),
      PSEUDONYM_SECRET: pseudonymSecret,
      RELAY_LEASE_MS: '1500',
    });
    const intakePort = await freePort();
    const intakeUrl = `http://127.0.0.1:${intakePort}`;
    // The apps' logs (their warnings through the faults) go to a file the summary names, not into the test's output.
    const appLog = join(mkdtempSync(join(tmpdir(), 'crescent-faults-')), 'apps.log');
    const spawnIntake = () => watched('intake', appLog, (onLog) => spawnApp('intake', { ...appEnv(EXCHANGE_PRINCIPALS.intake), PORT: String(intakePort), RATE_LIMIT_PER_CREDENTIAL: String(REFERRALS) }, onLog));
    const spawnRelay = () => watched('relay', appLog, (onLog) => spawnApp('relay', appEnv(EXCHANGE_PRINCIPALS.relay), onLog));
    let intake = spawnIntake();
    let relay = spawnRelay();
    const intakeReady = () => eventually('intake to be ready', async () => ((await fetch(`${intakeUrl}/health/ready`).catch(() => undefined))?.status === 200 ? true : undefined), 60_000);
    await intakeReady();

    const submissions = Array.from({ length: REFERRALS }, (_, n) => referral(n));
    const deadline = Date.now() + LOAD_DEADLINE_MS;
    const load = Promise.all(SENDERS.map((sender) => send(intakeUrl, submissions.filter((submission) => submission.sender === sender), deadline, counts)));

    // The faults, one after another, each when the load has gone that much further (and a random moment more).
    const killIntake = { name: 'kill -9 intake', inject: async () => {
      await kill(intake);
      counts.intakeKills += 1;
      intake = spawnIntake();
      await intakeReady();
    } };
    const killRelay = { name: 'kill -9 relay', inject: async () => {
      await kill(relay);
      counts.relayKills += 1;
      relay = spawnRelay();
    } };
    const restartBroker = { name: 'stop and start the broker', inject: async () => {
      await broker.stop();
      await broker.start();
      counts.brokerRestarts += 1;
    } };
    const cutDatabase = { name: "cut the apps' PostgreSQL connections", inject: async () => void (counts.connectionsCut += await cutConnections(applicationName)) };
    const faults = [killIntake, killRelay, restartBroker, killIntake, cutDatabase, killRelay, killIntake, killRelay];
    for (const [index, fault] of faults.entries()) {
      const at = ((index + 1) * REFERRALS) / (faults.length + 2);
      await eventually(`${at} acknowledgements before "${fault.name}"`, async () => (counts.acknowledged >= at || Date.now() > deadline ? true : undefined), LOAD_DEADLINE_MS);
      await sleep(Math.random() * 1000);
      const [injected, acknowledgedThen] = [Date.now(), counts.acknowledged];
      await fault.inject();
      process.stdout.write(`faults test: ${fault.name} at ${acknowledgedThen} acknowledged, ${Math.round((injected - started) / 1000)} s; back in ${Math.round((Date.now() - injected) / 1000)} s\n`);
    }
    await load;
    const loaded = Date.now();

    // The store, read back: each key written at most once, each acknowledged one exactly once, as answered.
    const feed = await readFeed(store);
    const written = new Map<string, string[]>();
    for (const event of feed.filter(({ type }) => type === 'VictimReferralSubmitted')) {
      const key = (event.metadata as { correlationId: string }).correlationId;
      written.set(key, [...(written.get(key) ?? []), (event.data as { referralId: string }).referralId]);
    }
    const acknowledged = submissions.filter((submission) => submission.acknowledged !== undefined);
    const notAsAcknowledged = acknowledged.filter(({ key, acknowledged: id }) => written.get(key)?.length !== 1 || written.get(key)![0] !== id);
    const writtenTwice = [...written.values()].filter((ids) => ids.length > 1);
    const unacknowledgedWritten = submissions.filter(({ key, acknowledged: id }) => id === undefined && written.has(key)).length;

    // The recipients' topics, read from the start, judged by the law's model event by event.
    const { expected, asItStandsNow } = judgedByModel(feed, namespace, pseudonymKeysFrom(loadConfig({ SEED_DEMO: 'true', PSEUDONYM_SECRET: pseudonymSecret })));
    const topics = [...new Set([...(await listTopics(`${namespace}crescent.out.`)), ...[...expected.values()].map(({ topic }) => topic)])];
    const reader = await TopicReader.start(topics);
    // Until every entitled delivery is in (a moment more, so a late extra shows too), or a minute: then what is missing is counted.
    await eventually('every entitled delivery', async () => {
      const delivered = new Set(reader.messages.map(deliveryOf));
      return [...expected.keys()].every((delivery) => delivered.has(delivery)) ? true : undefined;
    }, 60_000).catch(() => undefined);
    await sleep(1500);
    await reader.stop();
    const received = [...reader.messages];
    const byDelivery = new Map<string, TopicMessage[]>();
    for (const message of received) byDelivery.set(deliveryOf(message), [...(byDelivery.get(deliveryOf(message)) ?? []), message]);
    const missing = [...expected.keys()].filter((delivery) => !byDelivery.has(delivery));
    const isSnapshot = (message: TopicMessage) => message.headers.ce_type === 'crescent.RecordSnapshot.v1';
    // A record sent whole (the seed's case, to the sheriff its team added) may carry only what the model gives of each of its events.
    const snapshotLeaks = received.filter(isSnapshot).flatMap((message) =>
      (JSON.parse(message.value) as { events: { id: string; data: unknown }[] }).events
        .filter(({ id, data }) => canonical(data) !== canonical(asItStandsNow(message.topic, id)))
        .map(({ id }) => `${message.topic} snapshot event ${id}`),
    );
    const unentitled = [...[...byDelivery].filter(([delivery, [first]]) => !expected.has(delivery) && !isSnapshot(first)).map(([delivery]) => delivery), ...snapshotLeaks];
    const wrongPayload = [...byDelivery].filter(([delivery, copies]) => {
      const want = expected.get(delivery);
      return want && copies.some((message) => message.key !== want.recordId || canonical(JSON.parse(message.value)) !== canonical(want.payload));
    });
    // Every subscriber counted, a subscriber that must receive nothing (the second shelter) too.
    const perRecipient = new Map<string, number>(SUBSCRIPTIONS.map(({ agencyId }) => [agencyId, 0]));
    for (const { topic } of received) {
      const recipient = topic.slice(`${namespace}crescent.out.`.length).split('.')[0];
      perRecipient.set(recipient, (perRecipient.get(recipient) ?? 0) + 1);
    }

    const ledgerSql = await openSqlClient(TEST_DATABASE_URL, { schema });
    const verification = await (await DisclosureLedger.create(ledgerSql)).verify();
    await ledgerSql.close();
    process.stdout.write(
      `faults test: ${counts.submitted} submitted by ${SENDERS.length} agencies, ${acknowledged.length} acknowledged, ${counts.retried} retried, ` +
        `${REFERRALS - acknowledged.length} unacknowledged (${unacknowledgedWritten} of them written); ` +
        `${counts.intakeKills} intake kills, ${counts.relayKills} relay kills, ${counts.brokerRestarts} broker restart(s), ${counts.connectionsCut} PostgreSQL connections cut, ${died.length} apps died of themselves; ` +
        `${expected.size} entitled deliveries, ${received.length} messages read, ${received.length - byDelivery.size} duplicates absorbed, ` +
        `${missing.length} missing, ${unentitled.length} unentitled, ${wrongPayload.length} with another payload; ` +
        `per recipient ${JSON.stringify(Object.fromEntries(perRecipient))}; load ${Math.round((loaded - started) / 1000)} s, in all ${Math.round((Date.now() - started) / 1000)} s; the apps' logs in ${appLog}\n`,
    );

    expect(died).toEqual([]);
    expect(submissions.filter(({ refused }) => refused !== undefined).map(({ key, refused }) => `${key}: ${refused}`)).toEqual([]);
    expect(notAsAcknowledged.map(({ key }) => key)).toEqual([]);
    expect(writtenTwice).toEqual([]);
    expect(missing).toEqual([]);
    expect(unentitled).toEqual([]);
    expect(wrongPayload.map(([delivery]) => delivery)).toEqual([]);
    expect(verification).toMatchObject({ ok: true });
    // Every fault happened during the load, and every sender got every one of its referrals through in the end.
    expect(counts).toMatchObject({ intakeKills: 3, relayKills: 3, brokerRestarts: 1 });
    expect(counts.connectionsCut).toBeGreaterThan(0);
    expect(acknowledged).toHaveLength(REFERRALS);
  }, 300_000);
});

/** The n-th referral: from each sender in turn, to either shelter, in either parish, a T-visa applicant or not. */
function referral(n: number): Submission {
  const { victimServicesConsent, ...content } = EXAMPLE_REFERRAL;
  const protectedStatus = n % 3 === 0;
  return {
    key: `faults-${n}-${randomUUID()}`,
    sender: SENDERS[n % SENDERS.length],
    body: {
      ...content,
      referredToAgencyId: n % 5 === 4 ? SECOND_SHELTER.agency.id : 'bayou-haven-shelter',
      victim: { ...content.victim, givenName: `Victim ${n}` },
      foundAt: { ...content.foundAt, parish: n % 2 === 0 ? 'St. Bernard' : 'Orleans' },
      ...(protectedStatus ? { immigrationReliefStatus: 't-visa-applicant', victimServicesConsent } : { immigrationReliefStatus: 'none' }),
    },
  };
}

/**
 * One agency's system: keeps IN_FLIGHT requests going; one unanswered (no answer in time, a refused
 * connection, a 5xx, a 429, or "still in progress") is sent again with the same key, as a real client does.
 */
async function send(url: string, submissions: Submission[], deadline: number, counts: { submitted: number; acknowledged: number; retried: number }): Promise<void> {
  const queue = [...submissions];
  const worker = async () => {
    for (let submission = queue.shift(); submission; submission = queue.shift()) {
      counts.submitted += 1;
      for (let attempt = 0; Date.now() < deadline; attempt += 1) {
        if (attempt > 0) {
          counts.retried += 1;
          await sleep(100 + Math.random() * 400);
        }
        const response = await fetch(`${url}/v1/referrals`, {
          method: 'POST',
          headers: { authorization: `Bearer ${submission.sender.token}`, 'content-type': 'application/json', 'idempotency-key': submission.key, 'x-correlation-id': submission.key },
          body: JSON.stringify(submission.body),
          signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
        }).catch(() => undefined);
        if (!response) continue;
        const body = (await response.json().catch(() => undefined)) as { recordId?: string; code?: string } | undefined;
        if (response.status === 201 && body?.recordId) {
          submission.acknowledged = body.recordId;
          counts.acknowledged += 1;
          break;
        }
        if (response.status >= 500 || response.status === 429 || body?.code === 'IDEMPOTENCY.IN_PROGRESS') continue;
        submission.refused = `${response.status} ${body?.code}`;
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

/** pg_terminate_backend on every connection the apps hold (by their application_name): the server's side of a database outage. */
async function cutConnections(applicationName: string): Promise<number> {
  const sql = await openSqlClient(TEST_DATABASE_URL);
  try {
    const [{ cut }] = await sql.query<{ cut: string }>('SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS cut FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
    return Number(cut);
  } finally {
    await sql.close();
  }
}

async function readFeed(store: EventStore): Promise<StoredEvent[]> {
  const feed: StoredEvent[] = [];
  for (let page = await store.readAll(undefined, 1000); page.length > 0; page = await store.readAll(page[page.length - 1].position, 1000)) feed.push(...page);
  return feed;
}

/** `topic ce_id`: one delivery, however many times the broker holds it. */
function deliveryOf(message: TopicMessage): string {
  return `${message.topic} ${message.headers.ce_id}`;
}

/**
 * What each subscriber must hold, by the model: every event of the feed it is entitled to, on its
 * topic, keyed by the record, with the model's payload. A referral's facts are its own events (this
 * load links no records), so each is judged against the feed's other records and its own earlier events.
 * And what a record sent whole (a snapshot) may carry of each of its events, by the feed as it ends.
 */
function judgedByModel(feed: readonly StoredEvent[], namespace: string, keys: ReturnType<typeof pseudonymKeysFrom>) {
  const agencies = new Map<string, Agency>();
  const expected = new Map<string, { topic: string; recordId: string; payload: Record<string, unknown> }>();
  const shared: AnyEvent[] = [];
  const ofReferral = new Map<string, AnyEvent[]>();
  const disclosedAt = new Date().toISOString();
  for (const stored of feed) {
    const event = stored as unknown as AnyEvent;
    if (event.type === 'AgencyRegistered') {
      const { agencyId, name, kind, department, jurisdiction } = event.data as { agencyId: string } & Omit<Agency, 'id'>;
      agencies.set(agencyId, { id: agencyId, name, kind, jurisdiction, ...(department ? { department } : {}) });
    }
    const referralId = typeof event.data.referralId === 'string' ? event.data.referralId : undefined;
    const history = referralId ? [...shared, ...(ofReferral.get(referralId) ?? [])] : shared;
    for (const { agencyId, recordType, schemaVersion } of SUBSCRIPTIONS) {
      const recipient = agencies.get(agencyId);
      if (!recipient) continue;
      const model = expectedProjection({ history, event, recipient, policy: policyOf(recipient, recordType), keys, disclosedAt });
      if (!model.received) continue;
      const topic = outboundTopic(namespace, agencyId, recordType, schemaVersion)!;
      expected.set(`${topic} ${stored.id}`, { topic, recordId: event.data[ID_FIELD[recordType]] as string, payload: model.payload });
    }
    if (referralId) ofReferral.set(referralId, [...(ofReferral.get(referralId) ?? []), event]);
    else shared.push(event);
  }
  const byId = new Map(feed.map((stored) => [stored.id, stored as unknown as AnyEvent]));
  /** What of an event a subscriber on `topic` may hold now, at the feed's end (a snapshot is the record as it stands): its payload, or undefined. */
  const asItStandsNow = (topic: string, eventId: string): Record<string, unknown> | undefined => {
    const subscription = SUBSCRIPTIONS.find(({ agencyId, recordType, schemaVersion }) => outboundTopic(namespace, agencyId, recordType, schemaVersion) === topic);
    const event = byId.get(eventId);
    const recipient = subscription && agencies.get(subscription.agencyId);
    if (!subscription || !event || !recipient) return undefined;
    const own = typeof event.data.referralId === 'string' ? (ofReferral.get(event.data.referralId) ?? []) : [];
    const history = [...shared, ...own].filter((other) => other !== event);
    const model = expectedProjection({ history, event, recipient, policy: policyOf(recipient, subscription.recordType), keys, disclosedAt });
    return model.received ? model.payload : undefined;
  };
  return { expected, asItStandsNow };
}

/** The demo policy for the agency and record type: the one naming the agency, else the one for its kind (docs/policies.md). */
function policyOf(agency: Agency, recordType: SharableRecordType): SharingPolicy | undefined {
  const forType = DEMO_POLICIES.filter((policy) => policy.recordType === recordType);
  const naming = forType.find(({ appliesTo }) => 'agencyId' in appliesTo && appliesTo.agencyId === agency.id);
  return naming ?? forType.find(({ appliesTo }) => 'agencyKind' in appliesTo && appliesTo.agencyKind === agency.kind);
}
