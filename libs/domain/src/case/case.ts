import { DomainCommand, DomainEvent, RecordType } from '../decider';
import { RecordState } from '../record-state';
import { Officer } from '../values';

/** The records a case gathers; existence is checked by intake, which can look records up. */
export const LINKABLE_RECORD_TYPES = ['victim-referral', 'arrest-record'] as const satisfies readonly RecordType[];
export type LinkableRecordType = (typeof LINKABLE_RECORD_TYPES)[number];

export interface CaseDetails {
  readonly caseId: string;
  readonly title: string;
  readonly parish: string;
  readonly leadInvestigator: Officer;
}

export interface LinkedRecord {
  readonly recordType: LinkableRecordType;
  readonly recordId: string;
}

export type OpenCase = DomainCommand<'OpenCase', CaseDetails>;
export type LinkRecordToCase = DomainCommand<'LinkRecordToCase', LinkedRecord & { readonly caseId: string }>;
export type CloseCase = DomainCommand<'CloseCase', { readonly caseId: string; readonly reason: string }>;
/** The case's originator makes a partner agency part of the case's team (28 CFR Part 23: a need to know), or ends that. */
export type AddCaseTeamMember = DomainCommand<'AddCaseTeamMember', { readonly caseId: string; readonly agencyId: string }>;
export type RemoveCaseTeamMember = DomainCommand<'RemoveCaseTeamMember', { readonly caseId: string; readonly agencyId: string }>;

export type CaseCommand = OpenCase | LinkRecordToCase | CloseCase | AddCaseTeamMember | RemoveCaseTeamMember;

export type CaseOpened = DomainEvent<'CaseOpened', CaseDetails & { readonly openingAgencyId: string; readonly openedAt: string }>;
export type RecordLinkedToCase = DomainEvent<
  'RecordLinkedToCase',
  LinkedRecord & { readonly caseId: string; readonly linkedAt: string }
>;
export type CaseClosed = DomainEvent<'CaseClosed', { readonly caseId: string; readonly reason: string; readonly closedAt: string }>;

export type CaseTeamMemberAdded = DomainEvent<'CaseTeamMemberAdded', { readonly caseId: string; readonly agencyId: string; readonly addedAt: string }>;
export type CaseTeamMemberRemoved = DomainEvent<'CaseTeamMemberRemoved', { readonly caseId: string; readonly agencyId: string; readonly removedAt: string }>;

export type CaseEvent = CaseOpened | RecordLinkedToCase | CaseClosed | CaseTeamMemberAdded | CaseTeamMemberRemoved;

export type CaseStatus = 'open' | 'closed';

export interface CaseRecord extends Omit<CaseOpened['data'], never> {
  readonly linkedRecords: readonly (LinkedRecord & { readonly linkedAt: string; readonly linkedBy: string })[];
  /** The partner agencies on the case's team (the originator is always on it). */
  readonly team: readonly string[];
  readonly closeReason?: string;
  readonly closedAt?: string;
}

export type CaseState = RecordState<CaseStatus, CaseRecord>;
