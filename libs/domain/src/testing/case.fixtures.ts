import { CaseDetails, LinkableRecordType } from '../case/case';
import { CommandMetadata } from '../message';
import { eventOf } from '../record-state';
import { commandOf, HSI_METADATA } from './agencies.fixtures';

const caseId = 'case-1';

export function caseDetails(overrides: Partial<CaseDetails> = {}): CaseDetails {
  return {
    caseId,
    title: 'Operation Chef Menteur',
    parish: 'Orleans',
    leadInvestigator: { name: 'SA Dana Example', badgeNumber: 'HSI-4471', phone: '+1 504 555 0199' },
    ...overrides,
  };
}

export const openCase = (details: Partial<CaseDetails> = {}, metadata: CommandMetadata = HSI_METADATA) =>
  commandOf('OpenCase', caseDetails(details), metadata);
export const caseOpened = () =>
  eventOf('CaseOpened', { ...caseDetails(), openingAgencyId: HSI_METADATA.agencyId, openedAt: HSI_METADATA.now }, HSI_METADATA);

export const linkRecordToCase = (
  recordType: LinkableRecordType = 'victim-referral',
  recordId = 'ref-1',
  metadata: CommandMetadata = HSI_METADATA,
) => commandOf('LinkRecordToCase', { caseId, recordType, recordId }, metadata);
export const recordLinkedToCase = (recordType: LinkableRecordType = 'victim-referral', recordId = 'ref-1') =>
  eventOf('RecordLinkedToCase', { caseId, recordType, recordId, linkedAt: HSI_METADATA.now }, HSI_METADATA);

const CLOSE_REASON = 'Defendants convicted; no further investigation';
export const closeCase = (reason = CLOSE_REASON, metadata: CommandMetadata = HSI_METADATA) =>
  commandOf('CloseCase', { caseId, reason }, metadata);
export const caseClosed = () => eventOf('CaseClosed', { caseId, reason: CLOSE_REASON, closedAt: HSI_METADATA.now }, HSI_METADATA);

/** HSI makes the St. Bernard sheriff's office a partner on its case: a joint investigation. */
export const PARTNER_AGENCY_ID = 'st-bernard-sheriff';
export const addCaseTeamMember = (agencyId = PARTNER_AGENCY_ID, metadata: CommandMetadata = HSI_METADATA) =>
  commandOf('AddCaseTeamMember', { caseId, agencyId }, metadata);
export const caseTeamMemberAdded = (agencyId = PARTNER_AGENCY_ID) =>
  eventOf('CaseTeamMemberAdded', { caseId, agencyId, addedAt: HSI_METADATA.now }, HSI_METADATA);
export const removeCaseTeamMember = (agencyId = PARTNER_AGENCY_ID, metadata: CommandMetadata = HSI_METADATA) =>
  commandOf('RemoveCaseTeamMember', { caseId, agencyId }, metadata);
export const caseTeamMemberRemoved = (agencyId = PARTNER_AGENCY_ID) =>
  eventOf('CaseTeamMemberRemoved', { caseId, agencyId, removedAt: HSI_METADATA.now }, HSI_METADATA);
