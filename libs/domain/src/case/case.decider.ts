import { isLawEnforcement } from '../agency/agency';
import { Decider, EventSchemaVersions } from '../decider';
import { DomainError } from '../domain-error';
import { assertNever, eventOf, ExistingRecord, originator, recordDecider, Refusals, requireNew, requireRecord, requireStatus } from '../record-state';
import { requireText } from '../validation';
import { CaseCommand, CaseEvent, CaseState, CaseStatus, LINKABLE_RECORD_TYPES, OpenCase } from './case';

const REFUSALS: Refusals<CaseStatus> = { closed: ['CASE.CLOSED', 'this case is closed'] };

/** The case's originator and its team: who may link their records to it. To any other agency it does not exist. */
const originatorAndTeam = (found: ExistingRecord<CaseState>): readonly string[] => [found.originatorAgencyId, ...found.record.team];

function decide(command: CaseCommand, state: CaseState): CaseEvent[] {
  if (command.type === 'OpenCase') return [open(command, state)];
  const existing = requireRecord(state, command.metadata, command.type === 'LinkRecordToCase' ? originatorAndTeam : originator, 'CASE.NOT_FOUND', 'case');
  requireStatus(existing.status, ['open'], REFUSALS);
  const { metadata } = command;
  switch (command.type) {
    case 'AddCaseTeamMember': {
      const { caseId, agencyId } = command.data;
      requireText(agencyId, 'CASE.AGENCY_REQUIRED', 'the partner agency');
      if (agencyId === existing.originatorAgencyId || existing.record.team.includes(agencyId)) {
        throw new DomainError('conflict', 'CASE.ALREADY_ON_TEAM', "this agency is already on the case's team");
      }
      return [eventOf('CaseTeamMemberAdded', { caseId, agencyId, addedAt: metadata.now }, metadata)];
    }
    case 'RemoveCaseTeamMember': {
      const { caseId, agencyId } = command.data;
      if (!existing.record.team.includes(agencyId)) throw new DomainError('not-found', 'CASE.NOT_ON_TEAM', "this agency is not on the case's team");
      return [eventOf('CaseTeamMemberRemoved', { caseId, agencyId, removedAt: metadata.now }, metadata)];
    }
    case 'LinkRecordToCase': {
      if (!LINKABLE_RECORD_TYPES.includes(command.data.recordType)) {
        throw new DomainError('validation', 'CASE.UNLINKABLE_RECORD_TYPE', `a case links ${LINKABLE_RECORD_TYPES.join(' and ')} records`);
      }
      requireText(command.data.recordId, 'CASE.RECORD_ID_REQUIRED', 'the record id');
      const { recordType, recordId } = command.data;
      if (existing.record.linkedRecords.some((linked) => linked.recordType === recordType && linked.recordId === recordId)) {
        throw new DomainError('conflict', 'CASE.RECORD_ALREADY_LINKED', 'this record is already linked to the case');
      }
      return [eventOf('RecordLinkedToCase', { caseId: command.data.caseId, recordType, recordId, linkedAt: metadata.now }, metadata)];
    }
    case 'CloseCase':
      requireText(command.data.reason, 'CASE.REASON_REQUIRED', 'a reason for closing');
      return [eventOf('CaseClosed', { ...command.data, closedAt: metadata.now }, metadata)];
    default:
      return assertNever(command);
  }
}

function open({ data, metadata }: OpenCase, state: CaseState): CaseEvent {
  requireNew(state, 'CASE.ALREADY_OPENED', 'this case has already been opened');
  if (!isLawEnforcement(metadata.agencyKind)) {
    throw new DomainError('forbidden', 'CASE.OPENER_NOT_ALLOWED', 'only law enforcement agencies open cases');
  }
  requireText(data.title, 'CASE.TITLE_REQUIRED', 'a title');
  requireText(data.parish, 'CASE.PARISH_REQUIRED', 'the parish');
  requireText(data.leadInvestigator?.name, 'CASE.LEAD_INVESTIGATOR_REQUIRED', "the lead investigator's name");
  return eventOf('CaseOpened', { ...data, openingAgencyId: metadata.agencyId, openedAt: metadata.now }, metadata);
}

function evolve(state: CaseState, event: CaseEvent): CaseState {
  if (event.type === 'CaseOpened') {
    return { status: 'open', originatorAgencyId: event.data.openingAgencyId, record: { ...event.data, linkedRecords: [], team: [] } };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'RecordLinkedToCase': {
      const { recordType, recordId, linkedAt } = event.data;
      const linkedBy = event.metadata.agencyId;
      return { ...state, record: { ...state.record, linkedRecords: [...state.record.linkedRecords, { recordType, recordId, linkedAt, linkedBy }] } };
    }
    case 'CaseTeamMemberAdded':
      return { ...state, record: { ...state.record, team: [...state.record.team, event.data.agencyId] } };
    case 'CaseTeamMemberRemoved':
      return { ...state, record: { ...state.record, team: state.record.team.filter((agencyId) => agencyId !== event.data.agencyId) } };
    case 'CaseClosed':
      return { ...state, status: 'closed', record: { ...state.record, closeReason: event.data.reason, closedAt: event.data.closedAt } };
    default:
      return assertNever(event);
  }
}

const EVENT_SCHEMA_VERSIONS: EventSchemaVersions<CaseEvent> = {
  CaseOpened: [1],
  RecordLinkedToCase: [1],
  CaseClosed: [1],
  CaseTeamMemberAdded: [1],
  CaseTeamMemberRemoved: [1],
};

export const caseDecider: Decider<CaseCommand, CaseEvent, CaseState> = recordDecider({
  recordType: 'case',
  commandTypes: ['OpenCase', 'LinkRecordToCase', 'CloseCase', 'AddCaseTeamMember', 'RemoveCaseTeamMember'],
  eventSchemaVersions: EVENT_SCHEMA_VERSIONS,
  decide,
  evolve,
});
