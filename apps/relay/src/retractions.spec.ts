import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CheckpointStore, EventStore, SqlEventStore, StoredEvent } from '@crescent/event-store';
import { DisclosureLedger } from '@crescent/ledger';
import { BusMessage, MessageBus } from '@crescent/messaging';
import { CommandMetadata, RecordType, SharingPolicy } from '@crescent/domain';
import { ADMIN_ACTOR, DeadLetterStore, loadConfig, pseudonymKeysFrom, schemaMigrationsFor, seedDemo, writeRecord } from '@crescent/runtime';
import { DEMO_POLICIES } from '@crescent/policy';
import { heldLease, openTestDatabase } from '@crescent/test-support';
import { messageProblems } from '../../../contracts/messages/message-contracts';
import { ARREST_IN_ORLEANS, EXAMPLE_REFERRAL } from '../../../test/e2e/fixtures';
import { Deliveries } from './deliveries';
import { FeedRelay, FeedRelayDependencies } from './feed-relay';
import { RELAY_FACT_MIGRATIONS, RelayFactStore } from './relay-fact-store';

const HSI = { agencyId: 'hsi-new-orleans', agencyKind: 'federal-law-enforcement', agencyDepartment: 'DHS', correlationId: 'corr-hsi' } as const;
const SHERIFF = { agencyId: 'st-bernard-sheriff', agencyKind: 'local-law-enforcement', correlationId: 'corr-sheriff' } as const;
const SHELTER = { agencyId: 'bayou-haven-shelter', agencyKind: 'victim-service-provider', correlationId: 'corr-shelter' } as const;
const { referredToAgencyId: _addressee, victimServicesConsent: _consent, ...PROTECTED_CONTENT } = EXAMPLE_REFERRAL;
// Found in St. Bernard Parish: the sheriff has a need to know it (28 CFR 23.20(e)).
const REFERRAL_CONTENT = { ...PROTECTED_CONTENT, immigrationReliefStatus: 'none', foundAt: { description: 'Truck stop on Paris Road', parish: 'St. Bernard' } };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const RETRACTION_HEADERS = ['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_subject', 'ce_time', 'ce_dataschema', 'content-type'].sort();

/**
 * The relay's retractions and snapshots on the embedded store, ledger and a bus that keeps what it
 * is given: a consent revocation and a sealing each take data back from whoever holds it, in one
 * shape that says nothing of the cause; a sealing also takes back the case links that name the
 * record. Entitlement that narrows takes back, entitlement that widens reaches back. Each with the
 * relay's state held whole, and windowed: every fact on record let go of before each batch, so each
 * is read back from the relay's facts in the database as the batch needs it.
 */
describe.each([
  ['held whole', () => new Deliveries('', pseudonymKeysFrom(loadConfig({ SEED_DEMO: 'true' })))],
  ['windowed, every fact on record let go of before each batch', () => Deliveries.windowed('', pseudonymKeysFrom(loadConfig({ SEED_DEMO: 'true' })), {}, 0)],
])('retractions and snapshots, the state %s', (_mode, newDeliveries) => {
  let store: EventStore;
  let relay: FeedRelay;
  let relayDependencies: FeedRelayDependencies;
  let ledger: DisclosureLedger;
  let deliveries: Deliveries;
  const published: BusMessage[] = [];
  let relayedUpTo = 0;
  /** What the relay published that its contract refuses (ce_type and paths): nothing, whatever a test does. */
  const contractProblems: string[] = [];
  const publish = async (messages: readonly BusMessage[]) => {
    published.push(...messages);
    contractProblems.push(...messages.flatMap((message) => messageProblems(message).map((problem) => `${message.headers.ce_type}: ${problem}`)));
  };
  const bus: MessageBus = { publish, subscribe: async () => ({ stop: async () => undefined }), ping: async () => undefined, close: async () => undefined };

  beforeEach(async () => {
    relayedUpTo = 0;
    const sql = await openTestDatabase('sqlite', [...schemaMigrationsFor('exchange', []), ...RELAY_FACT_MIGRATIONS]);
    store = await SqlEventStore.create(sql);
    ledger = await DisclosureLedger.create(sql);
    relayDependencies = {
      store,
      bus,
      checkpoints: await CheckpointStore.create(sql),
      ledger,
      deadLetters: await DeadLetterStore.create(sql),
      facts: await RelayFactStore.create(sql),
      topicNamespace: '',
      fence: await heldLease(sql),
    };
    relay = new FeedRelay(relayDependencies);
    deliveries = newDeliveries();
    await seedDemo(store);
    await relayNew();
    published.length = 0;
  });

  afterEach(async () => {
    await store.close();
    expect(contractProblems.splice(0)).toEqual([]);
  });


  /** Waits (a few seconds at most) for something the relay does in its own time. */
  async function eventually(holds: () => boolean): Promise<void> {
    for (let waited = 0; !holds(); waited += 10) {
      if (waited > 5000) throw new Error('not within 5 s');
      await sleep(10);
    }
  }

  /** Relays what the store holds beyond what was relayed already; returns the events relayed. */
  async function relayNew(): Promise<StoredEvent[]> {
    const events = (await store.readAll(undefined, 10_000)).slice(relayedUpTo);
    relayedUpTo += events.length;
    if (events.length > 0) await relay.relayBatch(deliveries, events);
    return events;
  }

  async function write(recordType: RecordType, recordId: string, type: string, data: object, actor: Omit<CommandMetadata, 'now'>): Promise<void> {
    await writeRecord(store, recordType, recordId, { type, data, metadata: { ...actor, now: new Date().toISOString() } });
  }

  /** Writes the cause, waits a little, relays it: returns the cause and the instant before the relay ran. */
  async function relayCause(write: () => Promise<void>): Promise<{ cause: StoredEvent; relayStarted: number }> {
    await write();
    await sleep(20);
    const relayStarted = Date.now();
    const [cause] = await relayNew();
    return { cause, relayStarted };
  }

  const retractions = (topic: string) => published.filter((message) => message.topic === topic && message.headers.ce_type === 'crescent.RecordRetracted.v1');
  const snapshots = (topic: string) => published.filter((message) => message.topic === topic && message.headers.ce_type === 'crescent.RecordSnapshot.v1');
  const SHERIFF_REFERRALS = 'crescent.out.st-bernard-sheriff.victim-referrals.v2';
  const ADMIN = { ...ADMIN_ACTOR, correlationId: 'corr-admin' };

  /** A referral found in St. Bernard Parish, addressed to the shelter: the sheriff has a need to know it, but no consent for the victim's name. */
  async function referralTheSheriffHolds(): Promise<string> {
    const referralId = randomUUID();
    await write('victim-referral', referralId, 'SubmitVictimReferral', { ...REFERRAL_CONTENT, referredToAgencyId: SHELTER.agencyId, referralId }, HSI);
    await relayNew();
    const [delivered] = published.filter((message) => message.topic === SHERIFF_REFERRALS && message.key === referralId);
    expect(JSON.parse(delivered.value)).toMatchObject({ referralId, needs: REFERRAL_CONTENT.needs });
    published.length = 0;
    return referralId;
  }

  /** A referral found in Orleans Parish, which the sheriff does not serve, relayed: it reaches the shelter, not the sheriff. */
  async function referralTheSheriffHasNoNeedToKnow(): Promise<string> {
    const referralId = randomUUID();
    const inOrleans = { ...REFERRAL_CONTENT, foundAt: { description: 'Motel on Chef Menteur Highway', parish: 'Orleans' } };
    await write('victim-referral', referralId, 'SubmitVictimReferral', { ...inOrleans, referredToAgencyId: SHELTER.agencyId, referralId }, HSI);
    await relayNew();
    expect(published.filter((message) => message.topic.startsWith('crescent.out.st-bernard-sheriff.'))).toEqual([]);
    return referralId;
  }

  /** Publishes a new version of the sheriff's referral policy with its rules changed. */
  async function republishSheriffPolicy(change: (rules: SharingPolicy['rules']) => SharingPolicy['rules']): Promise<void> {
    const policy = DEMO_POLICIES.find((candidate) => candidate.policyId === 'sheriff-referrals')!;
    await write('sharing-policy', policy.policyId, 'PublishSharingPolicy', { ...policy, rules: change(policy.rules) }, ADMIN);
    await relayNew();
  }

  const snapshotEvents = (message: BusMessage) => (JSON.parse(message.value) as { events: { type: string; data: Record<string, unknown> }[] }).events;

  async function referralWithConsentRevoked(): Promise<{ referralId: string; cause: StoredEvent; relayStarted: number }> {
    const referralId = randomUUID();
    const consentId = randomUUID();
    // A victim without immigration relief: a T-visa applicant's referral would reach the sheriff not at all (8 U.S.C. 1367).
    await write('victim-referral', referralId, 'SubmitVictimReferral', { ...REFERRAL_CONTENT, referredToAgencyId: SHELTER.agencyId, referralId }, HSI);
    await write('consent', consentId, 'RecordConsent', {
      consentId,
      referralId,
      victimIsMinor: false,
      recipientAgencyIds: [SHERIFF.agencyId],
      purposes: ['investigation'],
      fields: ['victim.givenName', 'victim.familyName', 'victim.phone'],
      written: true,
      informed: true,
      expiresAt: new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString(),
      // What intake looks up for a consent: the referral's parties, and the longest a consent may run.
      referral: { status: 'submitted', originatorAgencyId: HSI.agencyId, record: { referredToAgencyId: SHELTER.agencyId } },
      maxDays: 365,
    }, SHELTER);
    await write('victim-referral', referralId, 'CorrectVictimReferral', { ...REFERRAL_CONTENT, referralId }, HSI);
    await relayNew();
    const referral = { status: 'submitted', originatorAgencyId: HSI.agencyId, record: { referredToAgencyId: SHELTER.agencyId } };
    const revoked = await relayCause(() => write('consent', consentId, 'RevokeConsent', { consentId, reason: 'The victim withdrew consent', referral }, SHELTER));
    return { referralId, ...revoked };
  }

  async function arrestLinkedToCaseThenSealed(): Promise<{ arrestId: string; caseId: string; cause: StoredEvent; relayStarted: number }> {
    const arrestId = randomUUID();
    const caseId = randomUUID();
    // The arrest in HSI's jurisdiction, the case in the sheriff's.
    await write('arrest-record', arrestId, 'RecordArrest', { ...ARREST_IN_ORLEANS, arrestRecordId: arrestId }, SHERIFF);
    await write('case', caseId, 'OpenCase', { caseId, title: 'Operation Bayou', parish: 'St. Bernard', leadInvestigator: { name: 'SA Dana Example', badgeNumber: 'HSI-4471', phone: '+1 504 555 0199' } }, HSI);
    await write('case', caseId, 'LinkRecordToCase', { caseId, recordType: 'arrest-record', recordId: arrestId }, HSI);
    await relayNew();
    const sealed = await relayCause(() => write('arrest-record', arrestId, 'SealArrestRecord', { arrestRecordId: arrestId, courtOrderReference: '34th JDC 2026-77' }, SHERIFF));
    return { arrestId, caseId, ...sealed };
  }

  it('has one shape whatever the cause: the same headers and data keys, no correlation id, the relay time, an id no recipient can tie to the cause', async () => {
    const revocation = await referralWithConsentRevoked();
    const seal = await arrestLinkedToCaseThenSealed();
    const [fromRevocation] = retractions('crescent.out.st-bernard-sheriff.victim-referrals.v2');
    const [fromSeal] = retractions('crescent.out.hsi-new-orleans.arrest-records.v1');

    for (const [message, { cause, relayStarted }] of [[fromRevocation, revocation], [fromSeal, seal]] as const) {
      expect(Object.keys(message.headers).sort()).toEqual(RETRACTION_HEADERS);
      expect(message.headers).toMatchObject({
        ce_specversion: '1.0',
        ce_source: 'urn:crescent:relay',
        ce_type: 'crescent.RecordRetracted.v1',
        ce_dataschema: 'urn:crescent:schema:RecordRetracted:1',
        'content-type': 'application/json',
      });
      expect(message.headers.ce_id).toMatch(UUID);
      expect(message.headers.ce_id).not.toContain(cause.id);
      expect(Date.parse(message.headers.ce_time)).toBeGreaterThanOrEqual(relayStarted);
      expect(Date.parse(cause.recordedAt)).toBeLessThan(relayStarted);
      expect(JSON.stringify(message)).not.toMatch(/corr-|seal|revo|consent/i);
    }
    expect(JSON.parse(fromRevocation.value)).toEqual({ recordType: 'victim-referral', recordId: revocation.referralId });
    expect(fromRevocation.key).toBe(revocation.referralId);
    expect(JSON.parse(fromSeal.value)).toEqual({ recordType: 'arrest-record', recordId: seal.arrestId });
    expect(fromSeal.key).toBe(seal.arrestId);
  });

  it('takes back what an expired consent granted, once (a restart too), in the one shape retractions have', async () => {
    const referralId = randomUUID();
    const consentId = randomUUID();
    const expiresAt = new Date(Date.now() + 60_000).toISOString();
    await write('victim-referral', referralId, 'SubmitVictimReferral', { ...REFERRAL_CONTENT, referredToAgencyId: SHELTER.agencyId, referralId }, HSI);
    const referral = { status: 'submitted', originatorAgencyId: HSI.agencyId, record: { referredToAgencyId: SHELTER.agencyId } };
    await write('consent', consentId, 'RecordConsent', {
      consentId, referralId, victimIsMinor: false, recipientAgencyIds: [SHERIFF.agencyId], purposes: ['investigation'],
      fields: ['victim.givenName', 'victim.familyName'], written: true, informed: true, expiresAt, referral, maxDays: 365,
    }, SHELTER);
    await write('victim-referral', referralId, 'CorrectVictimReferral', { ...REFERRAL_CONTENT, referralId }, HSI);
    await relayNew();
    const sheriffTopic = SHERIFF_REFERRALS;
    expect(published.some((message) => message.topic === sheriffTopic && message.value?.includes('"givenName"'))).toBe(true);

    expect(await relay.retractExpired(deliveries, Date.parse(expiresAt) - 1)).toBe(0);
    expect(retractions(sheriffTopic)).toEqual([]);
    expect(await relay.retractExpired(deliveries, Date.parse(expiresAt))).toBe(1);
    const [retraction] = retractions(sheriffTopic);
    expect(Object.keys(retraction.headers).sort()).toEqual(RETRACTION_HEADERS);
    expect(JSON.parse(retraction.value!)).toEqual({ recordType: 'victim-referral', recordId: referralId });
    // A second run, a restart's included, finds it taken back by the ledger.
    expect(await relay.retractExpired(deliveries, Date.parse(expiresAt) + 1)).toBe(0);
    expect(await new FeedRelay(relayDependencies).retractExpired(deliveries, Date.parse(expiresAt) + 10 * 60_000)).toBe(0);
    expect(retractions(sheriffTopic)).toHaveLength(1);
    const entries = (await ledger.byRecord('victim-referral', referralId)).map((row) => row.entry);
    expect(entries.filter((entry) => entry.kind === 'retraction')).toEqual([expect.objectContaining({ recipientAgencyId: SHERIFF.agencyId, consentIds: [consentId] })]);
  });

  /** A minor's referral, released to the sheriff by her consent with this guardian, and delivered. */
  async function minorReleasedToSheriff(guardian: { name: string; relationship: string }): Promise<{ referralId: string; consentId: string }> {
    const referralId = randomUUID();
    const consentId = randomUUID();
    const victim = { ...REFERRAL_CONTENT.victim, dateOfBirth: '2012-05-01' };
    await write('victim-referral', referralId, 'SubmitVictimReferral', { ...REFERRAL_CONTENT, victim, referredToAgencyId: SHELTER.agencyId, referralId }, HSI);
    const referral = { status: 'submitted', originatorAgencyId: HSI.agencyId, record: { referredToAgencyId: SHELTER.agencyId } };
    await write('consent', consentId, 'RecordConsent', {
      consentId, referralId, victimIsMinor: true, guardian, recipientAgencyIds: [SHERIFF.agencyId],
      purposes: ['investigation'], fields: ['victim.givenName', 'victim.familyName'], written: true, informed: true,
      expiresAt: new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString(), referral, maxDays: 365,
    }, SHELTER);
    await write('victim-referral', referralId, 'CorrectVictimReferral', { ...REFERRAL_CONTENT, victim, referralId }, HSI);
    await relayNew();
    // Released by her consent: the referral as it stood, as a snapshot, then the correction.
    const released = published.filter((message) => message.topic === SHERIFF_REFERRALS && message.value?.includes('"givenName"'));
    expect(released.map((message) => message.headers.ce_type)).toEqual(['crescent.RecordSnapshot.v1', 'crescent.VictimReferralCorrected.v1']);
    published.length = 0;
    return { referralId, consentId };
  }

  async function recordArrest(arrestId: string, arrestee: object, victimReferralIds: string[]): Promise<void> {
    await write('arrest-record', arrestId, 'RecordArrest', {
      arrestRecordId: arrestId, arrestee, charges: [{ statute: 'La. R.S. 14:46.2', description: 'Human trafficking' }], bookingNumber: 'SBSO-2026-0940',
      arrestedAt: '2026-11-03T08:00:00-06:00', place: { description: 'Residence', parish: 'St. Bernard' }, victimReferralIds,
    }, SHERIFF);
  }

  async function expectRetractedFromSheriff(referralId: string, consentId: string): Promise<void> {
    const [retraction, ...more] = retractions(SHERIFF_REFERRALS);
    expect(more).toEqual([]);
    expect(JSON.parse(retraction.value!)).toEqual({ recordType: 'victim-referral', recordId: referralId });
    expect((await ledger.byRecord('victim-referral', referralId)).map((row) => row.entry).filter((entry) => entry.kind === 'retraction')).toEqual([
      expect.objectContaining({ recipientAgencyId: SHERIFF.agencyId, consentIds: [consentId] }),
    ]);
  }

  it("takes back what a minor's consent released once an arrest records its arrestee as her guardian is related to her, however the names were typed", async () => {
    const { referralId, consentId } = await minorReleasedToSheriff({ name: 'Maria  Lopez', relationship: 'mother' });
    await recordArrest(randomUUID(), { givenName: 'María', familyName: 'López', dateOfBirth: '1984-02-11', relationshipToVictim: 'mother' }, [referralId]);
    await relayNew();
    await expectRetractedFromSheriff(referralId, consentId);
  });

  it('takes it back when the arresting agency records the relationship after the arrest, and not before', async () => {
    const { referralId, consentId } = await minorReleasedToSheriff({ name: 'Rosa Example', relationship: 'aunt' });
    const arrestId = randomUUID();
    await recordArrest(arrestId, { givenName: 'R.', familyName: 'Example', dateOfBirth: '1979-02-11' }, [referralId]);
    await relayNew();
    expect(retractions(SHERIFF_REFERRALS)).toEqual([]);
    await write('arrest-record', arrestId, 'RecordArresteeRelationship', { arrestRecordId: arrestId, relationshipToVictim: 'aunt' }, SHERIFF);
    await relayNew();
    await expectRetractedFromSheriff(referralId, consentId);
  });

  it('takes it back when a case link brings such an arrest into her matter', async () => {
    const { referralId, consentId } = await minorReleasedToSheriff({ name: 'Rosa Example', relationship: 'aunt' });
    const arrestId = randomUUID();
    const caseId = randomUUID();
    await recordArrest(arrestId, { givenName: 'Rosa', familyName: 'Example', dateOfBirth: '1979-02-11', relationshipToVictim: 'aunt' }, []);
    await write('case', caseId, 'OpenCase', { caseId, title: 'Operation Bayou', parish: 'St. Bernard', leadInvestigator: { name: 'SA Dana Example', badgeNumber: 'HSI-4471', phone: '+1 504 555 0199' } }, HSI);
    await write('case', caseId, 'LinkRecordToCase', { caseId, recordType: 'victim-referral', recordId: referralId }, HSI);
    await relayNew();
    expect(retractions(SHERIFF_REFERRALS)).toEqual([]);
    await write('case', caseId, 'LinkRecordToCase', { caseId, recordType: 'arrest-record', recordId: arrestId }, HSI);
    await relayNew();
    await expectRetractedFromSheriff(referralId, consentId);
  });

  it("takes nothing back for the arrest of someone who shares the guardian's name but is not recorded as related to her", async () => {
    const { referralId } = await minorReleasedToSheriff({ name: 'Rosa Example', relationship: 'aunt' });
    await recordArrest(randomUUID(), { givenName: 'Rosa', familyName: 'Example', dateOfBirth: '1990-06-30' }, [referralId]);
    await recordArrest(randomUUID(), { givenName: 'Rosa', familyName: 'Example', dateOfBirth: '1990-06-30', relationshipToVictim: 'other-relative' }, [referralId]);
    await relayNew();
    expect(retractions(SHERIFF_REFERRALS)).toEqual([]);
    expect((await ledger.byRecord('victim-referral', referralId)).map((row) => row.entry).filter((entry) => entry.kind === 'retraction')).toEqual([]);
  });

  it("takes the case and what is linked to it back from a partner that leaves the case's team and has no other need to know", async () => {
    const referralId = randomUUID();
    const caseId = randomUUID();
    const inOrleans = { ...REFERRAL_CONTENT, foundAt: { description: 'Motel on Chef Menteur Highway', parish: 'Orleans' } };
    await write('victim-referral', referralId, 'SubmitVictimReferral', { ...inOrleans, referredToAgencyId: SHELTER.agencyId, referralId }, HSI);
    await write('case', caseId, 'OpenCase', { caseId, title: 'Operation Lafitte', parish: 'Orleans', leadInvestigator: { name: 'SA Dana Example', badgeNumber: 'HSI-4471', phone: '+1 504 555 0199' } }, HSI);
    await write('case', caseId, 'AddCaseTeamMember', { caseId, agencyId: SHERIFF.agencyId }, HSI);
    await write('case', caseId, 'LinkRecordToCase', { caseId, recordType: 'victim-referral', recordId: referralId }, HSI);
    await write('victim-referral', referralId, 'UpdateVictimContact', { referralId, phone: '+1 504 555 0177', preferredLanguages: ['es'] }, HSI);
    await relayNew();
    const sheriffCases = 'crescent.out.st-bernard-sheriff.cases.v1';
    const sheriffReferrals = 'crescent.out.st-bernard-sheriff.victim-referrals.v2';
    expect(published.some((message) => message.topic === sheriffReferrals && message.key === referralId)).toBe(true);
    expect(published.some((message) => message.topic === sheriffCases && message.key === caseId)).toBe(true);

    await write('case', caseId, 'RemoveCaseTeamMember', { caseId, agencyId: SHERIFF.agencyId }, HSI);
    await relayNew();
    expect(retractions(sheriffCases).map((message) => JSON.parse(message.value!))).toEqual([{ recordType: 'case', recordId: caseId }]);
    expect(retractions(sheriffReferrals).map((message) => JSON.parse(message.value!))).toEqual([{ recordType: 'victim-referral', recordId: referralId }]);
    expect(published.filter((message) => message.topic.startsWith('crescent.out.hsi-new-orleans.') && message.headers.ce_type === 'crescent.RecordRetracted.v1')).toEqual([]);
  });

  it('takes back from a holder whose delivery is still being recorded when the next batch comes, and moves the checkpoint only past what is on record', async () => {
    // The ledger holds every write until released: the sealing's batch is projected while the arrest's rows are not in the ledger yet.
    let release = () => undefined as void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const heldLedger = Object.assign(Object.create(ledger) as DisclosureLedger, { record: async (...args: Parameters<DisclosureLedger['record']>) => (await released, ledger.record(...args)) });
    const pipelined = new FeedRelay({ ...relayDependencies, ledger: heldLedger });
    const seeded = (await store.readAll(undefined, 10_000)).at(-1)!.position;
    const arrestId = randomUUID();
    await write('arrest-record', arrestId, 'RecordArrest', { ...ARREST_IN_ORLEANS, arrestRecordId: arrestId }, SHERIFF);
    const following = pipelined.follow(deliveries, seeded);
    const HSI_ARRESTS = 'crescent.out.hsi-new-orleans.arrest-records.v1';
    await eventually(() => published.some((message) => message.topic === HSI_ARRESTS && message.headers.ce_type === 'crescent.ArrestRecorded.v1'));
    await write('arrest-record', arrestId, 'SealArrestRecord', { arrestRecordId: arrestId, courtOrderReference: '34th JDC 2026-77' }, SHERIFF);
    await eventually(() => retractions(HSI_ARRESTS).length > 0);
    expect(await relayDependencies.checkpoints.load('relay')).toBe(seeded);

    release();
    await following.stop();
    const head = (await store.readAll(undefined, 10_000)).at(-1)!.position;
    expect(await relayDependencies.checkpoints.load('relay')).toBe(head);
    expect(retractions(HSI_ARRESTS).map((message) => message.key)).toEqual([arrestId]);
    const recorded = (await ledger.byRecord('arrest-record', arrestId)).filter((row) => row.entry.recipientAgencyId === HSI.agencyId).map((row) => row.entry.kind);
    expect(recorded).toEqual(['delivery', 'retraction']);
    expect(await ledger.verify()).toMatchObject({ ok: true });
  });

  it('gives a retraction the same id when its batch is relayed again, and another to each recipient', async () => {
    const { arrestId, cause } = await arrestLinkedToCaseThenSealed();
    const arrest = { recordType: 'arrest-record', recordId: arrestId } as const;
    const once = deliveries.retract({ ...arrest, heldIn: arrest }, ['hsi-new-orleans', 'st-bernard-sheriff'], cause.id);
    const again = deliveries.retract({ ...arrest, heldIn: arrest }, ['hsi-new-orleans', 'st-bernard-sheriff'], cause.id);

    const ids = (relayed: typeof once) => relayed.messages.map((message) => message.headers.ce_id);
    expect(ids(again)).toEqual(ids(once));
    expect(new Set(ids(once)).size).toBe(2);
    expect(once.disclosures.map((entry) => entry.eventId)).toEqual(ids(once));
  });

  it('takes back the case link that names a sealed arrest record from each agency that received it, on its case topic, naming it as the link did', async () => {
    const { arrestId, caseId } = await arrestLinkedToCaseThenSealed();
    const [linkDelivered] = published.filter((message) => message.topic === 'crescent.out.st-bernard-sheriff.cases.v1' && message.headers.ce_type === 'crescent.RecordLinkedToCase.v1');
    const linkedAs = JSON.parse(linkDelivered.value).recordId;
    // The sheriff's case policy pseudonymizes the linked record's id: the retraction must not undo that.
    expect(linkedAs).toMatch(/^k1:/);

    const holders = (await ledger.byRecord('case', caseId)).map((row) => row.entry);
    const linkHolders = [...new Set(holders.filter((entry) => entry.kind === 'delivery').map((entry) => entry.recipientAgencyId))];
    expect(linkHolders).toEqual(['st-bernard-sheriff']);
    const [link] = retractions('crescent.out.st-bernard-sheriff.cases.v1');
    expect(link).toMatchObject({ key: caseId, headers: { ce_subject: caseId } });
    expect(JSON.parse(link.value)).toEqual({ recordType: 'arrest-record', recordId: linkedAs });
    expect(JSON.stringify(link)).not.toContain(arrestId);
    expect(retractions('crescent.out.st-bernard-sheriff.cases.v1')).toHaveLength(1);
    expect(retractions('crescent.out.hsi-new-orleans.cases.v1')).toEqual([]);
    expect(holders.filter((entry) => entry.kind === 'retraction')).toEqual([
      expect.objectContaining({ recipientAgencyId: 'st-bernard-sheriff', recordType: 'case', recordId: caseId, eventId: link.headers.ce_id }),
    ]);
    expect(await ledger.verify()).toMatchObject({ ok: true });
  });

  it('sends a referral whole, as one snapshot, to an agency a consent recorded after it names, with what the consent now grants', async () => {
    const referralId = await referralTheSheriffHolds();
    const consentId = randomUUID();
    const referral = { status: 'submitted', originatorAgencyId: HSI.agencyId, record: { referredToAgencyId: SHELTER.agencyId } };
    await write('consent', consentId, 'RecordConsent', {
      consentId, referralId, victimIsMinor: false, recipientAgencyIds: [SHERIFF.agencyId], purposes: ['investigation'],
      fields: ['victim.givenName'], written: true, informed: true, expiresAt: new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString(), referral, maxDays: 365,
    }, SHELTER);
    await relayNew();

    const [snapshot, ...more] = snapshots(SHERIFF_REFERRALS);
    expect(more).toEqual([]);
    expect(snapshot).toMatchObject({ key: referralId, headers: { ce_subject: referralId, ce_dataschema: 'urn:crescent:schema:RecordSnapshot:1', ce_recordversion: '1' } });
    expect(JSON.parse(snapshot.value)).toMatchObject({ recordType: 'victim-referral', recordId: referralId });
    const [submitted, ...later] = snapshotEvents(snapshot);
    expect(later).toEqual([]);
    expect(submitted.type).toBe('crescent.VictimReferralSubmitted.v2');
    // The sheriff's policy (docs/policies.md): the victim's given name now under her consent, her family name still not; her birth date as an age band.
    expect(Object.keys(submitted.data.victim as object).sort()).toEqual(['dateOfBirth', 'givenName']);
    expect(submitted.data.victim).toMatchObject({ givenName: REFERRAL_CONTENT.victim.givenName });
    expect(submitted.data.foundAt).toBe('St. Bernard');
    expect(snapshot.value).not.toContain(REFERRAL_CONTENT.victim.familyName);
    // Only the agencies the consent names.
    expect(published.filter((message) => message.headers.ce_type === 'crescent.RecordSnapshot.v1' && message.topic !== SHERIFF_REFERRALS)).toEqual([]);
    const entries = (await ledger.byRecord('victim-referral', referralId)).map((row) => row.entry).filter((entry) => entry.kind === 'snapshot');
    expect(entries).toEqual([expect.objectContaining({ recipientAgencyId: SHERIFF.agencyId, eventId: snapshot.headers.ce_id, consentIds: [consentId] })]);
    expect(entries[0].disclosedFields).toContain('victim.givenName');
    expect(entries[0].disclosedFields).not.toContain('victim.familyName');
  });

  it('backfills a subscription that asks for it with each record it matches, as one snapshot at its pinned version; one that does not ask gets none', async () => {
    const inStBernard = await referralTheSheriffHolds();
    await referralTheSheriffHasNoNeedToKnow();
    published.length = 0;

    const terms = { agencyId: SHERIFF.agencyId, recordType: 'victim-referral', schemaVersion: 1, filters: {} };
    await write('subscription', 'sheriff-without-backfill', 'CreateSubscription', { ...terms, subscriptionId: 'sheriff-without-backfill' }, ADMIN);
    await relayNew();
    expect(published).toEqual([]);

    await write('subscription', 'sheriff-backfilled', 'CreateSubscription', { ...terms, subscriptionId: 'sheriff-backfilled', backfill: true }, ADMIN);
    await relayNew();
    // Orleans is not the sheriff's parish, and it is on no team of that case: no need to know (28 CFR 23.20(e)).
    expect(published.map((message) => [message.topic, message.key, message.headers.ce_type])).toEqual([
      ['crescent.out.st-bernard-sheriff.victim-referrals.v1', inStBernard, 'crescent.RecordSnapshot.v1'],
    ]);
    const [submitted] = snapshotEvents(published[0]);
    expect(submitted.type).toBe('crescent.VictimReferralSubmitted.v1');
  });

  it('takes back what a narrowed policy no longer gives and sends each record again as it stands; a widened one only sends it again', async () => {
    const referralId = await referralTheSheriffHolds();
    await republishSheriffPolicy((rules) => rules.filter((rule) => rule.path !== 'needs'));
    expect(published.map((message) => [message.key, message.headers.ce_type])).toEqual([
      [referralId, 'crescent.RecordRetracted.v1'],
      [referralId, 'crescent.RecordSnapshot.v1'],
    ]);
    expect(snapshotEvents(published[1])[0].data).not.toHaveProperty('needs');
    expect(snapshotEvents(published[1])[0].data).toMatchObject({ referralId });
    published.length = 0;

    // The demo policy again: `needs` comes back as a plain include.
    await republishSheriffPolicy((rules) => rules);
    expect(published.map((message) => [message.key, message.headers.ce_type])).toEqual([[referralId, 'crescent.RecordSnapshot.v1']]);
    expect(snapshotEvents(published[0])[0].data).toMatchObject({ referralId, needs: REFERRAL_CONTENT.needs });
  });

  it('takes back every record a subscription brought when it ends, and sends nothing more', async () => {
    const referralId = await referralTheSheriffHolds();
    await write('subscription', 'st-bernard-sheriff-victim-referral', 'EndSubscription', { subscriptionId: 'st-bernard-sheriff-victim-referral' }, ADMIN);
    await relayNew();
    expect(published.map((message) => [message.topic, message.key, message.headers.ce_type])).toEqual([[SHERIFF_REFERRALS, referralId, 'crescent.RecordRetracted.v1']]);
    expect(JSON.parse(published[0].value)).toEqual({ recordType: 'victim-referral', recordId: referralId });
    expect(published[0].headers.ce_id).toMatch(UUID);
  });

  it("sends the records a parish added to an agency's jurisdiction gives it a need to know; a parish dropped takes back what it holds, and sends again what it still may keep", async () => {
    const inStBernard = await referralTheSheriffHolds();
    const inOrleans = await referralTheSheriffHasNoNeedToKnow();
    published.length = 0;

    await write('agency', SHERIFF.agencyId, 'SetAgencyJurisdiction', { agencyId: SHERIFF.agencyId, jurisdiction: ['St. Bernard', 'Orleans'] }, ADMIN);
    await relayNew();
    expect(published.map((message) => [message.topic, message.key, message.headers.ce_type])).toEqual([[SHERIFF_REFERRALS, inOrleans, 'crescent.RecordSnapshot.v1']]);
    published.length = 0;

    await write('agency', SHERIFF.agencyId, 'SetAgencyJurisdiction', { agencyId: SHERIFF.agencyId, jurisdiction: ['Orleans'] }, ADMIN);
    await relayNew();
    const keys = (messages: BusMessage[]) => messages.map((message) => message.key).sort();
    expect(keys(retractions(SHERIFF_REFERRALS))).toEqual([inStBernard, inOrleans].sort());
    expect(keys(snapshots(SHERIFF_REFERRALS))).toEqual([inOrleans]);
    // The demo's joint case is in Orleans with the sheriff on its team: taken back with the rest, and sent again.
    const sheriffCases = 'crescent.out.st-bernard-sheriff.cases.v1';
    expect(keys(retractions(sheriffCases))).toHaveLength(1);
    expect(keys(snapshots(sheriffCases))).toEqual(keys(retractions(sheriffCases)));
  });

  it("sends a partner added to a case's team the case and what is linked to it, as they stand, when it had no need to know them before", async () => {
    const referralId = await referralTheSheriffHasNoNeedToKnow();
    const caseId = randomUUID();
    await write('case', caseId, 'OpenCase', { caseId, title: 'Operation Lafitte', parish: 'Orleans', leadInvestigator: { name: 'SA Dana Example', badgeNumber: 'HSI-4471', phone: '+1 504 555 0199' } }, HSI);
    await write('case', caseId, 'LinkRecordToCase', { caseId, recordType: 'victim-referral', recordId: referralId }, HSI);
    await relayNew();
    expect(published.filter((message) => message.topic.startsWith('crescent.out.st-bernard-sheriff.'))).toEqual([]);
    published.length = 0;

    await write('case', caseId, 'AddCaseTeamMember', { caseId, agencyId: SHERIFF.agencyId }, HSI);
    await relayNew();
    const sheriffCases = 'crescent.out.st-bernard-sheriff.cases.v1';
    const [caseSnapshot, ...moreCases] = snapshots(sheriffCases);
    expect(moreCases).toEqual([]);
    expect(caseSnapshot.key).toBe(caseId);
    const caseEvents = snapshotEvents(caseSnapshot);
    expect(caseEvents[0]).toMatchObject({ type: 'crescent.CaseOpened.v1', data: { caseId, title: 'Operation Lafitte' } });
    expect(snapshots(SHERIFF_REFERRALS).map((message) => message.key)).toEqual([referralId]);
    expect(snapshots('crescent.out.hsi-new-orleans.cases.v1')).toEqual([]);
  });
});
