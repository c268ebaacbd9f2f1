import {
  agencyRegistered,
  agencySuspended,
  registerAgency,
  reinstateAgency,
  revokeAgency,
  setAgencyJurisdiction,
  rotateAgencyCredential,
  suspendAgency,
} from './agency-registration.fixtures';
import { DomainCommand, DomainEvent, RecordType } from '../decider';
import { amendCharges, arrestDetails, arrestRecorded, arrestRecordSealed, expungeArrestRecord, recordArrest, recordArresteeRelationship, sealArrestRecord } from './arrest-record.fixtures';
import { addCaseTeamMember, caseOpened, caseTeamMemberAdded, closeCase, linkRecordToCase, openCase, removeCaseTeamMember } from './case.fixtures';
import { consentRecorded, MINOR_CONSENT, recordConsent, revokeConsent } from './consent.fixtures';
import { publishSharingPolicy, sharingPolicyPublished } from './sharing-policy.fixtures';
import { createSubscription, endSubscription, pauseSubscription, resumeSubscription, subscriptionCreated, subscriptionPaused } from './subscription.fixtures';
import {
  acceptReferral,
  acknowledgeReferral,
  authorizeLawEnforcementDisclosure,
  correctReferral,
  declineReferral,
  referralAcknowledged,
  referralInformationRequested,
  recordImmigrationReliefDenial,
  recordImmigrationWaiver,
  referralSubmitted,
  requestReferralInformation,
  answerReferralQuestion,
  submitReferral,
  updateVictimContact,
  withdrawReferral,
} from './victim-referral.fixtures';

export interface DecisionSample {
  readonly given: readonly DomainEvent[];
  readonly when: DomainCommand;
}

/** Accepted commands of every type, with the history each needs: what the contract test runs through the schemas. */
export const DECISION_SAMPLES: { readonly [Type in RecordType]: readonly DecisionSample[] } = {
  case: [
    { given: [], when: openCase() },
    { given: [caseOpened()], when: linkRecordToCase('arrest-record', 'arrest-1') },
    { given: [caseOpened()], when: closeCase() },
    { given: [caseOpened()], when: addCaseTeamMember() },
    { given: [caseOpened(), caseTeamMemberAdded()], when: removeCaseTeamMember() },
  ],
  'victim-referral': [
    { given: [], when: submitReferral() },
    { given: [], when: submitReferral({ victim: { ...submitReferral().data.victim, dateOfBirth: '2010-05-01' }, dependents: [] }) },
    { given: [referralSubmitted()], when: acknowledgeReferral() },
    { given: [referralSubmitted(), referralAcknowledged()], when: acceptReferral() },
    { given: [referralSubmitted(), referralAcknowledged()], when: declineReferral() },
    { given: [referralSubmitted(), referralAcknowledged()], when: requestReferralInformation() },
    { given: [referralSubmitted(), referralAcknowledged(), referralInformationRequested()], when: answerReferralQuestion() },
    { given: [referralSubmitted()], when: withdrawReferral() },
    { given: [referralSubmitted(), referralAcknowledged(), referralInformationRequested()], when: updateVictimContact() },
    { given: [referralSubmitted(), referralAcknowledged(), referralInformationRequested()], when: correctReferral() },
    { given: [referralSubmitted({ immigrationReliefStatus: 'none' })], when: correctReferral({ victimServicesConsent: submitReferral().data.victimServicesConsent }) },
    { given: [referralSubmitted()], when: authorizeLawEnforcementDisclosure() },
    { given: [referralSubmitted()], when: recordImmigrationWaiver() },
    { given: [referralSubmitted()], when: recordImmigrationReliefDenial() },
  ],
  'arrest-record': [
    { given: [], when: recordArrest() },
    { given: [], when: recordArrest({ arrestee: { ...arrestDetails().arrestee, relationshipToVictim: 'stepfather' } }) },
    { given: [arrestRecorded()], when: recordArresteeRelationship() },
    { given: [arrestRecorded()], when: amendCharges() },
    { given: [arrestRecorded()], when: sealArrestRecord() },
    { given: [arrestRecorded(), arrestRecordSealed()], when: expungeArrestRecord() },
  ],
  consent: [
    { given: [], when: recordConsent() },
    { given: [], when: recordConsent(MINOR_CONSENT) },
    { given: [consentRecorded()], when: revokeConsent() },
  ],
  agency: [
    { given: [], when: registerAgency() },
    { given: [], when: registerAgency({ agencyId: 'bayou-haven-shelter', kind: 'victim-service-provider', department: undefined, jurisdiction: [] }) },
    { given: [agencyRegistered()], when: rotateAgencyCredential() },
    { given: [agencyRegistered()], when: rotateAgencyCredential(0) },
    { given: [agencyRegistered()], when: suspendAgency() },
    { given: [agencyRegistered(), agencySuspended()], when: reinstateAgency() },
    { given: [agencyRegistered()], when: revokeAgency() },
    { given: [agencyRegistered()], when: setAgencyJurisdiction() },
  ],
  'sharing-policy': [
    { given: [], when: publishSharingPolicy() },
    { given: [sharingPolicyPublished()], when: publishSharingPolicy({ appliesTo: { agencyId: 'bayou-haven-shelter' }, rules: [] }) },
  ],
  subscription: [
    { given: [], when: createSubscription() },
    { given: [subscriptionCreated()], when: pauseSubscription() },
    { given: [subscriptionCreated(), subscriptionPaused()], when: resumeSubscription() },
    { given: [subscriptionCreated()], when: endSubscription() },
  ],
};
