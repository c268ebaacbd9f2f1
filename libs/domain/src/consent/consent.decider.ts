import { Decider, EventSchemaVersions } from '../decider';
import { DomainError } from '../domain-error';
import { assertNever, eventOf, ExistingRecord, recordDecider, requireNew, requireRecord, requireStatus } from '../record-state';
import { isAfter, isInstant, requireSome, requireText } from '../validation';
import { GUARDIAN_RELATIONSHIPS, isGuardianRelationship } from '../values';
import { VictimReferralState } from '../victim-referral/victim-referral';
import { referralParties } from '../victim-referral/victim-referral.decider';
import { CONSENT_PURPOSES, ConsentCommand, ConsentEvent, ConsentReferral, ConsentState, RecordConsent } from './consent';
import { CONSENT_RECORDED_VERSION, ConsentRecordedV1, downcastConsentRecordedDataToV1, upcastConsentRecordedV1 } from './consent-recorded.versions';

const FIELD_PATH = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;
const DAY_MS = 24 * 3600 * 1000;

function decide(command: ConsentCommand, state: ConsentState): ConsentEvent[] {
  switch (command.type) {
    case 'RecordConsent':
      return [recordConsent(command, state)];
    case 'RevokeConsent': {
      const { consentId, reason, referral } = command.data;
      // The recording agency revokes a consent, and so does the referral's addressee, which serves the
      // victim; to any other agency the consent does not exist.
      const revokers = (found: ExistingRecord<ConsentState>) => [found.originatorAgencyId, ...addresseeOf(referral)];
      const consent = requireRecord(state, command.metadata, revokers, 'CONSENT.NOT_FOUND', 'consent');
      requireStatus(consent.status, ['recorded'], { revoked: ['CONSENT.ALREADY_REVOKED', 'this consent has already been revoked'] });
      requireText(reason, 'CONSENT.REASON_REQUIRED', 'a reason for revoking');
      return [eventOf('ConsentRevoked', { consentId, reason, revokedAt: command.metadata.now }, command.metadata)];
    }
    default:
      return assertNever(command);
  }
}

function recordConsent({ data, metadata }: RecordConsent, state: ConsentState): ConsentEvent {
  const { referral, maxDays, ...details } = data;
  requireNew(state, 'CONSENT.ALREADY_RECORDED', 'this consent has already been recorded');
  requireText(details.referralId, 'CONSENT.REFERRAL_REQUIRED', "the victim's referral");
  // Only the agencies holding the victim's relationship take her consent: the referral's addressee, or its
  // sender. To any other agency the referral does not exist, exactly as a missing one.
  const { status } = requireRecord(referral, metadata, referralParties, 'CONSENT.REFERRAL_NOT_FOUND', 'victim referral');
  if (status === 'withdrawn') {
    throw new DomainError('illegal-state', 'CONSENT.REFERRAL_WITHDRAWN', 'the referral has been withdrawn: no consent is taken under it');
  }
  if (details.victimIsMinor) {
    requireText(details.guardian?.name, 'CONSENT.GUARDIAN_REQUIRED', "a minor's parent or guardian");
    requireText(details.guardian?.relationship, 'CONSENT.GUARDIAN_REQUIRED', "the guardian's relationship to the minor");
  }
  if (details.guardian !== undefined && !isGuardianRelationship(details.guardian.relationship)) {
    throw new DomainError('validation', 'CONSENT.UNKNOWN_GUARDIAN_RELATIONSHIP', `the guardian's relationship is one of ${GUARDIAN_RELATIONSHIPS.join(', ')}`);
  }
  requireSome(details.recipientAgencyIds, 'CONSENT.RECIPIENTS_REQUIRED', 'named recipient agency');
  requireSome(details.purposes, 'CONSENT.PURPOSES_REQUIRED', 'purpose');
  if (!details.purposes.every((purpose) => (CONSENT_PURPOSES as readonly string[]).includes(purpose))) {
    throw new DomainError('validation', 'CONSENT.UNKNOWN_PURPOSE', `purposes are among ${CONSENT_PURPOSES.join(', ')}`);
  }
  requireSome(details.fields, 'CONSENT.FIELDS_REQUIRED', 'field');
  if (!details.fields.every((field) => FIELD_PATH.test(field))) {
    throw new DomainError('validation', 'CONSENT.INVALID_FIELD', 'fields are dotted paths such as victim.phone');
  }
  if (details.written !== true) throw new DomainError('validation', 'CONSENT.NOT_WRITTEN', 'consent must be given in writing');
  if (details.informed !== true) throw new DomainError('validation', 'CONSENT.NOT_INFORMED', 'consent must be informed');
  requireTimeLimited(details.expiresAt, metadata.now, maxDays);
  return eventOf('ConsentRecorded', { ...details, recordingAgencyId: metadata.agencyId, recordedAt: metadata.now }, metadata, CONSENT_RECORDED_VERSION);
}

/** VAWA asks for a "reasonably time-limited" consent: a release without an end is no release, and the deployment says how long is reasonable. */
function requireTimeLimited(expiresAt: string, now: string, maxDays: number): void {
  if (!expiresAt) {
    throw new DomainError('validation', 'CONSENT.EXPIRY_REQUIRED', 'a consent must say when it expires');
  }
  if (!isInstant(expiresAt) || !isAfter(expiresAt, now)) {
    throw new DomainError('validation', 'CONSENT.EXPIRY_NOT_IN_FUTURE', 'expiresAt must be a date-time after now');
  }
  const latest = new Date(Date.parse(now) + maxDays * DAY_MS).toISOString();
  if (isAfter(expiresAt, latest)) {
    throw new DomainError('validation', 'CONSENT.EXPIRY_TOO_FAR', `a consent runs at most ${maxDays} days: expiresAt must be no later than ${latest}`);
  }
}

/** The referral's addressee, where the referral exists. */
function addresseeOf(referral: ConsentReferral): readonly string[] {
  return referral.status === 'none' ? [] : [referral.record.referredToAgencyId];
}

/** What a consent command is told of a referral: its parties and status, none of the victim's details. */
export function consentReferralOf(referral: VictimReferralState): ConsentReferral {
  if (referral.status === 'none') return referral;
  return { status: referral.status, originatorAgencyId: referral.originatorAgencyId, record: { referredToAgencyId: referral.record.referredToAgencyId } };
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

const EVENT_SCHEMA_VERSIONS: EventSchemaVersions<ConsentEvent> = { ConsentRecorded: [1, CONSENT_RECORDED_VERSION], ConsentRevoked: [1] };

export const consentDecider: Decider<ConsentCommand, ConsentEvent, ConsentState> = recordDecider({
  recordType: 'consent',
  commandTypes: ['RecordConsent', 'RevokeConsent'],
  eventSchemaVersions: EVENT_SCHEMA_VERSIONS,
  upcasters: { ConsentRecorded: (older) => upcastConsentRecordedV1(older as ConsentRecordedV1) },
  downcasters: { ConsentRecorded: { 1: downcastConsentRecordedDataToV1 } },
  decide,
  evolve,
});
