import { isLawEnforcement } from '../agency/agency';
import { Decider, EventSchemaVersions } from '../decider';
import { DomainError } from '../domain-error';
import { assertNever, eventOf, originator, recordDecider, Refusals, requireNew, requireRecord, requireStatus } from '../record-state';
import { isAfter, isBirthDate, isInstant, requireSome, requireText } from '../validation';
import { GUARDIAN_RELATIONSHIPS, isGuardianRelationship } from '../values';
import {
  ArrestRecordCommand,
  ArrestRecordEvent,
  ArrestRecordState,
  ArrestRecordStatus,
  Charge,
  RecordArrest,
} from './arrest-record';
import { ARREST_RECORDED_VERSION, ArrestRecordedV1, downcastArrestRecordedDataToV1, upcastArrestRecordedV1 } from './arrest-recorded.versions';

type LifecycleCommand = Exclude<ArrestRecordCommand, RecordArrest>;

/** A sealed record is frozen but may still be expunged; an expunged record is final. */
const ALLOWED_FROM: Record<LifecycleCommand['type'], readonly ArrestRecordStatus[]> = {
  AmendCharges: ['recorded'],
  SealArrestRecord: ['recorded'],
  ExpungeArrestRecord: ['recorded', 'sealed'],
  RecordArresteeRelationship: ['recorded'],
};

const REFUSALS: Refusals<ArrestRecordStatus> = {
  sealed: ['ARREST.SEALED', 'this arrest record is sealed'],
  expunged: ['ARREST.EXPUNGED', 'this arrest record has been expunged'],
};

/**
 * Only the arresting agency amends, seals or expunges: it owns the record, and sealing and
 * expungement orders are served on it. A prosecutor's charging decision is its own record.
 * The arrestee's relationship to the victims is the arresting agency's to record too: a case team
 * partner (a shelter, say) that learns it tells that agency rather than writing on its record.
 */
function decide(command: ArrestRecordCommand, state: ArrestRecordState): ArrestRecordEvent[] {
  if (command.type === 'RecordArrest') return [recordArrest(command, state)];
  const arrest = requireRecord(state, command.metadata, originator, 'ARREST.NOT_FOUND', 'arrest record');
  requireStatus(arrest.status, ALLOWED_FROM[command.type], REFUSALS);
  const { metadata } = command;
  switch (command.type) {
    case 'AmendCharges':
      requireCharges(command.data.charges);
      return [eventOf('ArrestChargesAmended', { ...command.data, amendedAt: metadata.now }, metadata)];
    case 'SealArrestRecord':
      requireText(command.data.courtOrderReference, 'ARREST.COURT_ORDER_REQUIRED', 'the court order reference');
      return [eventOf('ArrestRecordSealed', { ...command.data, sealedAt: metadata.now }, metadata)];
    case 'ExpungeArrestRecord':
      requireText(command.data.courtOrderReference, 'ARREST.COURT_ORDER_REQUIRED', 'the court order reference');
      return [eventOf('ArrestRecordExpunged', { ...command.data, expungedAt: metadata.now }, metadata)];
    case 'RecordArresteeRelationship': {
      const { arrestRecordId, relationshipToVictim } = command.data;
      requireText(relationshipToVictim, 'ARREST.RELATIONSHIP_REQUIRED', "the arrestee's relationship to the victims");
      requireRelationship(relationshipToVictim);
      if (arrest.record.arrestee.relationshipToVictim === relationshipToVictim) {
        throw new DomainError('illegal-state', 'ARREST.RELATIONSHIP_ALREADY_RECORDED', `the arrestee is already recorded as the victims' ${relationshipToVictim}`);
      }
      return [eventOf('ArresteeRelationshipRecorded', { arrestRecordId, arrestee: { relationshipToVictim }, determinedAt: metadata.now }, metadata)];
    }
    default:
      return assertNever(command);
  }
}

function recordArrest({ data, metadata }: RecordArrest, state: ArrestRecordState): ArrestRecordEvent {
  requireNew(state, 'ARREST.ALREADY_RECORDED', 'this arrest has already been recorded');
  if (!isLawEnforcement(metadata.agencyKind)) {
    throw new DomainError('forbidden', 'ARREST.RECORDER_NOT_ALLOWED', 'only law enforcement agencies record arrests');
  }
  requireText(data.arrestee?.familyName, 'ARREST.ARRESTEE_NAME_REQUIRED', "the arrestee's family name");
  if (!isBirthDate(data.arrestee.dateOfBirth, metadata.now)) {
    throw new DomainError('validation', 'ARREST.INVALID_DATE_OF_BIRTH', 'dateOfBirth must be a date as YYYY-MM-DD, from 1900 to today');
  }
  requireText(data.bookingNumber, 'ARREST.BOOKING_NUMBER_REQUIRED', 'the booking number');
  if (!isInstant(data.arrestedAt) || isAfter(data.arrestedAt, metadata.now)) {
    throw new DomainError('validation', 'ARREST.INVALID_ARREST_TIME', 'arrestedAt must be a date-time no later than now');
  }
  requireCharges(data.charges);
  if (data.arrestee.relationshipToVictim !== undefined) requireRelationship(data.arrestee.relationshipToVictim);
  return eventOf('ArrestRecorded', { ...data, arrestingAgencyId: metadata.agencyId, recordedAt: metadata.now }, metadata, ARREST_RECORDED_VERSION);
}

function requireRelationship(relationship: unknown): void {
  if (!isGuardianRelationship(relationship)) {
    throw new DomainError('validation', 'ARREST.UNKNOWN_RELATIONSHIP', `the arrestee's relationship to the victims is one of ${GUARDIAN_RELATIONSHIPS.join(', ')}`);
  }
}

function requireCharges(charges: readonly Charge[]): void {
  requireSome(charges, 'ARREST.CHARGES_REQUIRED', 'charge');
  for (const charge of charges) requireText(charge.statute, 'ARREST.STATUTE_REQUIRED', 'the statute of every charge');
}

function evolve(state: ArrestRecordState, event: ArrestRecordEvent): ArrestRecordState {
  if (event.type === 'ArrestRecorded') {
    return { status: 'recorded', originatorAgencyId: event.data.arrestingAgencyId, record: event.data };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'ArrestChargesAmended':
      return { ...state, record: { ...state.record, charges: event.data.charges, chargesAmendedAt: event.data.amendedAt } };
    case 'ArrestRecordSealed': {
      const { courtOrderReference, sealedAt } = event.data;
      return { ...state, status: 'sealed', record: { ...state.record, sealing: { courtOrderReference, sealedAt } } };
    }
    case 'ArrestRecordExpunged': {
      const { courtOrderReference, expungedAt } = event.data;
      return { ...state, status: 'expunged', record: { ...state.record, expungement: { courtOrderReference, expungedAt } } };
    }
    case 'ArresteeRelationshipRecorded': {
      const { arrestee, determinedAt } = event.data;
      const record = { ...state.record, arrestee: { ...state.record.arrestee, relationshipToVictim: arrestee.relationshipToVictim }, relationshipDeterminedAt: determinedAt };
      return { ...state, record };
    }
    default:
      return assertNever(event);
  }
}

const EVENT_SCHEMA_VERSIONS: EventSchemaVersions<ArrestRecordEvent> = {
  ArrestRecorded: [1, ARREST_RECORDED_VERSION],
  ArrestChargesAmended: [1],
  ArrestRecordSealed: [1],
  ArrestRecordExpunged: [1],
  ArresteeRelationshipRecorded: [1],
};

export const arrestRecordDecider: Decider<ArrestRecordCommand, ArrestRecordEvent, ArrestRecordState> = recordDecider({
  recordType: 'arrest-record',
  commandTypes: ['RecordArrest', 'AmendCharges', 'SealArrestRecord', 'ExpungeArrestRecord', 'RecordArresteeRelationship'],
  eventSchemaVersions: EVENT_SCHEMA_VERSIONS,
  upcasters: { ArrestRecorded: (older) => upcastArrestRecordedV1(older as ArrestRecordedV1) },
  downcasters: { ArrestRecorded: { 1: downcastArrestRecordedDataToV1 } },
  decide,
  evolve,
});
