import { randomUUID } from 'node:crypto';
import { EventStore, SqlEventStore, StoredEvent } from '@crescent/event-store';
import { BusMessage } from '@crescent/messaging';
import { FactsNotLoaded, recordKey } from '@crescent/policy';
import { loadConfig, pseudonymKeysFrom, recordOfStream, schemaMigrationsFor, seedDemo, toFeedEvent, writeRecord } from '@crescent/runtime';
import { openTestDatabase } from '@crescent/test-support';
import { EXAMPLE_REFERRAL } from '../../../test/e2e/fixtures';
import { decodeFact, Deliveries, encodeFact, FactChange, FactKey, Relayed } from './deliveries';

const keys = pseudonymKeysFrom(loadConfig({ SEED_DEMO: 'true' }));
const HSI = { agencyId: 'hsi-new-orleans', agencyKind: 'federal-law-enforcement', agencyDepartment: 'DHS', correlationId: 'corr-hsi' } as const;
const SHELTER = { agencyId: 'bayou-haven-shelter', agencyKind: 'victim-service-provider', correlationId: 'corr-shelter' } as const;
const { referredToAgencyId: _addressee, victimServicesConsent: _consent, ...REFERRAL } = EXAMPLE_REFERRAL;
const CONTENT = { ...REFERRAL, immigrationReliefStatus: 'none', foundAt: { description: 'Truck stop on Paris Road', parish: 'St. Bernard' } };

/** A message as a recipient reads it, and a ledger entry, without the instant they were made. */
const content = ({ messages, disclosures }: Relayed) => ({
  messages: messages.map(({ topic, key, value }: BusMessage) => [topic, key, value]),
  disclosures: disclosures.map(({ deliveredAt: _at, ...entry }) => entry),
});

/**
 * A windowed state against the whole one, the reference: the same deliveries, event after event,
 * with the facts it asks for read from what the whole state had folded before the event (as the
 * relay's store holds them: encoded and decoded).
 */
describe('a windowed disclosure state', () => {
  let store: EventStore;
  let feed: StoredEvent[];

  beforeAll(async () => {
    store = await SqlEventStore.create(await openTestDatabase('sqlite', schemaMigrationsFor('exchange', [])));
    await seedDemo(store);
    const referralId = randomUUID();
    const consentId = randomUUID();
    const write = (recordType: 'victim-referral' | 'consent', recordId: string, type: string, data: object, actor: typeof HSI | typeof SHELTER) =>
      writeRecord(store, recordType, recordId, { type, data, metadata: { ...actor, now: new Date().toISOString() } });
    await write('victim-referral', referralId, 'SubmitVictimReferral', { ...CONTENT, referredToAgencyId: SHELTER.agencyId, referralId }, HSI);
    const referral = { status: 'submitted', originatorAgencyId: HSI.agencyId, record: { referredToAgencyId: SHELTER.agencyId } };
    await write('consent', consentId, 'RecordConsent', {
      consentId, referralId, victimIsMinor: false, recipientAgencyIds: ['st-bernard-sheriff'], purposes: ['investigation'],
      fields: ['victim.givenName', 'victim.familyName'], written: true, informed: true,
      expiresAt: new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString(), referral, maxDays: 365,
    }, SHELTER);
    await write('victim-referral', referralId, 'CorrectVictimReferral', { ...CONTENT, referralId }, HSI);
    await write('consent', consentId, 'RevokeConsent', { consentId, reason: 'The victim withdrew consent', referral }, SHELTER);
    await write('victim-referral', referralId, 'CorrectVictimReferral', { ...CONTENT, referralId }, HSI);
    feed = await store.readAll(undefined, 10_000);
  });

  afterAll(() => store.close());

  it('delivers each event as the whole state does, asking for what it does not hold and changing nothing when it asks', () => {
    const whole = new Deliveries('', keys);
    const windowed = Deliveries.windowed('', keys, {}, 0);
    // What the whole state has folded before each event, as the relay's store keeps it: each change written as a row.
    const rows = new Map<string, string>();
    const read = ({ facts, key }: FactKey) => {
      const row = rows.get(`${facts}/${key}`);
      return row === undefined ? undefined : decodeFact(facts, row);
    };
    const askedBy: number[] = [];
    for (const event of feed) {
      let asked = 0;
      const expected = content(whole.deliver(event));
      for (;;) {
        const before = windowed.folded();
        try {
          expect(content(windowed.deliver(event))).toEqual(expected);
          break;
        } catch (error) {
          if (!(error instanceof FactsNotLoaded) || error.key === undefined) throw error;
          asked++;
          expect(windowed.folded()).toStrictEqual(before);
          const facts = error.facts as FactKey['facts'];
          windowed.load(facts, [[error.key, read({ facts, key: error.key })]], windowed.generation);
        }
      }
      // What it changed is on record before the next event, and it lets go of everything else.
      for (const change of whole.takeChanges()) rows.set(`${change.facts}/${change.key}`, encodeFact(change).value);
      windowed.takeChanges();
      windowed.evict([]);
      askedBy.push(asked);
    }
    // The referral's and the consent's five events each found something not held.
    expect(askedBy.slice(-5).every((asked) => asked > 0)).toBe(true);
  });

  it('reports as changed what delivering set, not what was loaded; lets go of all but the changes not on record; ignores what was read before it let go', () => {
    const windowed = Deliveries.windowed('', keys, {}, 0);
    const seeded = feed.slice(0, feed.findIndex((event) => event.streamId.startsWith('victim-referral')));
    seeded.forEach((event) => windowed.deliver(event));
    windowed.takeChanges();
    const submitted = feed[seeded.length];
    const referralKey = recordKey('victim-referral', recordOfStream(submitted.streamId)!.recordId);
    const wanted = windowed.wanted([toFeedEvent(submitted)!]);
    expect(wanted).toEqual(expect.arrayContaining([{ facts: 'records', key: referralKey }, { facts: 'reached', key: referralKey }]));
    for (const { facts, key } of wanted) windowed.load(facts, [[key, undefined]], windowed.generation);
    windowed.deliver(submitted);
    const changes = windowed.takeChanges();
    expect(changes.map(({ facts, key }) => `${facts}/${key}`).sort()).toEqual([`reached/${referralKey}`, `records/${referralKey}`]);
    expect(windowed.takeChanges()).toEqual([]);

    const generation = windowed.generation;
    windowed.evict(changes);
    const factsOf = (deliveries: Deliveries) => (change: FactChange) => mapOf(deliveries, change.facts).get(change.key);
    expect(changes.map(factsOf(windowed))).toEqual(changes.map(({ value }) => value));
    windowed.evict([]);
    expect(() => mapOf(windowed, 'records').get(referralKey)).toThrow(FactsNotLoaded);
    windowed.load('records', [[referralKey, changes.find(({ facts }) => facts === 'records')!.value]], generation);
    expect(() => mapOf(windowed, 'records').get(referralKey)).toThrow(FactsNotLoaded);
    // The directory is held whole throughout.
    expect(windowed.folded().state.agencies.get(HSI.agencyId)).toMatchObject({ id: HSI.agencyId });
  });
});

function mapOf(deliveries: Deliveries, facts: 'records' | 'reached' | FactChange['facts']) {
  const { state, reached, arrestLinks } = deliveries.folded();
  const maps: Record<string, { get(key: string): unknown }> = { ...state, reached, arrestLinks };
  return maps[facts];
}
