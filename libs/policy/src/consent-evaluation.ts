import { CONSENT_PURPOSES, ConsentPurpose, REFERRAL_STATUS_CONSENT_FIELD } from '@crescent/domain';
import { ConsentFacts, DisclosureState, normalizedName, recordKey } from './disclosure-state';
import { isAtOrUnder } from './statute';

/** The consents of one victim that are in force for one recipient and purpose at one moment of the feed. */
export interface ActiveConsents {
  readonly consents: readonly ConsentFacts[];
  /** A consent would have counted but for a minor's missing or suspect guardian. */
  readonly refusedForGuardian: boolean;
}

/**
 * In force: names the recipient, covers the purpose, written and informed, not expired at `nowMs`,
 * not revoked; for a minor, given with a guardian who is not an arrestee in the victim's records.
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

function hasNonSuspectGuardian(state: DisclosureState, consent: ConsentFacts, referralId: string): boolean {
  const guardianName = consent.guardian?.name;
  if (!guardianName?.trim()) return false;
  return !arresteeNamesOf(state, referralId).has(normalizedName(guardianName));
}

/**
 * The consents of these referrals that counted with their guardian before an event and no longer do
 * after it: the guardian became a suspect (an arrest naming the victim, or linked to her case). What
 * was delivered under them is taken back.
 */
export function consentsLosingTheirGuardian(before: DisclosureState, after: DisclosureState, referralIds: readonly string[]): ConsentFacts[] {
  return referralIds.flatMap((referralId) =>
    (after.consentIdsByReferral.get(referralId) ?? []).flatMap((consentId) => {
      const consent = after.consents.get(consentId);
      const minor = consent?.victimIsMinor || after.records.get(recordKey('victim-referral', referralId))?.victimIsMinor === true;
      if (!consent || consent.revoked || !minor) return [];
      return hasNonSuspectGuardian(before, consent, referralId) && !hasNonSuspectGuardian(after, consent, referralId) ? [consent] : [];
    }),
  );
}

/** Everyone arrested in the victim's matter: arrests naming the referral, and arrests linked to a case that links it. */
export function arresteeNamesOf(state: DisclosureState, referralId: string): Set<string> {
  const arrestIds = new Set(state.arrestIdsByReferral.get(referralId) ?? []);
  for (const caseId of state.caseIdsByReferral.get(referralId) ?? []) {
    for (const arrestId of state.records.get(recordKey('case', caseId))?.linkedArrestIds ?? []) arrestIds.add(arrestId);
  }
  const names = new Set<string>();
  for (const arrestId of arrestIds) {
    const name = state.records.get(recordKey('arrest-record', arrestId))?.arresteeName;
    if (name) names.add(name);
  }
  return names;
}

/** Whether a consent in force at `nowMs`, for any purpose, names the agency for the referral's status updates (VAWA). */
export function referralStatusReleasedTo(state: DisclosureState, referralId: string, agencyId: string, nowMs: number): boolean {
  return CONSENT_PURPOSES.some((purpose) => consentCovering(activeConsents(state, referralId, agencyId, purpose, nowMs), REFERRAL_STATUS_CONSENT_FIELD) !== undefined);
}
