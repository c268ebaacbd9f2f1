import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { CheckpointStore, EventStore, LeaseStore, SqlEventStore, StoredEvent } from '@crescent/event-store';
import { DisclosureLedger } from '@crescent/ledger';
import { BusMessage, InProcessBus, outboundTopic } from '@crescent/messaging';
import { PersistentMap } from '@crescent/policy';
import { DeadLetterStore, loadConfig, pseudonymKeysFrom, RelayStatus, schemaMigrationsFor, seedDemo, writeRecord } from '@crescent/runtime';
import { eventually, heldLease, openTestDatabase } from '@crescent/test-support';
import { SqlClient } from '@crescent/sql';
import { EXAMPLE_REFERRAL } from '../../../test/e2e/fixtures';
import { decodeFact, Deliveries, FACT_NAMES } from './deliveries';
import { FeedRelay, RELAY_CHECKPOINT } from './feed-relay';
import { RELAY_FACT_MIGRATIONS, RelayFactStore } from './relay-fact-store';
import { RelayService } from './relay.service';

/** A broker that refuses every message, as one that is down does, while `down` is set. */
class FlakyBus extends InProcessBus {
  down = false;

  override async publish(messages: readonly BusMessage[]): Promise<void> {
    if (this.down) throw Object.assign(new Error('the broker is unavailable'), { retriable: true });
    return super.publish(messages);
  }
}

/** A referral both demo recipients of referrals receive: found in St. Bernard Parish, without immigration relief. */
const { victimServicesConsent: _consent, ...WITHOUT_CONSENT } = EXAMPLE_REFERRAL;
const REFERRAL = { ...WITHOUT_CONSENT, immigrationReliefStatus: 'none', foundAt: { description: 'Truck stop on Paris Road', parish: 'St. Bernard' } };
const HSI = { agencyId: 'hsi-new-orleans', agencyKind: 'federal-law-enforcement', agencyDepartment: 'DHS', correlationId: 'relay-service-test' } as const;

const config = loadConfig({ SEED_DEMO: 'true', RELAY_LEASE_MS: '1000' });
const keys = pseudonymKeysFrom(config);
const TOPICS = ['bayou-haven-shelter', 'st-bernard-sheriff'].map((agencyId) => outboundTopic(config.topicNamespace, agencyId, 'victim-referral', 2)!);

/** Waits (20 s at most) until `condition` holds. */
const until = (condition: () => Promise<boolean> | boolean, what: string) => eventually(what, async () => (await condition()) || undefined, 20_000);

/** A folded state as plain values: each map as its entries by key (a map's lookup caches are not its content). */
function plain(value: unknown): unknown {
  if (value instanceof PersistentMap) return Object.fromEntries((value.entries() as [string, unknown][]).sort(([a], [b]) => a.localeCompare(b)).map(([key, entry]) => [key, plain(entry)]));
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Set || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, plain(entry)]));
}

/** What a message carries that does not depend on when it was made: its topic, key and payload. */
const content = (messages: readonly BusMessage[]) => messages.map(({ topic, key, value }) => [topic, key, value?.toString()]);

describe('the relay service across tenures', () => {
  let sql: SqlClient;
  let store: EventStore;
  let checkpoints: CheckpointStore;
  let ledger: DisclosureLedger;
  let deadLetters: DeadLetterStore;
  let facts: RelayFactStore;
  let bus: FlakyBus;
  let relay: RelayService;
  const delivered: BusMessage[] = [];
  const logged: string[] = [];

  beforeEach(async () => {
    sql = await openTestDatabase('sqlite', [...schemaMigrationsFor('exchange', []), ...RELAY_FACT_MIGRATIONS]);
    store = await SqlEventStore.create(sql);
    checkpoints = await CheckpointStore.create(sql);
    bus = new FlakyBus();
    await bus.subscribe({ groupId: 'test', topics: TOPICS }, async (message) => void delivered.push(message));
    await seedDemo(store);
    jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => void logged.push(String(message)));
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void logged.push(String(message)));
    const leases = await LeaseStore.create(sql);
    [ledger, deadLetters, facts] = await Promise.all([DisclosureLedger.create(sql), DeadLetterStore.create(sql), RelayFactStore.create(sql)]);
    relay = new RelayService(store, bus, checkpoints, leases, ledger, deadLetters, facts, keys, config, new RelayStatus());
  });

  afterEach(async () => {
    await relay.beforeApplicationShutdown();
    await store.close();
    jest.restoreAllMocks();
    delivered.length = 0;
    logged.length = 0;
  });

  const head = async () => (await readAll(store)).at(-1)!.position;
  const caughtUp = async () => (await checkpoints.load(RELAY_CHECKPOINT)) === (await head());

  async function submitReferral(): Promise<string> {
    const referralId = randomUUID();
    await writeRecord(store, 'victim-referral', referralId, { type: 'SubmitVictimReferral', data: { ...REFERRAL, referralId }, metadata: { ...HSI, now: new Date().toISOString() } });
    return referralId;
  }

  const rebuilt = () => logged.filter((line) => line.startsWith('relay state rebuilt'));
  const loaded = () => logged.filter((line) => line.startsWith('relay state at checkpoint'));

  it('keeps in the database, at its checkpoint, exactly the facts a replay of the feed up to it folds, after a batch failed too', async () => {
    const feedRelay = new FeedRelay({ store, bus, checkpoints, ledger, deadLetters, facts, topicNamespace: config.topicNamespace, fence: await heldLease(sql) });
    const deliveries = Deliveries.windowed(config.topicNamespace, keys, {}, 0);
    const seeded = await readAll(store);
    await feedRelay.relayBatch(deliveries, seeded.slice(0, 5));
    await feedRelay.relayBatch(deliveries, seeded.slice(5));
    bus.down = true;
    await submitReferral();
    await expect(feedRelay.relayBatch(deliveries, (await readAll(store)).slice(seeded.length))).rejects.toThrow('the broker is unavailable');

    expect(await checkpoints.load(RELAY_CHECKPOINT)).toBe(seeded.at(-1)!.position);
    expect(await facts.at()).toBe(seeded.at(-1)!.position);
    const kept = Object.fromEntries(
      await Promise.all(FACT_NAMES.map(async (name) => [name, plain(Object.fromEntries((await facts.loadAll(name)).map(([key, value]) => [key, decodeFact(name, value)])))])),
    );
    const replayed = new Deliveries(config.topicNamespace, keys);
    seeded.forEach((stored) => replayed.replay(stored));
    const { state, arrestLinks, reached } = replayed.folded();
    // The failed batch's referral is not among them.
    expect(kept).toEqual(plain({ ...state, arrestLinks, reached }));
  });

  it('reads its state at the checkpoint from the database after the broker failed for a moment, replaying nothing, and delivers what a replay would have', async () => {
    relay.onApplicationBootstrap();
    await until(caughtUp, 'the relay to relay the demo feed');
    const checkpoint = await checkpoints.load(RELAY_CHECKPOINT);
    const before = await readAll(store);

    bus.down = true;
    const referralId = await submitReferral();
    await until(() => logged.some((line) => line.startsWith('relay failed')), 'the batch to fail');
    expect(await checkpoints.load(RELAY_CHECKPOINT)).toBe(checkpoint);
    bus.down = false;
    await until(caughtUp, 'the relay to deliver the referral');

    // Only the first start, with no checkpoint, had facts to make (none).
    expect(rebuilt()).toEqual([expect.stringMatching(/^relay state rebuilt up to checkpoint none: 0 events replayed/)]);
    expect(loaded()[1]).toMatch(new RegExp(`^relay state at checkpoint ${checkpoint} loaded: \\d+ directory facts`));
    // The referral's messages are those of a relay rebuilt from the feed up to the same checkpoint.
    const replayed = new Deliveries(config.topicNamespace, keys);
    before.forEach((stored) => replayed.replay(stored));
    const [submitted] = (await readAll(store)).slice(before.length);
    const expected = content(replayed.deliver(submitted).messages);
    expect(expected.map(([topic, key]) => [topic, key])).toEqual(TOPICS.map((topic) => [topic, referralId]));
    expect(content(delivered.filter((message) => message.key === referralId))).toEqual(expected);
  });

  it('rebuilds its facts from the feed when the checkpoint it finds is not the one they stand at: another relay moved it on', async () => {
    relay.onApplicationBootstrap();
    await until(caughtUp, 'the relay to relay the demo feed');

    bus.down = true;
    await submitReferral();
    await until(() => logged.some((line) => line.startsWith('relay failed')), 'the batch to fail');
    // Meanwhile another relay delivered the referral and saved its checkpoint (and, as an older version would, no facts).
    await checkpoints.save(RELAY_CHECKPOINT, await head(), { check: async () => undefined });
    bus.down = false;
    await until(() => rebuilt().length === 2, 'the relay to rebuild its state');

    expect(rebuilt()[1]).toMatch(new RegExp(`^relay state rebuilt up to checkpoint ${await head()}: \\d+ events replayed`));
    await until(() => loaded().length === 2, 'the relay to load its state');
    expect(await facts.at()).toBe(await head());
  });
});

async function readAll(store: EventStore): Promise<StoredEvent[]> {
  return store.readAll(undefined, 10_000);
}
