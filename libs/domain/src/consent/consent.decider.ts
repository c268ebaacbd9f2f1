import { Decider, EventSchemaVersions } from '../decider';
import { DomainError } from '../domain-error';
import { assertNever, eventOf, originator, recordDecider, requireNew, requireRecord, requireStatus } from '../record-state';
import { isAfter, isInstant, requireSome, requireText } from '../validation';
import { CONSENT_PURPOSES, ConsentCommand, ConsentEvent, ConsentState, RecordConsent } from './consent';

const FIELD_PATH = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;

function decide(command: ConsentCommand, state: ConsentState): ConsentEvent[] {
  switch (command.type) {
    case 'RecordConsent':
      return [recordConsent(command, state)];
    case 'RevokeConsent': {
      // Only the agency that recorded a consent revokes it; to others it does not exist.
      const consent = requireRecord(state, command.metadata, originator, 'CONSENT.NOT_FOUND', 'consent');
      requireStatus(consent.status, ['recorded'], { revoked: ['CONSENT.ALREADY_REVOKED', 'this consent has already been revoked'] });
      requireText(command.data.reason, 'CONSENT.REASON_REQUIRED', 'a reason for revoking');
      return [eventOf('ConsentRevoked', { ...command.data, revokedAt: command.metadata.now }, command.metadata)];
    }
    default:
      return assertNever(command);
  }
}

function recordConsent({ data, metadata }: RecordConsent, state: ConsentState): ConsentEvent {
  requireNew(state, 'CONSENT.ALREADY_RECORDED', 'this consent has already been recorded');
  if (metadata.agencyKind !== 'victim-service-provider') {
    throw new DomainError('forbidden', 'CONSENT.RECORDER_NOT_ALLOWED', 'only victim service providers record consents');
  }
  requireText(data.referralId, 'CONSENT.REFERRAL_REQUIRED', "the victim's referral");
  if (data.victimIsMinor) {
    requireText(data.guardian?.name, 'CONSENT.GUARDIAN_REQUIRED', "a minor's parent or guardian");
    requireText(data.guardian?.relationship, 'CONSENT.GUARDIAN_REQUIRED', "the guardian's relationship to the minor");
  }
  requireSome(data.recipientAgencyIds, 'CONSENT.RECIPIENTS_REQUIRED', 'named recipient agency');
  requireSome(data.purposes, 'CONSENT.PURPOSES_REQUIRED', 'purpose');
  if (!data.purposes.every((purpose) => (CONSENT_PURPOSES as readonly string[]).includes(purpose))) {
    throw new DomainError('validation', 'CONSENT.UNKNOWN_PURPOSE', `purposes are among ${CONSENT_PURPOSES.join(', ')}`);
  }
  requireSome(data.fields, 'CONSENT.FIELDS_REQUIRED', 'field');
  if (!data.fields.every((field) => FIELD_PATH.test(field))) {
    throw new DomainError('validation', 'CONSENT.INVALID_FIELD', 'fields are dotted paths such as victim.phone');
  }
  if (data.written !== true) throw new DomainError('validation', 'CONSENT.NOT_WRITTEN', 'consent must be given in writing');
  if (data.informed !== true) throw new DomainError('validation', 'CONSENT.NOT_INFORMED', 'consent must be informed');
  // VAWA consent is time-limited: a release without an end is no release.
  if (!data.expiresAt) {
    throw new DomainError('validation', 'CONSENT.EXPIRY_REQUIRED', 'a consent must say when it expires');
  }
  if (!isInstant(data.expiresAt) || !isAfter(data.expiresAt, metadata.now)) {
    throw new DomainError('validation', 'CONSENT.EXPIRY_NOT_IN_FUTURE', 'expiresAt must be a date-time after now');
  }
  return eventOf('ConsentRecorded', { ...data, recordingAgencyId: metadata.agencyId, recordedAt: metadata.now }, metadata);
}

function evolve(state: ConsentState, event: ConsentEvent): ConsentState {
  switch (event.type) {
    case 'ConsentRecorded':
      return { status: 'recorded', originatorAgencyId: event.data.recordingAgencyId, record: event.data };
    case 'ConsentRevoked':
      if (state.status === 'none') return state;
      return { ...state, status: 'revoked', record: { ...state.record, revocationReason: event.data.reason, revokedAt: event.data.revokedAt } };
    default:
      return assertNever(event);
  }
}

const EVENT_SCHEMA_VERSIONS: EventSchemaVersions<ConsentEvent> = { ConsentRecorded: [1], ConsentRevoked: [1] };

export const consentDecider: Decider<ConsentCommand, ConsentEvent, ConsentState> = recordDecider({
  recordType: 'consent',
  commandTypes: ['RecordConsent', 'RevokeConsent'],
  eventSchemaVersions: EVENT_SCHEMA_VERSIONS,
  decide,
  evolve,
});
