import { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { AdminModule } from '../../apps/admin/src/admin.module';
import { InboxModule } from '../../apps/inbox/src/inbox.module';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { Deliveries } from '../../apps/relay/src/deliveries';
import { FeedRelay } from '../../apps/relay/src/feed-relay';
import { RELAY_FACT_MIGRATIONS, RelayFactStore } from '../../apps/relay/src/relay-fact-store';
import { CheckpointStore, EVENT_STORE_MIGRATIONS, EventStore, SqlEventStore } from '@crescent/event-store';
import { DisclosureLedger } from '@crescent/ledger';
import { EXCHANGE_PRINCIPALS, MessageBus } from '@crescent/messaging';
import { ADMIN_ACTOR, DeadLetterStore, loadConfig, pseudonymKeysFrom, RuntimeConfig, schemaMigrationsFor, seedDemo, sha256Hex, writeRecord } from '@crescent/runtime';
import { migrateSchema, openSqlClient } from '@crescent/sql';
import {
  eventually,
  exchangeKafka,
  exchangeKafkaEnv,
  kafkaBrokers,
  killHard,
  heldLease,
  listTopics,
  openTestDatabase,
  readTopics,
  RunningApp,
  spawnApp,
  startApp,
  startInboxConnector,
  TEST_DATABASE_URL,
  TopicMessage,
  uniqueName,
} from '@crescent/test-support';
import { createExchangeClient } from '../../contracts/client';
import { EXAMPLE_REFERRAL } from '../e2e/fixtures';

const HSI = { agencyId: 'hsi-new-orleans', agencyKind: 'federal-law-enforcement' } as const;
const REFERRALS = 2000;
const KILLS = 5;
const LEASE_MS = '1500';
const PAUSES = 3;

/** One delivery as a recipient sees it: the topic it came on and the event id it carries. */
type Delivery = `${string} ${string}`;

describe('the relay under kill -9', () => {
  const namespace = `${uniqueName('crash')}.`;
  const schema = uniqueName('crash');
  const config: RuntimeConfig = { ...loadConfig({ SEED_DEMO: 'true' }), databaseUrl: TEST_DATABASE_URL, databaseSchema: schema, topicNamespace: namespace, kafkaBrokers: kafkaBrokers() };
  const relayEnv = {
    DATABASE_URL: TEST_DATABASE_URL,
    DATABASE_SCHEMA: schema,
    ...exchangeKafkaEnv(EXCHANGE_PRINCIPALS.relay),
    TOPIC_NAMESPACE: namespace,
    SEED_DEMO: 'false',
    ADMIN_TOKEN_SHA256: sha256Hex(randomUUID()),
    PSEUDONYM_SECRET: config.pseudonymSecret,
    RELAY_LEASE_MS: LEASE_MS,
  };
  let store: EventStore;
  let exchange: RunningApp;
  let inbox: RunningApp;
  const relays: ChildProcess[] = [];

  beforeAll(async () => {
    // Written before any app starts: the event store's tables first, the apps' starts add the rest.
    const storeSql = await openSqlClient(TEST_DATABASE_URL, { schema });
    await migrateSchema(storeSql, EVENT_STORE_MIGRATIONS);
    store = await SqlEventStore.create(storeSql);
    await seedDemo(store);
    // A second shelter with no policy: it must receive nothing, even of referrals addressed to it.
    await writeRecord(store, 'agency', 'second-shelter', {
      type: 'RegisterAgency',
      data: { agencyId: 'second-shelter', name: 'Second Shelter', kind: 'victim-service-provider', jurisdiction: [], credentialSha256: sha256Hex(randomUUID()) },
      metadata: { ...ADMIN_ACTOR, now: new Date().toISOString(), correlationId: 'crash-test' },
    });
    // The agencies' topics and ACLs, and the API the shelter's inbox authenticates against.
    exchange = await startApp({ ...config, logLevel: 'warn', ...exchangeKafka(EXCHANGE_PRINCIPALS.admin) }, [AdminModule, IntakeModule]);
    inbox = await startInboxConnector(exchange.url, { agency: { id: 'bayou-haven-shelter' }, token: 'demo-shelter-token' }, { ...config, logLevel: 'warn', databaseSchema: uniqueName('crash_inbox') }, InboxModule);
  });

  afterAll(async () => {
    for (const relay of relays) await killHard(relay);
    await inbox?.app.close();
    await exchange?.app.close();
    await store?.close();
  });

  it(`delivers ${REFERRALS} referrals to every entitled recipient and no other, through ${KILLS} kills, absorbing duplicates`, async () => {
    relays.push(spawnApp('relay', relayEnv));
    const writing = submitReferrals(store, REFERRALS);
    let kills = 0;
    while (kills < KILLS) {
      await new Promise((resolve) => setTimeout(resolve, 1500 + Math.random() * 2500));
      await killHard(relays[relays.length - 1]);
      kills += 1;
      relays.push(spawnApp('relay', relayEnv));
    }
    await writing;

    const expected = await expectedDeliveries(store, config);
    const received = await readNamespace(namespace, expected);
    const distinct = new Set(received);
    const missing = [...expected].filter((delivery) => !distinct.has(delivery));
    const unexpected = [...distinct].filter((delivery) => !expected.has(delivery));
    const shelterReferrals = await eventually('every referral in the shelter inbox', async () => {
      const { data } = await createExchangeClient(inbox.url, 'demo-shelter-token').GET('/v1/inbox');
      return data && data.referrals.length >= REFERRALS / 2 ? data.referrals.length : undefined;
    }, 60_000);
    process.stdout.write(
      `relay crash test: ${REFERRALS} referrals, ${kills} kills, ${expected.size} entitled deliveries, ` +
        `${received.length} messages received, ${received.length - distinct.size} duplicates absorbed, ` +
        `${missing.length} missing, ${unexpected.length} unentitled; shelter inbox holds ${shelterReferrals}\n`,
    );

    expect(missing).toEqual([]);
    expect(unexpected).toEqual([]);
    expect(shelterReferrals).toBe(REFERRALS / 2);

    // Judged from the law and the demo, not by the relay's own projection: the demo shelter receives its half
    // of the referrals, once each after duplicates; the second shelter (no policy) and the sheriff (each
    // victim is a T-visa applicant: 8 U.S.C. 1367) receive nothing, read back from their topics.
    const referralsTo = (agencyId: string) => [...distinct].filter((delivery) => delivery.startsWith(`${namespace}crescent.out.${agencyId}.victim-referrals.`));
    expect(referralsTo('bayou-haven-shelter')).toHaveLength(REFERRALS / 2);
    expect([...distinct].filter((delivery) => delivery.startsWith(`${namespace}crescent.out.second-shelter.`))).toEqual([]);
    expect(referralsTo('st-bernard-sheriff')).toEqual([]);
    // The ledger after the crashes: its chain intact, and one delivery entry per message delivered.
    const ledger = await DisclosureLedger.create(await openSqlClient(TEST_DATABASE_URL, { schema }));
    expect(await ledger.verify()).toMatchObject({ ok: true });
    const ledgered = (await ledger.byRecipient('bayou-haven-shelter')).filter((row) => row.entry.kind === 'delivery');
    expect(new Set(ledgered.map((row) => row.entry.eventId)).size).toBe(ledgered.length);
    expect(ledgered).toHaveLength(REFERRALS / 2);
    expect(await ledger.byRecipient('second-shelter')).toEqual([]);
    expect((await ledger.byRecipient('st-bernard-sheriff')).filter((row) => row.entry.recordType === 'victim-referral')).toEqual([]);
  });

  it('fails over: with two relays running, killing the active one lets the standby finish without loss', async () => {
    for (const relay of relays) await killHard(relay);
    const [first, second] = [spawnApp('relay', relayEnv), spawnApp('relay', relayEnv)];
    relays.push(first, second);
    const writing = submitReferrals(store, 200);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const active = await activeRelayPid(schema);
    await killHard(active === second.pid ? second : first);
    await writing;

    const expected = await expectedDeliveries(store, config);
    const received = new Set(await readNamespace(namespace, expected));
    const missing = [...expected].filter((delivery) => !received.has(delivery));
    process.stdout.write(`relay failover test: killed the active relay (pid ${active}); ${expected.size} entitled deliveries, ${missing.length} missing\n`);
    expect(active).toBeDefined();
    expect(missing).toEqual([]);
  });

  it(`fences a relay paused past its lease: resumed ${PAUSES} times, it never moves the checkpoint back, and nothing is lost`, async () => {
    for (const relay of relays) await killHard(relay);
    const log: string[] = [];
    const spawnRelay = () => {
      const relay = spawnApp('relay', relayEnv, (text) => log.push(text));
      relays.push(relay);
      return relay;
    };
    const pair = [spawnRelay(), spawnRelay()];
    const activeOfPair = () =>
      eventually('one of the two relays to hold the lease', async () => {
        const activePid = await activeRelayPid(schema);
        return pair.find((relay) => relay.pid === activePid);
      });
    await activeOfPair();
    const sql = await openSqlClient(TEST_DATABASE_URL, { schema });
    // Every move of the checkpoint, as the database saw it: the instrument, not the relay, says whether one went back.
    await sql.query('CREATE TABLE checkpoint_moves (sequence SERIAL PRIMARY KEY, old_position BIGINT NOT NULL, new_position BIGINT NOT NULL)');
    await sql.query(`CREATE FUNCTION record_checkpoint_move() RETURNS trigger AS $$
      BEGIN INSERT INTO checkpoint_moves (old_position, new_position) VALUES (OLD.position::bigint, NEW.position::bigint); RETURN NEW; END $$ LANGUAGE plpgsql`);
    await sql.query("CREATE TRIGGER checkpoint_moves BEFORE UPDATE ON feed_checkpoints FOR EACH ROW WHEN (OLD.name = 'relay') EXECUTE FUNCTION record_checkpoint_move()");
    const writing = submitReferrals(store, 1000);
    try {
      for (let pause = 0; pause < PAUSES; pause += 1) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const active = await activeOfPair();
        active.kill('SIGSTOP');
        // Past its lease, and long enough for the other to take over and move on.
        await new Promise((resolve) => setTimeout(resolve, Number(LEASE_MS) * 2 + 1000));
        active.kill('SIGCONT');
      }
    } finally {
      await writing;
    }

    const expected = await expectedDeliveries(store, config);
    const received = new Set(await readNamespace(namespace, expected));
    const missing = [...expected].filter((delivery) => !received.has(delivery));
    const moves = await sql.query<{ old_position: string; new_position: string }>('SELECT old_position, new_position FROM checkpoint_moves ORDER BY sequence');
    const backwards = moves.filter((move) => Number(move.new_position) < Number(move.old_position));
    const ledger = await DisclosureLedger.create(sql);
    const ledgered = (await ledger.byRecipient('bayou-haven-shelter')).filter((row) => row.entry.kind === 'delivery');
    const stepDowns = log.join('').split('\n').filter((line) => line.includes('steps down')).length;
    process.stdout.write(
      `relay pause test: ${PAUSES} pauses past the lease, ${moves.length} checkpoint moves, ${backwards.length} backwards, ` +
        `${stepDowns} step-downs logged, ${expected.size} entitled deliveries, ${missing.length} missing\n`,
    );
    const verification = await ledger.verify();
    await sql.close();

    expect(backwards).toEqual([]);
    expect(missing).toEqual([]);
    expect(verification).toMatchObject({ ok: true });
    expect(new Set(ledgered.map((row) => row.entry.eventId)).size).toBe(ledgered.length);
    // Each resumed relay found it had lost the lease, and said so.
    expect(stepDowns).toBeGreaterThanOrEqual(PAUSES);
  });
});

/** Referrals from HSI, half to the demo shelter and half to the second shelter, written straight to the store. */
async function submitReferrals(store: EventStore, count: number): Promise<void> {
  const { referredToAgencyId: _demoShelter, ...content } = EXAMPLE_REFERRAL;
  for (let n = 0; n < count; n += 1) {
    const referralId = randomUUID();
    await writeRecord(store, 'victim-referral', referralId, {
      type: 'SubmitVictimReferral',
      data: { ...content, referralId, referredToAgencyId: n % 2 === 0 ? 'bayou-haven-shelter' : 'second-shelter' },
      metadata: { ...HSI, now: new Date().toISOString(), correlationId: `referral-${n}` },
    });
  }
}

/**
 * What the relay must have delivered: the whole feed relayed once more, without a crash, by a relay of
 * its own (its own ledger, checkpoint and dead letters, in memory; a bus that only keeps what it is
 * given): the deliveries, and the retractions and snapshots the feed's events call for, whose ids are
 * the same whoever makes them.
 */
async function expectedDeliveries(store: EventStore, config: RuntimeConfig): Promise<Set<Delivery>> {
  const expected = new Set<Delivery>();
  const sql = await openTestDatabase('sqlite', [...schemaMigrationsFor('exchange', []), ...RELAY_FACT_MIGRATIONS]);
  const bus: MessageBus = {
    publish: async (messages) => messages.forEach((message) => expected.add(`${message.topic} ${message.headers.ce_id}`)),
    subscribe: async () => ({ stop: async () => undefined }),
    ping: async () => undefined,
    close: async () => undefined,
  };
  const ledger = await DisclosureLedger.create(sql);
  const relay = new FeedRelay({ store, bus, ledger, checkpoints: await CheckpointStore.create(sql), deadLetters: await DeadLetterStore.create(sql), facts: await RelayFactStore.create(sql), topicNamespace: config.topicNamespace, fence: await heldLease(sql) });
  const deliveries = new Deliveries(config.topicNamespace, pseudonymKeysFrom(config));
  for (let page = await store.readAll(undefined, 1000); page.length > 0; page = await store.readAll(page[page.length - 1].position, 1000)) {
    await relay.relayBatch(deliveries, page);
  }
  await sql.close();
  return expected;
}

/** Every delivery on the expected topics and any other outbound topic of the namespace, once every expected one is in. */
async function readNamespace(namespace: string, expected: ReadonlySet<Delivery>): Promise<Delivery[]> {
  const topics = new Set([...(await listTopics(`${namespace}crescent.out.`)), ...[...expected].map((delivery) => delivery.split(' ')[0])]);
  const deliveryOf = (message: TopicMessage): Delivery => `${message.topic} ${message.headers.ce_id}`;
  const messages = await readTopics(
    [...topics],
    (received) => {
      const delivered = new Set(received.map(deliveryOf));
      return [...expected].every((delivery) => delivered.has(delivery));
    },
    90_000,
  );
  return messages.map(deliveryOf);
}

async function activeRelayPid(schema: string): Promise<number | undefined> {
  const sql = await openSqlClient(TEST_DATABASE_URL, { schema });
  const [lease] = await sql.query<{ holder: string }>("SELECT holder FROM leases WHERE name = 'relay'");
  await sql.close();
  return lease ? Number(lease.holder.split(':')[1]) : undefined;
}
