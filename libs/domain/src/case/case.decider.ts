import { isLawEnforcement } from '../agency/agency';
import { Decider, EventSchemaVersions } from '../decider';
import { DomainError } from '../domain-error';
import { assertNever, eventOf, originator, recordDecider, Refusals, requireNew, requireRecord, requireStatus } from '../record-state';
import { requireText } from '../validation';
import { CaseCommand, CaseEvent, CaseState, CaseStatus, LINKABLE_RECORD_TYPES, OpenCase } from './case';

const REFUSALS: Refusals<CaseStatus> = { closed: ['CASE.CLOSED', 'this case is closed'] };

function decide(command: CaseCommand, state: CaseState): CaseEvent[] {
  if (command.type === 'OpenCase') return [open(command, state)];
  // Only the agency that opened a case changes it; to others it does not exist.
  const existing = requireRecord(state, command.metadata, originator, 'CASE.NOT_FOUND', 'case');
  requireStatus(existing.status, ['open'], REFUSALS);
  const { metadata } = command;
  switch (command.type) {
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
    return { status: 'open', originatorAgencyId: event.data.openingAgencyId, record: { ...event.data, linkedRecords: [] } };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'RecordLinkedToCase': {
      const { recordType, recordId, linkedAt } = event.data;
      return { ...state, record: { ...state.record, linkedRecords: [...state.record.linkedRecords, { recordType, recordId, linkedAt }] } };
    }
    case 'CaseClosed':
      return { ...state, status: 'closed', record: { ...state.record, closeReason: event.data.reason, closedAt: event.data.closedAt } };
    default:
      return assertNever(event);
  }
}

const EVENT_SCHEMA_VERSIONS: EventSchemaVersions<CaseEvent> = { CaseOpened: [1], RecordLinkedToCase: [1], CaseClosed: [1] };

export const caseDecider: Decider<CaseCommand, CaseEvent, CaseState> = recordDecider({
  recordType: 'case',
  commandTypes: ['OpenCase', 'LinkRecordToCase', 'CloseCase'],
  eventSchemaVersions: EVENT_SCHEMA_VERSIONS,
  decide,
  evolve,
});
