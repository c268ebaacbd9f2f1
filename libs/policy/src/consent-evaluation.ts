import { CONSENT_PURPOSES, ConsentPurpose, GuardianRelationship, RecordEvent, REFERRAL_STATUS_CONSENT_FIELD } from '@crescent/domain';
import { ConsentFacts, DisclosureState, evolveDisclosureState, FeedEvent, recordKey } from './disclosure-state';
import { isAtOrUnder } from './statute';

/** The consents of one victim that are in force for one recipient and purpose at one moment of the feed. */
export interface ActiveConsents {
  readonly consents: readonly ConsentFacts[];
  /** A consent would have counted but for a minor's missing or suspect guardian. */
  readonly refusedForGuardian: boolean;
}

/**
 * In force: names the recipient, covers the purpose, written and informed, not expired at `nowMs`,
 * not revoked; for a minor, given with a guardian whose relationship to her no arrest in her matter
 * records as the arrestee's (34 U.S.C. 12291(b)(2): the guardian may not be her abuser).
 */
export function activeConsents(
  state: DisclosureState,
  referralId: string,
  recipientAgencyId: string,
  purpose: ConsentPurpose,
  nowMs: number,
): ActiveConsents {
  const consents: ConsentFacts[] = [];
  let refusedForGuardian = false;
  for (const consentId of state.consentIdsByReferral.get(referralId) ?? []) {
    const consent = state.consents.get(consentId);
    if (!consent || consent.revoked || !consent.writtenAndInformed || !(consent.expiresAtMs > nowMs)) continue;
    if (!consent.recipientAgencyIds.has(recipientAgencyId) || !consent.purposes.has(purpose)) continue;
    const minor = consent.victimIsMinor || state.records.get(recordKey('victim-referral', referralId))?.victimIsMinor === true;
    if (minor && !hasNonSuspectGuardian(state, consent, referralId)) {
      refusedForGuardian = true;
      continue;
    }
    consents.push(consent);
  }
  return { consents, refusedForGuardian };
}

/** The first consent that covers `path` (a consent field covers itself and everything under it). */
export function consentCovering(active: ActiveConsents, path: string): ConsentFacts | undefined {
  return active.consents.find((consent) => consent.fields.some((field) => isAtOrUnder(path, field)));
}

/** Identity by record: the guardian is a suspect when an arrest in the matter says the arrestee stands to her as the guardian does. */
function hasNonSuspectGuardian(state: DisclosureState, consent: ConsentFacts, referralId: string): boolean {
  const guardian = consent.guardian;
  if (!guardian?.name?.trim() || !guardian.relationship) return false;
  return !suspectRelationshipsOf(state, referralId).has(guardian.relationship);
}

/**
 * The consents that counted with their guardian before a feed event and no longer do after it: an
 * arrest recorded with the relationship, a relationship recorded on an arrest, or a case link that
 * brings such an arrest into the victim's matter. What was delivered under them is taken back.
 */
export function consentsLosingTheirGuardian(before: DisclosureState, after: DisclosureState, feedEvent: FeedEvent): ConsentFacts[] {
  return referralsWhoseMatterChanged(after, feedEvent).flatMap((referralId) =>
    (after.consentIdsByReferral.get(referralId) ?? []).flatMap((consentId) => {
      const consent = after.consents.get(consentId);
      const minor = consent?.victimIsMinor || after.records.get(recordKey('victim-referral', referralId))?.victimIsMinor === true;
      if (!consent || consent.revoked || !minor) return [];
      return hasNonSuspectGuardian(before, consent, referralId) && !hasNonSuspectGuardian(after, consent, referralId) ? [consent] : [];
    }),
  );
}

/** The referrals whose matter an event may have given a suspect relative: the arrest's victims, and those of the cases it is linked to. */
function referralsWhoseMatterChanged(state: DisclosureState, { recordType, recordId, event }: FeedEvent): readonly string[] {
  switch (event.type) {
    case 'ArrestRecorded':
    case 'ArresteeRelationshipRecorded': {
      const arrest = state.records.get(recordKey(recordType, recordId));
      const viaCases = (arrest?.caseIds ?? []).flatMap((caseId) => state.records.get(recordKey('case', caseId))?.victimReferralIds ?? []);
      return [...new Set([...(arrest?.victimReferralIds ?? []), ...viaCases])];
    }
    case 'RecordLinkedToCase':
      return state.records.get(recordKey('case', event.data.caseId))?.victimReferralIds ?? [];
    default:
      return [];
  }
}

/** The relationships to the victim of everyone arrested in her matter: arrests listing the referral, and arrests linked to a case that links it. */
function suspectRelationshipsOf(state: DisclosureState, referralId: string): Set<GuardianRelationship> {
  const arrestIds = new Set(state.arrestIdsByReferral.get(referralId) ?? []);
  for (const caseId of state.caseIdsByReferral.get(referralId) ?? []) {
    for (const arrestId of state.records.get(recordKey('case', caseId))?.linkedArrestIds ?? []) arrestIds.add(arrestId);
  }
  const relationships = new Set<GuardianRelationship>();
  for (const arrestId of arrestIds) {
    const relationship = state.records.get(recordKey('arrest-record', arrestId))?.arresteeRelationship;
    if (relationship) relationships.add(relationship);
  }
  return relationships;
}

/** A record in a referral's matter: her consent, an arrest naming her as a victim, or a case linking her. */
export interface MatterLink {
  readonly referralId: string;
  readonly recordType: 'consent' | 'arrest-record' | 'case';
  readonly recordId: string;
}

/** The events that put a record in a referral's matter (`matterLinksOf`); no other event does. */
export const MATTER_LINK_EVENT_TYPES: readonly RecordEvent['type'][] = ['ConsentRecorded', 'ArrestRecorded', 'RecordLinkedToCase'];

/** The records an event puts in the matter of referrals. */
export function matterLinksOf({ recordId, event }: FeedEvent): MatterLink[] {
  switch (event.type) {
    case 'ConsentRecorded':
      return [{ referralId: event.data.referralId, recordType: 'consent', recordId }];
    case 'ArrestRecorded':
      return event.data.victimReferralIds.map((referralId) => ({ referralId, recordType: 'arrest-record', recordId }));
    case 'RecordLinkedToCase':
      return event.data.recordType === 'victim-referral' ? [{ referralId: event.data.recordId, recordType: 'case', recordId }] : [];
    default:
      return [];
  }
}

/** One record's events, in order. */
export type ReadRecord = (recordType: MatterLink['recordType'], recordId: string) => Promise<readonly FeedEvent[]>;

/**
 * What `referralStatusReleasedTo` turns on for one referral, read record by record instead of folded
 * from the whole feed: `directory` (the agencies), then her own events, then the records of her matter
 * (`links`, read with `read`): her consents, her cases, and the arrests naming her or linked to one of
 * her cases. It answers for her as the whole feed's fold does.
 */
export async function referralMatterState(directory: DisclosureState, referralEvents: readonly FeedEvent[], links: readonly MatterLink[], read: ReadRecord): Promise<DisclosureState> {
  const linked = (recordType: MatterLink['recordType']) => [...new Set(links.filter((link) => link.recordType === recordType).map((link) => link.recordId))];
  const readAll = (recordType: MatterLink['recordType'], recordIds: readonly string[]) => Promise.all(recordIds.map((recordId) => read(recordType, recordId)));
  const [consents, cases] = await Promise.all([readAll('consent', linked('consent')), readAll('case', linked('case'))]);
  const arrestsOfCases = cases.flat().flatMap(({ event }) => (event.type === 'RecordLinkedToCase' && event.data.recordType === 'arrest-record' ? [event.data.recordId] : []));
  const arrests = await readAll('arrest-record', [...new Set([...linked('arrest-record'), ...arrestsOfCases])]);
  return [referralEvents, ...consents, ...cases, ...arrests].flat().reduce(evolveDisclosureState, directory);
}

/** Whether a consent in force at `nowMs`, for any purpose, names the agency for the referral's status updates (VAWA). */
export function referralStatusReleasedTo(state: DisclosureState, referralId: string, agencyId: string, nowMs: number): boolean {
  return CONSENT_PURPOSES.some((purpose) => consentCovering(activeConsents(state, referralId, agencyId, purpose, nowMs), REFERRAL_STATUS_CONSENT_FIELD) !== undefined);
}
