import { FieldRule, SharingPolicy } from '@crescent/domain';

const include = (...paths: string[]): FieldRule[] => paths.map((path) => ({ path, action: 'include' }));
const drop = (...paths: string[]): FieldRule[] => paths.map((path) => ({ path, action: 'drop' }));

const ARREST_RULES: FieldRule[] = [
  ...include('arrestRecordId', 'arrestee.givenName', 'arrestee.familyName', 'charges', 'arrestingAgencyId', 'recordedAt', 'amendedAt'),
  { path: 'arrestee.dateOfBirth', action: 'generalize', to: 'birth-year' },
  { path: 'bookingNumber', action: 'mask', keepLast: 4 },
  { path: 'arrestedAt', action: 'generalize', to: 'day' },
  { path: 'place', action: 'generalize', to: 'parish' },
  { path: 'victimReferralIds', action: 'pseudonymize' },
];

/**
 * The sharing policies the embedded exchange starts with, for its demo agencies: HSI New Orleans
 * (federal, a DHS component), the St. Bernard sheriff (local) and the Bayou Haven shelter (a victim
 * service provider). docs/policies.md tabulates who receives what under them, and why.
 */
export const DEMO_POLICIES: readonly SharingPolicy[] = [
  {
    policyId: 'shelter-referrals',
    appliesTo: { agencyId: 'bayou-haven-shelter' },
    recordType: 'victim-referral',
    purpose: 'victim-services',
    addresseeOnly: true,
    rules: [
      ...include('referralId', 'referringAgencyId', 'submittedAt'),
      ...include('victim.givenName', 'victim.familyName', 'victim.phone', 'victim.preferredLanguages', 'victim.isMinor', 'needs'),
      // What a shelter needs to serve her family (8 U.S.C. 1367(b)(7)): each dependent's relationship and age band.
      { path: 'dependents', action: 'generalize', to: 'relationship-and-age-band' },
      // The referring officer's work contact, for the shelter's call back: the officer's, not the victim's.
      ...include('referringOfficer.name', 'referringOfficer.phone'),
      // Where she was found, only while her consent names the shelter for it (safety planning); revoked, it is taken back.
      { path: 'foundAt', action: 'include', when: { requiresConsent: true } },
      // Later events of a referral addressed to the shelter: contact updates, corrections, a withdrawal.
      ...include('phone', 'preferredLanguages', 'updatedAt', 'correctedAt', 'reason', 'withdrawnAt'),
      // The shelter's own questions come back to its inbox, and the sender's answers to them.
      ...include('questionId', 'question', 'requestedAt', 'answer', 'providedAt'),
      ...drop('victim.dateOfBirth', 'immigrationReliefStatus'),
    ],
  },
  {
    policyId: 'sheriff-referrals',
    appliesTo: { agencyId: 'st-bernard-sheriff' },
    recordType: 'victim-referral',
    purpose: 'investigation',
    addresseeOnly: false,
    rules: [
      ...include('referralId', 'referringAgencyId', 'needs'),
      { path: 'submittedAt', action: 'generalize', to: 'day' },
      { path: 'victim.givenName', action: 'include', when: { requiresConsent: true } },
      { path: 'victim.familyName', action: 'include', when: { requiresConsent: true } },
      { path: 'victim.phone', action: 'include', when: { requiresConsent: true } },
      { path: 'victim.dateOfBirth', action: 'generalize', to: 'age-band' },
      { path: 'foundAt', action: 'generalize', to: 'parish' },
      { path: 'referringOfficer.name', action: 'pseudonymize' },
      // Granted here, withheld by 8 U.S.C. 1367 all the same: the sheriff is not a DHS component.
      ...include('immigrationReliefStatus'),
    ],
  },
  {
    policyId: 'local-law-enforcement-arrests',
    appliesTo: { agencyKind: 'local-law-enforcement' },
    recordType: 'arrest-record',
    purpose: 'investigation',
    addresseeOnly: false,
    rules: ARREST_RULES,
  },
  {
    policyId: 'hsi-arrests',
    appliesTo: { agencyId: 'hsi-new-orleans' },
    recordType: 'arrest-record',
    purpose: 'investigation',
    addresseeOnly: false,
    rules: ARREST_RULES,
  },
  {
    policyId: 'local-law-enforcement-cases',
    appliesTo: { agencyKind: 'local-law-enforcement' },
    recordType: 'case',
    purpose: 'investigation',
    addresseeOnly: false,
    rules: [
      ...include('caseId', 'title', 'parish', 'openingAgencyId', 'leadInvestigator.name', 'recordType', 'linkedAt', 'closedAt', 'reason'),
      { path: 'leadInvestigator.phone', action: 'mask', keepLast: 4 },
      { path: 'recordId', action: 'pseudonymize' },
      { path: 'openedAt', action: 'generalize', to: 'day' },
    ],
  },
  {
    policyId: 'hsi-consents',
    appliesTo: { agencyId: 'hsi-new-orleans' },
    recordType: 'consent',
    purpose: 'investigation',
    addresseeOnly: true,
    rules: [
      ...include('consentId', 'referralId', 'recipientAgencyIds', 'purposes', 'fields', 'expiresAt', 'recordedAt', 'revokedAt'),
      ...include('victimIsMinor', 'recordingAgencyId'),
      // A minor's guardian is VAWA PII of the shelter's record: it reaches HSI only if a consent covers it.
      ...include('guardian'),
    ],
  },
];
