import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ActorKind, CommandMetadata, consentReferralOf, DomainCommand, FederalDepartment, RecordType, VictimReferralState } from '@crescent/domain';
import { EVENT_STORE_MIGRATIONS, EventStore, SqlEventStore } from '@crescent/event-store';
import { DEMO_POLICIES, FieldDecision } from '@crescent/policy';
import { ADMIN_ACTOR, AgencyDirectory, DEMO_AGENCIES, loadConfig, loadRecord, problemFor, pseudonymKeysFrom, seedDemo, writeRecord } from '@crescent/runtime';
import { SqlClient } from '@crescent/sql';
import { feedHeldBack, newTestDatabase, openTestDatabase } from '@crescent/test-support';
import { EXAMPLE_REFERRAL } from '../../../test/e2e/fixtures';
import { PreviewAsOf } from './admin.dto';
import { PolicyPreview } from './policy-preview';

const [hsi, sheriff, shelter] = DEMO_AGENCIES;
const SHERIFF_POLICY = DEMO_POLICIES.find((policy) => policy.policyId === 'sheriff-referrals')!;

/**
 * The sheriff's office is sent a referral's correction while the victim's consent releases her name to
 * it; then she revokes the consent and the admins publish a policy that drops her needs. The preview
 * shows what was sent, and what would be sent now only when asked.
 */
describe('the admin preview of a stored record', () => {
  let store: EventStore;
  let directory: AgencyDirectory;
  const referralId = randomUUID();
  const consentId = randomUUID();

  beforeAll(async () => {
    store = await SqlEventStore.create(await openTestDatabase('sqlite', EVENT_STORE_MIGRATIONS));
    await seedDemo(store);
    // No immigration relief, found in the sheriff's parish: the sheriff has a need to know it.
    const { referredToAgencyId, victimServicesConsent: _consent, ...details } = {
      ...EXAMPLE_REFERRAL,
      referralId,
      immigrationReliefStatus: 'none',
      foundAt: { description: 'Bus station on Judge Perez Drive', parish: 'St. Bernard' },
    };
    await write('victim-referral', referralId, 'SubmitVictimReferral', { ...details, referredToAgencyId }, hsi);
    const expiresAt = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();
    const consent = { consentId, referralId, victimIsMinor: false, recipientAgencyIds: [sheriff.agency.id], purposes: ['investigation'], fields: ['victim.givenName'], written: true, informed: true, expiresAt };
    await write('consent', consentId, 'RecordConsent', { ...consent, referral: await referralLookup(), maxDays: 365 }, shelter);
    await write('victim-referral', referralId, 'CorrectVictimReferral', { ...details, needs: [...details.needs, 'medical'] }, hsi);
    await write('consent', consentId, 'RevokeConsent', { consentId, reason: 'She asked to stop sharing', referral: await referralLookup() }, shelter);
    const rules = SHERIFF_POLICY.rules.filter((rule) => rule.path !== 'needs');
    await writeRecord(store, 'sharing-policy', SHERIFF_POLICY.policyId, { type: 'PublishSharingPolicy', data: { ...SHERIFF_POLICY, rules }, metadata: metadata({ id: ADMIN_ACTOR.agencyId, kind: ADMIN_ACTOR.agencyKind }) });
    directory = await AgencyDirectory.open(store, 'whole feed');
  });

  afterAll(async () => {
    await directory.close();
    await store.close();
  });

  /** A command as the edge stamps it: the acting agency, and now. */
  function metadata(actor: { id: string; kind: ActorKind; department?: FederalDepartment }): CommandMetadata {
    return { agencyId: actor.id, agencyKind: actor.kind, agencyDepartment: actor.department, now: new Date().toISOString(), correlationId: 'policy-preview-test' };
  }

  async function write(recordType: RecordType, recordId: string, type: string, data: unknown, { agency }: (typeof DEMO_AGENCIES)[number]) {
    await writeRecord(store, recordType, recordId, { type, data, metadata: metadata(agency) } as DomainCommand);
  }

  async function referralLookup() {
    return consentReferralOf((await loadRecord(store, 'victim-referral', referralId)).state as VictimReferralState);
  }

  /** The submission and the correction as the sheriff's office is shown them: the policy version, consents and two fields' outcomes. */
  async function previewed(asOf?: PreviewAsOf) {
    const preview = new PolicyPreview(store, directory, pseudonymKeysFrom(loadConfig({ SEED_DEMO: 'true' })));
    const { events } = await preview.preview({ recipientAgencyId: sheriff.agency.id, record: { recordType: 'victim-referral', recordId: referralId }, asOf });
    expect(events.map((event) => event.type)).toEqual(['VictimReferralSubmitted', 'VictimReferralCorrected']);
    const [submission, correction] = events.map((event) => {
      const { policyVersion, consentIds, payload, fields } = event.projection!;
      const outcomeOf = (path: string) => fields.find((field: FieldDecision) => field.path === path)?.outcome;
      return { policyVersion, consentIds, givenName: outcomeOf('victim.givenName'), needs: outcomeOf('needs'), payload };
    });
    return { submission, correction };
  }

  it('shows by default what the recipient was sent: the consent then in force, the policy version then published', async () => {
    const { submission, correction } = await previewed();
    expect(correction).toMatchObject({
      policyVersion: 1,
      consentIds: [consentId],
      givenName: 'included',
      needs: 'included',
      payload: { victim: { givenName: 'Maria' }, needs: ['shelter', 'legal', 'interpreter', 'medical'] },
    });
    // Each event under its own state: the consent came after the submission.
    expect(submission).toMatchObject({ policyVersion: 1, consentIds: [], givenName: 'withheld', needs: 'included' });
  });

  it('shows what would be sent now when asked: the consent revoked, the newer version', async () => {
    const { correction } = await previewed('now');
    expect(correction).toMatchObject({ policyVersion: 2, consentIds: [], givenName: 'withheld', needs: 'withheld' });
    expect(JSON.stringify(correction.payload)).not.toMatch(/Maria|medical/);
  });
});

/**
 * On PostgreSQL the feed holds back what commits while an older transaction, of any session on the
 * server, is still open. A record just stored may be in its stream and not yet in the feed: its
 * preview as sent waits for it a while, rather than fail; past that, it answers 503, to ask again.
 */
describe('the admin preview of a record the feed still holds back', () => {
  const database = newTestDatabase('postgres', EVENT_STORE_MIGRATIONS);
  let store: EventStore;
  let other: SqlClient;
  let directory: AgencyDirectory;
  let preview: PolicyPreview;

  beforeAll(async () => {
    store = await SqlEventStore.create(await database.open());
    other = await database.open();
    await seedDemo(store);
    directory = await AgencyDirectory.open(store, 'whole feed');
    preview = new PolicyPreview(store, directory, pseudonymKeysFrom(loadConfig({ SEED_DEMO: 'true' })));
  });

  afterAll(async () => {
    await directory?.close();
    await other?.close();
    await store?.close();
  });

  /** Stores a referral while another session's transaction, begun before, holds the feed back; answers its id and that transaction. */
  async function storedBehindAnOlderTransaction(): Promise<{ referralId: string; held: { end(): Promise<void> } }> {
    const held = await feedHeldBack(other);
    const referralId = randomUUID();
    const metadata = { agencyId: hsi.agency.id, agencyKind: hsi.agency.kind, now: new Date().toISOString(), correlationId: 'policy-preview-test' };
    await writeRecord(store, 'victim-referral', referralId, { type: 'SubmitVictimReferral', data: { ...EXAMPLE_REFERRAL, referralId }, metadata } as DomainCommand);
    expect(await store.readStream(`victim-referral-${referralId}`)).toHaveLength(1);
    expect(await store.hasCommittedAfter(undefined)).toBe(true);
    return { referralId, held };
  }

  const previewOf = (referralId: string) => preview.preview({ recipientAgencyId: shelter.agency.id, record: { recordType: 'victim-referral', recordId: referralId } });

  it('answers once the older transaction ends', async () => {
    const { referralId, held } = await storedBehindAnOlderTransaction();
    try {
      const answer = previewOf(referralId);
      await sleep(300);
      await held.end();
      expect((await answer).events.map((event) => event.type)).toEqual(['VictimReferralSubmitted']);
    } finally {
      await held.end();
    }
  });

  it('answers 503 PREVIEW.FEED_BEHIND when the older transaction outlasts its wait (5 s), and previews the record once it has ended', async () => {
    const { referralId, held } = await storedBehindAnOlderTransaction();
    try {
      const refused = await previewOf(referralId).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(problemFor(refused)).toMatchObject({ status: 503, code: 'PREVIEW.FEED_BEHIND' });
    } finally {
      await held.end();
    }
    expect((await previewOf(referralId)).events.map((event) => event.type)).toEqual(['VictimReferralSubmitted']);
  });
});
