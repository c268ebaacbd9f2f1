import { AcceptVictimReferralCommand } from '../use-cases/accept-victim-referral.handler';
import { AcknowledgeVictimReferralCommand } from '../use-cases/acknowledge-victim-referral.handler';
import { AddCaseTeamMemberCommand } from '../use-cases/add-case-team-member.handler';
import { AmendChargesCommand } from '../use-cases/amend-charges.handler';
import { AnswerVictimReferralInformationRequestCommand } from '../use-cases/answer-victim-referral-information-request.handler';
import { AuthorizeLawEnforcementDisclosureCommand } from '../use-cases/authorize-law-enforcement-disclosure.handler';
import { CloseCaseCommand } from '../use-cases/close-case.handler';
import { CorrectVictimReferralCommand } from '../use-cases/correct-victim-referral.handler';
import { DeclineVictimReferralCommand } from '../use-cases/decline-victim-referral.handler';
import { ExpungeArrestRecordCommand } from '../use-cases/expunge-arrest-record.handler';
import { LinkRecordToCaseCommand } from '../use-cases/link-record-to-case.handler';
import { OpenCaseCommand } from '../use-cases/open-case.handler';
import { RecordArrestCommand } from '../use-cases/record-arrest.handler';
import { RecordArresteeRelationshipCommand } from '../use-cases/record-arrestee-relationship.handler';
import { RecordConsentCommand } from '../use-cases/record-consent.handler';
import { RecordImmigrationReliefDenialCommand } from '../use-cases/record-immigration-relief-denial.handler';
import { RecordImmigrationWaiverCommand } from '../use-cases/record-immigration-waiver.handler';
import { RemoveCaseTeamMemberCommand } from '../use-cases/remove-case-team-member.handler';
import { RequestVictimReferralInformationCommand } from '../use-cases/request-victim-referral-information.handler';
import { RevokeConsentCommand } from '../use-cases/revoke-consent.handler';
import { SealArrestRecordCommand } from '../use-cases/seal-arrest-record.handler';
import { SubmitVictimReferralCommand } from '../use-cases/submit-victim-referral.handler';
import { UpdateVictimContactCommand } from '../use-cases/update-victim-contact.handler';
import { WithdrawVictimReferralCommand } from '../use-cases/withdraw-victim-referral.handler';
import type { CommandRoute } from './intake-command';

/** Every command an agency can send, over HTTP or its inbound topic: one use case each, in apps/intake/src/use-cases. */
const USE_CASE_COMMANDS = [
  OpenCaseCommand,
  LinkRecordToCaseCommand,
  CloseCaseCommand,
  AddCaseTeamMemberCommand,
  RemoveCaseTeamMemberCommand,
  SubmitVictimReferralCommand,
  AcknowledgeVictimReferralCommand,
  AcceptVictimReferralCommand,
  DeclineVictimReferralCommand,
  RequestVictimReferralInformationCommand,
  AnswerVictimReferralInformationRequestCommand,
  WithdrawVictimReferralCommand,
  UpdateVictimContactCommand,
  CorrectVictimReferralCommand,
  AuthorizeLawEnforcementDisclosureCommand,
  RecordImmigrationWaiverCommand,
  RecordImmigrationReliefDenialCommand,
  RecordArrestCommand,
  AmendChargesCommand,
  SealArrestRecordCommand,
  ExpungeArrestRecordCommand,
  RecordArresteeRelationshipCommand,
  RecordConsentCommand,
  RevokeConsentCommand,
];

export const COMMAND_ROUTES: readonly CommandRoute[] = USE_CASE_COMMANDS.map((command) => ({ ...command.route, command }));

export type CommandType = (typeof COMMAND_ROUTES)[number]['commandType'];

export function commandRoute(commandType: CommandType): CommandRoute {
  const found = COMMAND_ROUTES.find((candidate) => candidate.commandType === commandType);
  if (!found) throw new Error(`no route for ${commandType}`);
  return found;
}
