import { CommandMetadata } from '../message';
import { eventOf } from '../record-state';
import {
  VictimContact,
  VictimReferralCorrection,
  VictimReferralDetails,
  VictimReferralSubmitted,
} from '../victim-referral/victim-referral';
import { VictimReferralSubmittedV1 } from '../victim-referral/victim-referral-submitted.versions';
import { commandOf, HSI_METADATA, SHELTER_METADATA } from './agencies.fixtures';

/** A mother with her child, referred by HSI to a shelter: the common case. */
export function referralDetails(overrides: Partial<VictimReferralDetails> = {}): VictimReferralDetails {
  return {
    referralId: 'ref-1',
    referredToAgencyId: SHELTER_METADATA.agencyId,
    victim: {
      givenName: 'Maria',
      familyName: 'Example',
      dateOfBirth: '1994-03-17',
      nationality: 'HN',
      phone: '+1 504 555 0142',
      preferredLanguages: ['es', 'en'],
    },
    immigrationReliefStatus: 't-visa-applicant',
    needs: ['shelter', 'legal', 'interpreter'],
    dependents: [{ relationship: 'daughter', age: 6 }],
    foundAt: { description: 'Motel on Chef Menteur Highway', parish: 'Orleans' },
    referringOfficer: { name: 'SA Dana Example', badgeNumber: 'HSI-4471', phone: '+1 504 555 0199' },
    victimServicesConsent: { writtenConsentObtainedAt: VICTIM_SERVICES_CONSENT_AT },
    ...overrides,
  };
}

/** She signed HSI's release to the shelter (8 U.S.C. 1367(b)(7)) the morning of the referral. */
const VICTIM_SERVICES_CONSENT_AT = '2026-11-02T10:05:00.000Z';

export function submitReferral(details: Partial<VictimReferralDetails> = {}, metadata: Partial<CommandMetadata> = {}) {
  return commandOf('SubmitVictimReferral', referralDetails(details), { ...HSI_METADATA, ...metadata });
}

export function referralSubmitted(details: Partial<VictimReferralDetails> = {}, isMinor = false): VictimReferralSubmitted {
  const { victim, ...rest } = referralDetails(details);
  return eventOf(
    'VictimReferralSubmitted',
    { ...rest, victim: { ...victim, isMinor }, referringAgencyId: HSI_METADATA.agencyId, submittedAt: HSI_METADATA.now },
    HSI_METADATA,
    2,
  );
}

/** The same submission as version 1 stored it. */
export function referralSubmittedV1(name = 'Maria Example'): VictimReferralSubmittedV1 {
  const { victim, ...rest } = referralSubmitted().data;
  const { dateOfBirth, nationality, phone, preferredLanguages } = victim;
  return eventOf(
    'VictimReferralSubmitted',
    { ...rest, victim: { name, dateOfBirth, nationality, phone, languages: preferredLanguages } },
    HSI_METADATA,
    1,
  );
}

const referralId = 'ref-1';

export const acknowledgeReferral = (metadata = SHELTER_METADATA) =>
  commandOf('AcknowledgeVictimReferral', { referralId }, metadata);
export const referralAcknowledged = () =>
  eventOf('VictimReferralAcknowledged', { referralId, acknowledgedAt: SHELTER_METADATA.now }, SHELTER_METADATA);

export const acceptReferral = (metadata = SHELTER_METADATA) => commandOf('AcceptVictimReferral', { referralId }, metadata);
export const referralAccepted = () =>
  eventOf('VictimReferralAccepted', { referralId, acceptedAt: SHELTER_METADATA.now }, SHELTER_METADATA);

const DECLINE_REASON = 'No family rooms free until December';
export const declineReferral = (reason = DECLINE_REASON, metadata = SHELTER_METADATA) =>
  commandOf('DeclineVictimReferral', { referralId, reason }, metadata);
export const referralDeclined = () =>
  eventOf('VictimReferralDeclined', { referralId, reason: DECLINE_REASON, declinedAt: SHELTER_METADATA.now }, SHELTER_METADATA);

const QUESTION = 'Does the daughter need a school placement?';
export const requestReferralInformation = (question = QUESTION, metadata = SHELTER_METADATA) =>
  commandOf('RequestVictimReferralInformation', { referralId, question }, metadata);
export const referralInformationRequested = () =>
  eventOf(
    'VictimReferralInformationRequested',
    { referralId, questionId: 'q1', question: QUESTION, requestedAt: SHELTER_METADATA.now },
    SHELTER_METADATA,
  );

const ANSWER = 'Yes: she is 7 and in second grade.';
export const answerReferralQuestion = (questionId = 'q1', metadata = HSI_METADATA) =>
  commandOf('AnswerVictimReferralInformationRequest', { referralId, questionId, answer: ANSWER }, metadata);
export const referralInformationProvided = () =>
  eventOf('VictimReferralInformationProvided', { referralId, questionId: 'q1', answer: ANSWER, providedAt: HSI_METADATA.now }, HSI_METADATA);

const WITHDRAWAL_REASON = 'Victim placed with family in Houston';
export const withdrawReferral = (reason = WITHDRAWAL_REASON, metadata = HSI_METADATA) =>
  commandOf('WithdrawVictimReferral', { referralId, reason }, metadata);
export const referralWithdrawn = () =>
  eventOf('VictimReferralWithdrawn', { referralId, reason: WITHDRAWAL_REASON, withdrawnAt: HSI_METADATA.now }, HSI_METADATA);

const NEW_CONTACT: VictimContact = { phone: '+1 504 555 0177', preferredLanguages: ['es'] };
export const updateVictimContact = (metadata = HSI_METADATA) =>
  commandOf('UpdateVictimContact', { referralId, ...NEW_CONTACT }, metadata);
export const victimContactUpdated = () =>
  eventOf('VictimContactUpdated', { referralId, ...NEW_CONTACT, updatedAt: HSI_METADATA.now }, HSI_METADATA);

/** The sender learns the daughter is 7 and the victim needs medical care too. */
export function referralCorrection(overrides: Partial<VictimReferralCorrection> = {}): VictimReferralCorrection {
  return { ...withoutAddressee(referralDetails()), needs: ['shelter', 'legal', 'interpreter', 'medical'], dependents: [{ relationship: 'daughter', age: 7 }], ...overrides };
}
/** A correction of a referral already sent with her (b)(7) consent carries none of its own. */
function withoutAddressee({ referredToAgencyId: _addressee, victimServicesConsent: _consent, ...details }: VictimReferralDetails): VictimReferralCorrection {
  return details;
}

export const correctReferral = (overrides: Partial<VictimReferralCorrection> = {}, metadata = HSI_METADATA) =>
  commandOf('CorrectVictimReferral', referralCorrection(overrides), metadata);
export function referralCorrected(overrides: Partial<VictimReferralCorrection> = {}, isMinor = false) {
  const { victim, ...rest } = referralCorrection(overrides);
  return eventOf(
    'VictimReferralCorrected',
    { ...rest, victim: { ...victim, isMinor }, correctedAt: HSI_METADATA.now },
    HSI_METADATA,
  );
}

/** 8 U.S.C. 1367(b)(2): HSI lets the sheriff's office see the referral to find the traffickers. */
const DISCLOSURE = {
  referralId,
  recipientAgencyId: 'st-bernard-sheriff',
  purpose: "Identify and arrest the traffickers named in the victim's statement",
  authorizingOfficial: 'ASAC Jordan Example, HSI New Orleans',
};
export const authorizeLawEnforcementDisclosure = (overrides: Partial<typeof DISCLOSURE> = {}, metadata = HSI_METADATA) =>
  commandOf('AuthorizeLawEnforcementDisclosure', { ...DISCLOSURE, ...overrides }, metadata);
export const lawEnforcementDisclosureAuthorized = (overrides: Partial<typeof DISCLOSURE> = {}) =>
  eventOf('LawEnforcementDisclosureAuthorized', { ...DISCLOSURE, ...overrides, authorizingAgencyId: HSI_METADATA.agencyId, authorizedAt: HSI_METADATA.now }, HSI_METADATA);

const WAIVED_IN_WRITING_AT = '2026-11-02T11:00:00.000Z';
export const recordImmigrationWaiver = (metadata = HSI_METADATA) =>
  commandOf('RecordImmigrationWaiver', { referralId, waivedInWritingAt: WAIVED_IN_WRITING_AT }, metadata);
export const immigrationConfidentialityWaived = () =>
  eventOf('ImmigrationConfidentialityWaived', { referralId, waivedInWritingAt: WAIVED_IN_WRITING_AT, recordedAt: HSI_METADATA.now }, HSI_METADATA);

const FINALLY_DENIED_ON = '2026-10-30';
export const recordImmigrationReliefDenial = (metadata = HSI_METADATA) =>
  commandOf('RecordImmigrationReliefDenial', { referralId, finallyDeniedOn: FINALLY_DENIED_ON }, metadata);
export const immigrationReliefFinallyDenied = () =>
  eventOf('ImmigrationReliefFinallyDenied', { referralId, finallyDeniedOn: FINALLY_DENIED_ON, recordedAt: HSI_METADATA.now }, HSI_METADATA);
