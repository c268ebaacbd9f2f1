import { RecordCommand, RecordType } from '@crescent/domain';
import { ArresteeRelationshipDto, ChargesDto, CourtOrderDto, RecordArrestDto } from './dto/arrest-record.dto';
import { CaseTeamMemberDto, LinkRecordToCaseDto, OpenCaseDto } from './dto/case.dto';
import { RecordConsentDto } from './dto/consent.dto';
import { NoBodyDto, ReasonDto } from './dto/shared.dto';
import {
  AnswerInformationRequestDto,
  ImmigrationReliefDenialDto,
  ImmigrationWaiverDto,
  LawEnforcementDisclosureDto,
  RequestInformationDto,
  SubmitVictimReferralDto,
  UpdateVictimContactDto,
  VictimReferralContentDto,
} from './dto/victim-referral.dto';

/** How one command reaches the write side: its record, its body's class, and whether it creates the record. */
export interface CommandRoute {
  readonly commandType: RecordCommand['type'];
  readonly recordType: RecordType;
  readonly dto: new () => object;
  readonly creates: boolean;
  /** The command's data: the validated body plus the record id under the record's own name. */
  toData(recordId: string, body: object): object;
}

const ID_FIELD: Record<RecordType, string> = {
  subscription: 'subscriptionId',
  agency: 'agencyId',
  'sharing-policy': 'policyId',
  case: 'caseId',
  'victim-referral': 'referralId',
  'arrest-record': 'arrestRecordId',
  consent: 'consentId',
};

function route(commandType: RecordCommand['type'], recordType: RecordType, dto: new () => object, creates = false): CommandRoute {
  return {
    commandType,
    recordType,
    dto,
    creates,
    toData: (recordId, body) => ({ [ID_FIELD[recordType]]: recordId, ...body }),
  };
}

/** Every command an agency can send, over HTTP or its inbound topic. */
export const COMMAND_ROUTES = [
  route('OpenCase', 'case', OpenCaseDto, true),
  route('LinkRecordToCase', 'case', LinkRecordToCaseDto),
  route('CloseCase', 'case', ReasonDto),
  route('AddCaseTeamMember', 'case', CaseTeamMemberDto),
  route('RemoveCaseTeamMember', 'case', CaseTeamMemberDto),
  route('SubmitVictimReferral', 'victim-referral', SubmitVictimReferralDto, true),
  route('AcknowledgeVictimReferral', 'victim-referral', NoBodyDto),
  route('AcceptVictimReferral', 'victim-referral', NoBodyDto),
  route('DeclineVictimReferral', 'victim-referral', ReasonDto),
  route('RequestVictimReferralInformation', 'victim-referral', RequestInformationDto),
  route('AnswerVictimReferralInformationRequest', 'victim-referral', AnswerInformationRequestDto),
  route('WithdrawVictimReferral', 'victim-referral', ReasonDto),
  route('UpdateVictimContact', 'victim-referral', UpdateVictimContactDto),
  route('CorrectVictimReferral', 'victim-referral', VictimReferralContentDto),
  route('AuthorizeLawEnforcementDisclosure', 'victim-referral', LawEnforcementDisclosureDto),
  route('RecordImmigrationWaiver', 'victim-referral', ImmigrationWaiverDto),
  route('RecordImmigrationReliefDenial', 'victim-referral', ImmigrationReliefDenialDto),
  route('RecordArrest', 'arrest-record', RecordArrestDto, true),
  route('AmendCharges', 'arrest-record', ChargesDto),
  route('SealArrestRecord', 'arrest-record', CourtOrderDto),
  route('ExpungeArrestRecord', 'arrest-record', CourtOrderDto),
  route('RecordArresteeRelationship', 'arrest-record', ArresteeRelationshipDto),
  route('RecordConsent', 'consent', RecordConsentDto, true),
  route('RevokeConsent', 'consent', ReasonDto),
] as const satisfies readonly CommandRoute[];

export type CommandType = (typeof COMMAND_ROUTES)[number]['commandType'];

export function commandRoute(commandType: CommandType): CommandRoute {
  const found = COMMAND_ROUTES.find((candidate) => candidate.commandType === commandType);
  if (!found) throw new Error(`no route for ${commandType}`);
  return found;
}
