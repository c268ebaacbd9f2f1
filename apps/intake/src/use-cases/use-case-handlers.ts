import { Provider } from '@nestjs/common';
import { AcceptVictimReferralHandler } from './accept-victim-referral.handler';
import { AcknowledgeVictimReferralHandler } from './acknowledge-victim-referral.handler';
import { AddCaseTeamMemberHandler } from './add-case-team-member.handler';
import { AmendChargesHandler } from './amend-charges.handler';
import { AnswerVictimReferralInformationRequestHandler } from './answer-victim-referral-information-request.handler';
import { AuthorizeLawEnforcementDisclosureHandler } from './authorize-law-enforcement-disclosure.handler';
import { CloseCaseHandler } from './close-case.handler';
import { CorrectVictimReferralHandler } from './correct-victim-referral.handler';
import { DeclineVictimReferralHandler } from './decline-victim-referral.handler';
import { ExpungeArrestRecordHandler } from './expunge-arrest-record.handler';
import { LinkRecordToCaseHandler } from './link-record-to-case.handler';
import { OpenCaseHandler } from './open-case.handler';
import { RecordArrestHandler } from './record-arrest.handler';
import { RecordArresteeRelationshipHandler } from './record-arrestee-relationship.handler';
import { RecordConsentHandler } from './record-consent.handler';
import { RecordImmigrationReliefDenialHandler } from './record-immigration-relief-denial.handler';
import { RecordImmigrationWaiverHandler } from './record-immigration-waiver.handler';
import { RemoveCaseTeamMemberHandler } from './remove-case-team-member.handler';
import { RequestVictimReferralInformationHandler } from './request-victim-referral-information.handler';
import { RevokeConsentHandler } from './revoke-consent.handler';
import { SealArrestRecordHandler } from './seal-arrest-record.handler';
import { SubmitVictimReferralHandler } from './submit-victim-referral.handler';
import { UpdateVictimContactHandler } from './update-victim-contact.handler';
import { WithdrawVictimReferralHandler } from './withdraw-victim-referral.handler';

/** The handler of every agency command, one per use case, each in the file named after its command. */
export const USE_CASE_HANDLERS: Provider[] = [
  AcceptVictimReferralHandler,
  AcknowledgeVictimReferralHandler,
  AddCaseTeamMemberHandler,
  AmendChargesHandler,
  AnswerVictimReferralInformationRequestHandler,
  AuthorizeLawEnforcementDisclosureHandler,
  CloseCaseHandler,
  CorrectVictimReferralHandler,
  DeclineVictimReferralHandler,
  ExpungeArrestRecordHandler,
  LinkRecordToCaseHandler,
  OpenCaseHandler,
  RecordArrestHandler,
  RecordArresteeRelationshipHandler,
  RecordConsentHandler,
  RecordImmigrationReliefDenialHandler,
  RecordImmigrationWaiverHandler,
  RemoveCaseTeamMemberHandler,
  RequestVictimReferralInformationHandler,
  RevokeConsentHandler,
  SealArrestRecordHandler,
  SubmitVictimReferralHandler,
  UpdateVictimContactHandler,
  WithdrawVictimReferralHandler,
];
