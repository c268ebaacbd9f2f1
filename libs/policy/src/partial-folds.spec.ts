import fc from 'fast-check';
import { CONSENT_PURPOSES, GuardianRelationship, RecordEvent } from '@crescent/domain';
import {
  agencyCredentialRotated,
  agencyJurisdictionSet,
  agencyRegistered,
  agencyReinstated,
  agencyRevoked,
  agencySuspended,
  arresteeRelationshipRecorded,
  arrestRecorded,
  arrestRecordSealed,
  caseOpened,
  consentRecorded,
  recordLinkedToCase,
  referralAcknowledged,
  referralCorrected,
  referralSubmitted,
  sharingPolicyPublished,
  subscriptionCreated,
  subscriptionEnded,
  subscriptionPaused,
  subscriptionResumed,
} from '@crescent/domain/testing';
import { matterLinksOf, referralMatterState, referralStatusReleasedTo } from './consent-evaluation';
import { DIRECTORY_EVENT_TYPES, DisclosureState, evolveDisclosureState, initialDisclosureState } from './disclosure-state';
import { feedEventOf } from './testing/feed';

/**
 * The agency directory folds only some event types of the feed, and intake reads a referral's matter
 * record by record; these check both against the whole feed's fold, the reference, on random feeds:
 * the directory's own parts, and the VAWA status release (`versionsSeenBy`).
 */
const RUNS = 5_000;
const NOW_MS = Date.parse('2026-11-02T14:30:00.000Z');
const AGENCY_IDS = ['hsi-new-orleans', 'st-bernard-sheriff', 'bayou-haven-shelter', 'orleans-parish-da'];
const REFERRALS = ['ref-a', 'ref-b'];
const ARRESTS = ['arrest-a', 'arrest-b'];
const CASES = ['case-a'];
const CONSENTS = ['consent-a', 'consent-b', 'consent-c'];

const withData = <E extends RecordEvent>(event: E, data: Partial<E['data']>): E => ({ ...event, data: { ...event.data, ...data } });
const relationship = fc.constantFrom<GuardianRelationship>('aunt', 'mother');
/** Mostly true: a consent that would count but for its guardian is the case the matter decides. */
const mostly = fc.constantFrom(true, true, true, false);

const referralEvent = fc.oneof(
  fc.record({ referralId: fc.constantFrom(...REFERRALS), minor: fc.boolean() }).map(({ referralId, minor }) => withData(referralSubmitted({ referralId }, minor), {})),
  fc.record({ referralId: fc.constantFrom(...REFERRALS), minor: fc.boolean() }).map(({ referralId, minor }) => referralCorrected({ referralId }, minor)),
  fc.constantFrom(...REFERRALS).map((referralId) => withData(referralAcknowledged(), { referralId })),
);

const consentEvent = fc.oneof(
  fc
    .record({
      consentId: fc.constantFrom(...CONSENTS),
      referralId: fc.constantFrom(...REFERRALS),
      recipientAgencyIds: fc.subarray(AGENCY_IDS, { minLength: 1 }),
      purposes: fc.subarray([...CONSENT_PURPOSES], { minLength: 1 }),
      fields: fc.constantFrom(['status'], ['status', 'victim.phone'], ['victim.phone']),
      written: mostly,
      inForce: mostly,
      victimIsMinor: fc.boolean(),
      guardian: fc.option(relationship, { nil: undefined, freq: 4 }),
    })
    .map(({ inForce, guardian, ...details }) =>
      consentRecorded({
        ...details,
        expiresAt: inForce ? '2027-05-03T00:00:00.000Z' : '2026-11-01T00:00:00.000Z',
        guardian: guardian === undefined ? undefined : { name: 'Rosa Example', relationship: guardian },
      }),
    ),
  fc.constantFrom(...CONSENTS).map((consentId): RecordEvent => {
    const { metadata } = consentRecorded();
    return { type: 'ConsentRevoked', data: { consentId, reason: 'She asked', revokedAt: '2026-11-02T10:00:00.000Z' }, metadata };
  }),
);

const matterEvent = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .record({ arrestRecordId: fc.constantFrom(...ARRESTS), victimReferralIds: fc.subarray(REFERRALS), relationshipToVictim: fc.option(relationship, { nil: undefined }) })
      .map(({ arrestRecordId, victimReferralIds, relationshipToVictim }) =>
        arrestRecorded({ arrestRecordId, victimReferralIds, arrestee: { givenName: 'John', familyName: 'Doe', dateOfBirth: '1981-07-09', ...(relationshipToVictim ? { relationshipToVictim } : {}) } }),
      ),
  },
  { weight: 2, arbitrary: fc.record({ arrestRecordId: fc.constantFrom(...ARRESTS), relationship }).map(({ arrestRecordId, relationship: found }) => arresteeRelationshipRecorded(found, arrestRecordId)) },
  { weight: 1, arbitrary: fc.constantFrom(...ARRESTS).map((arrestRecordId) => withData(arrestRecordSealed(), { arrestRecordId })) },
  { weight: 2, arbitrary: fc.constantFrom(...CASES).map((caseId) => withData(caseOpened(), { caseId })) },
  {
    weight: 4,
    arbitrary: fc
      .record({ caseId: fc.constantFrom(...CASES), referral: fc.boolean(), referralId: fc.constantFrom(...REFERRALS), arrestRecordId: fc.constantFrom(...ARRESTS) })
      .map(({ caseId, referral, referralId, arrestRecordId }) =>
        withData(referral ? recordLinkedToCase('victim-referral', referralId) : recordLinkedToCase('arrest-record', arrestRecordId), { caseId }),
      ),
  },
);

const directoryEvent = fc.constantFrom<RecordEvent>(
  agencyRegistered(),
  agencyCredentialRotated(),
  agencySuspended(),
  agencyReinstated(),
  agencyRevoked(),
  agencyJurisdictionSet(),
  sharingPolicyPublished(),
  sharingPolicyPublished(2, { policyId: 'other-policy' }),
  subscriptionCreated(),
  subscriptionPaused(),
  subscriptionResumed(),
  subscriptionEnded(),
);

const CREATIONS = new Set(['VictimReferralSubmitted', 'ConsentRecorded', 'ArrestRecorded', 'CaseOpened']);
const CREATED_RECORD_TYPES = new Set(['victim-referral', 'consent', 'arrest-record', 'case']);

/**
 * The events a store could hold in that order: a record is created once, by its first event, and
 * changed or linked only once it exists (each decider refuses the rest). The directory's fixtures
 * are left as they come: their fold ignores a change to an agency or subscription it does not know.
 */
function asStored(events: readonly RecordEvent[]): RecordEvent[] {
  const created = new Set<string>();
  return events.filter((event) => {
    const { recordType, recordId } = feedEventOf(event);
    const key = `${recordType}/${recordId}`;
    if (!CREATED_RECORD_TYPES.has(recordType)) return true;
    if (CREATIONS.has(event.type)) return created.has(key) ? false : (created.add(key), true);
    if (!created.has(key)) return false;
    return event.type !== 'RecordLinkedToCase' || created.has(`${event.data.recordType}/${event.data.recordId}`);
  });
}

const feed = fc.array(fc.oneof(referralEvent, consentEvent, matterEvent, directoryEvent), { maxLength: 30, size: 'max' }).map(asStored);
/** A victim's matter alone: the directory's events decide no status release. */
const matterFeed = fc.array(fc.oneof({ weight: 1, arbitrary: referralEvent }, { weight: 2, arbitrary: consentEvent }, { weight: 4, arbitrary: matterEvent }), { maxLength: 40, size: 'max' }).map(asStored);

const fold = (events: readonly RecordEvent[], from: DisclosureState = initialDisclosureState) =>
  events.reduce((state, event) => evolveDisclosureState(state, feedEventOf(event)), from);
const ofTypes = (events: readonly RecordEvent[], types: readonly string[]) => events.filter((event) => types.includes(event.type));
const sorted = (entries: readonly (readonly [string, unknown])[]) => [...entries].sort(([a], [b]) => a.localeCompare(b));

function check(name: string, property: fc.IProperty<[RecordEvent[]]>): void {
  fc.assert(property, { numRuns: RUNS });
  process.stdout.write(`property "${name}": ${RUNS} cases\n`);
}

describe("the directory's partial folds against the whole feed's", () => {
  it('holds the agencies, their credentials, the policies and the subscriptions as the whole fold does, from DIRECTORY_EVENT_TYPES alone', () => {
    check(
      'directory parts',
      fc.property(feed, (events) => {
        const whole = fold(events);
        const directory = fold(ofTypes(events, DIRECTORY_EVENT_TYPES));
        for (const part of ['agencies', 'agencyIdByCredential', 'policies', 'policyIndex', 'subscriptions'] as const) {
          expect(sorted(directory[part].entries())).toEqual(sorted(whole[part].entries()));
        }
      }),
    );
  });

  it("answers whether a referral's status is released to each agency as the whole fold does, from the directory, her own stream and the records of her matter", async () => {
    await fc.assert(
      fc.asyncProperty(matterFeed, fc.constantFrom(...REFERRALS), async (events, referralId) => {
        const whole = fold(events);
        const feedEvents = events.map(feedEventOf);
        const ofRecord = (recordType: string, recordId: string) => feedEvents.filter((feedEvent) => feedEvent.recordType === recordType && feedEvent.recordId === recordId);
        const links = feedEvents.flatMap(matterLinksOf).filter((link) => link.referralId === referralId);
        const intake = await referralMatterState(fold(ofTypes(events, DIRECTORY_EVENT_TYPES)), ofRecord('victim-referral', referralId), links, async (recordType, recordId) => ofRecord(recordType, recordId));
        for (const agencyId of AGENCY_IDS) {
          expect({ referralId, agencyId, released: referralStatusReleasedTo(intake, referralId, agencyId, NOW_MS) }).toEqual({
            referralId,
            agencyId,
            released: referralStatusReleasedTo(whole, referralId, agencyId, NOW_MS),
          });
        }
      }),
      { numRuns: RUNS },
    );
    process.stdout.write(`property "referral status release": ${RUNS} cases\n`);
  });

  it('meets, in its random feeds, releases, refusals, and refusals that only an arrest of the guardian in the matter makes, directly or by a case', () => {
    const released = (events: readonly RecordEvent[]) => {
      const state = fold(events);
      return REFERRALS.flatMap((referralId) => AGENCY_IDS.map((agencyId) => referralStatusReleasedTo(state, referralId, agencyId, NOW_MS)));
    };
    const without = (events: readonly RecordEvent[], types: readonly string[]) => events.filter((event) => !types.includes(event.type));
    const counts = { released: 0, refused: 0, refusedForAnArrest: 0, refusedForACase: 0 };
    for (const events of fc.sample(matterFeed, { numRuns: 2_000, seed: 7 })) {
      const [whole, noArrests, noCaseLinks] = [released(events), released(without(events, ['ArrestRecorded'])), released(without(events, ['RecordLinkedToCase']))];
      whole.forEach((answer, at) => {
        counts[answer ? 'released' : 'refused'] += 1;
        if (!answer && noArrests[at]) counts.refusedForAnArrest += 1;
        if (!answer && noCaseLinks[at]) counts.refusedForACase += 1;
      });
    }
    expect(counts.released).toBeGreaterThan(100);
    expect(counts.refused).toBeGreaterThan(100);
    expect(counts.refusedForAnArrest).toBeGreaterThan(20);
    expect(counts.refusedForACase).toBeGreaterThan(10);
  });
});
