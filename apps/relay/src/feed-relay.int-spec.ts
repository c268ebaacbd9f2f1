import { randomUUID } from 'node:crypto';
import { CheckpointStore, EventStore, SqlEventStore } from '@crescent/event-store';
import { DisclosureLedger } from '@crescent/ledger';
import { BusMessage, InProcessBus } from '@crescent/messaging';
import { PseudonymKeys } from '@crescent/policy';
import { DeadLetterStore, loadConfig, pseudonymKeysFrom, schemaMigrationsFor, seedDemo, writeRecord } from '@crescent/runtime';
import { heldLease, openTestDatabase } from '@crescent/test-support';
import { messageProblems } from '../../../contracts/messages/message-contracts';
import { EXAMPLE_REFERRAL } from '../../../test/e2e/fixtures';
import { Deliveries } from './deliveries';
import { FeedRelay, FeedRelayDependencies, RELAY_CHECKPOINT } from './feed-relay';
import { RELAY_FACT_MIGRATIONS, RelayFactStore } from './relay-fact-store';

const HSI = { agencyId: 'hsi-new-orleans', agencyKind: 'federal-law-enforcement', agencyDepartment: 'DHS', correlationId: 'feed-relay-test' } as const;
/**
 * A victim without immigration relief (a T-visa applicant's referral reaches no sheriff: 8 U.S.C. 1367),
 * found in St. Bernard Parish, which the sheriff serves (28 CFR 23.20(e)): both the shelter and the sheriff receive it.
 */
const { victimServicesConsent: _consent, ...WITHOUT_CONSENT } = EXAMPLE_REFERRAL;
const REFERRAL = { ...WITHOUT_CONSENT, immigrationReliefStatus: 'none', foundAt: { description: 'Truck stop on Paris Road', parish: 'St. Bernard' } };

/** The relay's batch on the embedded store and bus, with a recipient key that can be made to fail. */
describe('the feed relay', () => {
  let store: EventStore;
  let relay: FeedRelay;
  let dependencies: FeedRelayDependencies;
  let ledger: DisclosureLedger;
  let deadLetters: DeadLetterStore;
  const published: BusMessage[] = [];
  let sheriffKeyMissing = true;

  beforeEach(async () => {
    const sql = await openTestDatabase('sqlite', [...schemaMigrationsFor('exchange', []), ...RELAY_FACT_MIGRATIONS]);
    store = await SqlEventStore.create(sql);
    ledger = await DisclosureLedger.create(sql);
    deadLetters = await DeadLetterStore.create(sql);
    const bus = new InProcessBus();
    const topics = ['crescent.out.bayou-haven-shelter.victim-referrals.v2', 'crescent.out.st-bernard-sheriff.victim-referrals.v2', 'crescent.relay.dead-letters'];
    await bus.subscribe({ groupId: 'test', topics }, async (message) => void published.push(message));
    dependencies = { store, bus, checkpoints: await CheckpointStore.create(sql), ledger, deadLetters, facts: await RelayFactStore.create(sql), topicNamespace: '', fence: await heldLease(sql) };
    relay = new FeedRelay(dependencies);
    await seedDemo(store);
    published.length = 0;
  });

  afterEach(() => store.close());

  const keys: PseudonymKeys = (recipient) => {
    if (recipient === 'st-bernard-sheriff' && sheriffKeyMissing) throw new Error('no pseudonym key for this recipient');
    return pseudonymKeysFrom(loadConfig({ SEED_DEMO: 'true' }))(recipient);
  };

  async function submitReferral(): Promise<string> {
    const referralId = randomUUID();
    await writeRecord(store, 'victim-referral', referralId, {
      type: 'SubmitVictimReferral',
      data: { ...REFERRAL, referralId },
      metadata: { ...HSI, now: new Date().toISOString() },
    });
    return referralId;
  }

  it('dead-letters an event it cannot project, goes on past it, and re-drives it on request once the cause is fixed', async () => {
    const deliveries = new Deliveries('', keys);
    // The demo seed relayed while the key works (its joint case goes to the sheriff, on its team); then the key goes missing.
    sheriffKeyMissing = false;
    const seeded = await store.readAll(undefined, 1000);
    await relay.relayBatch(deliveries, seeded);
    published.length = 0;
    sheriffKeyMissing = true;
    const [stuck, next] = [await submitReferral(), await submitReferral()];
    await relay.relayBatch(deliveries, (await store.readAll(undefined, 1000)).slice(seeded.length));

    const letters = await deadLetters.list();
    expect(letters.map((letter) => letter.streamId).sort()).toEqual([`victim-referral-${stuck}`, `victim-referral-${next}`].sort());
    expect(letters.every((letter) => letter.reason === 'Error' && letter.status === 'open')).toBe(true);
    const deadLetterMessages = published.filter((message) => message.topic === 'crescent.relay.dead-letters');
    expect(deadLetterMessages).toHaveLength(2);
    expect(JSON.stringify(deadLetterMessages)).not.toMatch(/Maria|1994|t-visa|no pseudonym key/);
    expect(deadLetterMessages.flatMap(messageProblems)).toEqual([]);
    expect(published.filter((message) => message.topic.endsWith('victim-referrals'))).toEqual([]);

    // The cause is fixed and an administrator asks for a replay.
    sheriffKeyMissing = false;
    const third = await submitReferral();
    await relay.relayBatch(deliveries, (await store.readAll(undefined, 1000)).slice(-1));
    expect(await deadLetters.requestReplay()).toBe(2);
    expect(await relay.replayRequested(deliveries)).toBe(2);

    const delivered = (topic: string) => published.filter((message) => message.topic === topic).map((message) => message.key).sort();
    expect(delivered('crescent.out.bayou-haven-shelter.victim-referrals.v2')).toEqual([stuck, next, third].sort());
    expect(delivered('crescent.out.st-bernard-sheriff.victim-referrals.v2')).toEqual([stuck, next, third].sort());
    expect((await deadLetters.list()).map((row) => row.status)).toEqual(['replayed', 'replayed']);
    expect((await ledger.byRecord('victim-referral', stuck)).map((row) => row.entry.recipientAgencyId).sort()).toEqual([
      'bayou-haven-shelter',
      'st-bernard-sheriff',
    ]);
    expect(await ledger.verify()).toMatchObject({ ok: true });
  });

  it('fails a batch whose facts cannot be read, dead-letters none of it, and delivers it once they can', async () => {
    sheriffKeyMissing = false;
    const deliveries = Deliveries.windowed('', keys, {}, 0);
    const seeded = await store.readAll(undefined, 1000);
    await relay.relayBatch(deliveries, seeded);
    published.length = 0;
    const referralId = await submitReferral();
    const batch = (await store.readAll(undefined, 1000)).slice(seeded.length);
    const unreadable = Object.assign(Object.create(dependencies.facts) as RelayFactStore, { load: async () => Promise.reject(new Error('the database is unavailable')) });
    // Nothing read ahead: the read fails while an event is being delivered, where a projection's failure would dead-letter it.
    const readAhead = jest.spyOn(deliveries, 'wanted').mockReturnValue([]);

    await expect(new FeedRelay({ ...dependencies, facts: unreadable }).relayBatch(deliveries, batch)).rejects.toThrow('a read the batch depends on failed');
    expect(await deadLetters.list()).toEqual([]);
    expect(published).toEqual([]);
    expect(await dependencies.checkpoints.load(RELAY_CHECKPOINT)).toBe(seeded.at(-1)!.position);

    // The read works again: the batch, retried, is delivered.
    readAhead.mockRestore();
    await relay.relayBatch(deliveries, batch);
    expect(published.filter((message) => message.key === referralId).map((message) => message.topic).sort()).toEqual([
      'crescent.out.bayou-haven-shelter.victim-referrals.v2',
      'crescent.out.st-bernard-sheriff.victim-referrals.v2',
    ]);
  });
});
