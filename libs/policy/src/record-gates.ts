import {
  Agency,
  IMMIGRATION_CONFIDENTIALITY_EVENT_TYPES,
  isCriminalJustice,
  REFERRAL_STATUS_CONSENT_FIELD,
  RecordEvent,
  SharableRecordType,
  VICTIM_SERVICE_EVENT_TYPES,
  withinImmigrationConfidentiality,
} from '@crescent/domain';
import { ActiveConsents, consentCovering } from './consent-evaluation';
import { DisclosureState, normalizedName, RecordFacts } from './disclosure-state';
import { STATUTE, StatuteName } from './statute';

/**
 * The statutory rules that decide whether a recipient receives anything at all of an event, before
 * any field is looked at: the statute (or rule) that withholds the whole event, or undefined.
 */
export function wholeEventRefusal(
  recordType: SharableRecordType,
  event: RecordEvent,
  facts: RecordFacts,
  recipient: Agency,
  state: DisclosureState,
  run: RecipientFacts,
): StatuteName | undefined {
  // Asked for every recipient of every event, and most events pass every gate: each gate tests the
  // cheap facts (a flag, a kind) before the event type's set lookup, which is the same answer in any order.
  if (run.outsideImmigration && (concernsBarredPerson(recordType, event, facts, recipient, state) || IMMIGRATION_EVENT_TYPES.has(event.type))) {
    return STATUTE.immigrationRelief;
  }
  const { metadata } = event;
  if (metadata.agencyKind === 'victim-service-provider' && metadata.agencyId !== recipient.id && SERVICE_EVENT_TYPES.has(event.type) && !statusReleased(facts, run)) {
    return STATUTE.vawa;
  }
  if (recordType !== 'consent' && isCriminalJustice(recipient.kind) && !needToKnow(facts, recipient, state)) return STATUTE.needToKnow;
  return undefined;
}

/** What a projection knows of its recipient before the gates: worked out once per projection. */
export interface RecipientFacts {
  /** Outside DHS, DOJ and State: where 8 U.S.C. 1367 bars what relates to a protected person. */
  readonly outsideImmigration: boolean;
  consentsOf(referralId: string): ActiveConsents;
}

const IMMIGRATION_EVENT_TYPES: ReadonlySet<string> = new Set(IMMIGRATION_CONFIDENTIALITY_EVENT_TYPES);
const SERVICE_EVENT_TYPES: ReadonlySet<string> = new Set(VICTIM_SERVICE_EVENT_TYPES);

/**
 * 8 U.S.C. 1367(a)(2): any information relating to a protected person stays inside DHS, DOJ and State
 * unless an exception names the recipient ((b)(7), (b)(2)) or she waived it ((b)(4)). A referral and
 * the consents for it relate to her whole; so does a case's link to her referral. An arrest record is
 * the arrestee's: only its references to her referral are hers (`immigrationWithheld`).
 */
function concernsBarredPerson(recordType: SharableRecordType, event: RecordEvent, facts: RecordFacts, recipient: Agency, state: DisclosureState): boolean {
  switch (recordType) {
    case 'victim-referral':
      return barredFrom(facts, recipient);
    case 'consent':
      return immigrationBarred(state, facts.victimReferralIds, recipient);
    case 'case':
      return event.type === 'RecordLinkedToCase' && event.data.recordType === 'victim-referral' && immigrationBarred(state, [event.data.recordId], recipient);
    case 'arrest-record':
      return false;
  }
}

/** Whether 1367 bars this recipient from what relates to any of these referrals' victims. */
export function immigrationBarred(state: DisclosureState, referralIds: readonly string[], recipient: Agency): boolean {
  if (withinImmigrationConfidentiality(recipient)) return false;
  return referralIds.some((referralId) => {
    const referral = state.records.getJoined('victim-referral', '/', referralId);
    return referral !== undefined && barredFrom(referral, recipient);
  });
}

/** A protected referral's victim, to a recipient outside DHS, DOJ and State that no exception names. */
function barredFrom(referral: RecordFacts, recipient: Agency): boolean {
  return referral.immigrationProtected && !referral.immigrationWaived && !referral.immigrationExceptionRecipientIds.includes(recipient.id);
}

/** VAWA: a provider's service events reach a recipient only under every victim's consent naming it for her referral's status. */
function statusReleased(facts: RecordFacts, consents: { consentsOf(referralId: string): ActiveConsents }): boolean {
  return facts.victimReferralIds.length > 0 && facts.victimReferralIds.every((referralId) => consentCovering(consents.consentsOf(referralId), REFERRAL_STATUS_CONSENT_FIELD) !== undefined);
}

/** Whether the agency may hold the record now under 28 CFR 23.20(e) (an agency that is not a criminal justice one: no such bar). */
export function needToKnowHolds(state: DisclosureState, recordType: SharableRecordType, recordId: string, recipient: Agency): boolean {
  const facts = state.records.getJoined(recordType, '/', recordId);
  return facts === undefined || !isCriminalJustice(recipient.kind) || needToKnow(facts, recipient, state);
}

/**
 * 28 CFR 23.20(e): a criminal justice agency receives a record when it happened in its jurisdiction,
 * it is addressed to it, or a case the record belongs to is in its jurisdiction or has it on its team.
 */
function needToKnow(facts: RecordFacts, recipient: Agency, state: DisclosureState): boolean {
  const served = servedParishes(recipient.jurisdiction);
  // A parish spelled as the jurisdiction spells it (or as it normalizes) is served without normalizing it again.
  const inJurisdiction = (parish: string | undefined) => parish !== undefined && (served.has(parish) || served.has(normalizedName(parish)));
  if (inJurisdiction(facts.parish) || facts.addressees.includes(recipient.id)) return true;
  return facts.caseIds.some((caseId) => {
    const found = state.records.getJoined('case', '/', caseId);
    return found !== undefined && (inJurisdiction(found.parish) || found.originatorAgencyId === recipient.id || found.team.includes(recipient.id));
  });
}

/** Each jurisdiction (an unchanging list in the state) as given and normalized, worked out once, not on every record it is asked about. */
const servedByJurisdiction = new WeakMap<readonly string[], ReadonlySet<string>>();

function servedParishes(jurisdiction: readonly string[]): ReadonlySet<string> {
  let served = servedByJurisdiction.get(jurisdiction);
  if (!served) servedByJurisdiction.set(jurisdiction, (served = new Set([...jurisdiction, ...jurisdiction.map(normalizedName)])));
  return served;
}
