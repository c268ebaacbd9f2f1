import { Decider, EventSchemaVersions } from '../decider';
import { DomainError } from '../domain-error';
import { assertNever, eventOf, ExistingRecord, recordDecider, Refusals, requireNew, requireStatus } from '../record-state';
import { requireText } from '../validation';
import {
  AgencyCommand,
  AgencyEvent,
  AgencyState,
  AGENCY_REGISTERED_VERSION,
  AgencyRegisteredV1,
  AgencyStatus,
  credentialGraceEnd,
  FEDERAL_COMPONENT_KINDS,
  FEDERAL_DEPARTMENTS,
  isAgencyKind,
  MAX_AGENCY_REASON_LENGTH,
  MAX_CREDENTIAL_GRACE_SECONDS,
  MAX_JURISDICTION_PARISHES,
  RegisterAgency,
  RotateAgencyCredential,
  upcastAgencyRegisteredV1,
} from './agency';

const AGENCY_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

const REVOKED: readonly [string, string] = ['AGENCY.REVOKED', 'this agency has been revoked; nothing can change it any more'];
const REFUSALS: Refusals<AgencyStatus> = { revoked: REVOKED };

function decide(command: AgencyCommand, state: AgencyState): AgencyEvent[] {
  if (command.type === 'RegisterAgency') return [register(command, state)];
  const { status } = requireRegistered(state);
  const { agencyId } = command.data;
  const { metadata } = command;
  switch (command.type) {
    case 'RotateAgencyCredential':
      // A suspended agency may get a new credential: a leaked token is a common reason to suspend.
      requireStatus(status, ['registered', 'suspended'], REFUSALS);
      return [rotate(command)];
    case 'SuspendAgency':
      requireStatus(status, ['registered'], { ...REFUSALS, suspended: ['AGENCY.ALREADY_SUSPENDED', 'this agency is already suspended'] });
      requireReason(command.data.reason);
      return [eventOf('AgencySuspended', { agencyId, reason: command.data.reason, suspendedAt: metadata.now }, metadata)];
    case 'ReinstateAgency':
      requireStatus(status, ['suspended'], { ...REFUSALS, registered: ['AGENCY.NOT_SUSPENDED', 'this agency is not suspended'] });
      return [eventOf('AgencyReinstated', { agencyId, reinstatedAt: metadata.now }, metadata)];
    case 'RevokeAgency':
      requireStatus(status, ['registered', 'suspended'], REFUSALS);
      requireReason(command.data.reason);
      return [eventOf('AgencyRevoked', { agencyId, reason: command.data.reason, revokedAt: metadata.now }, metadata)];
    case 'SetAgencyJurisdiction':
      requireStatus(status, ['registered', 'suspended'], REFUSALS);
      requireJurisdiction(command.data.jurisdiction);
      return [eventOf('AgencyJurisdictionSet', { agencyId, jurisdiction: [...command.data.jurisdiction], setAt: metadata.now }, metadata)];
    default:
      return assertNever(command);
  }
}

function requireRegistered(state: AgencyState): ExistingRecord<AgencyState> {
  if (state.status === 'none') throw new DomainError('not-found', 'AGENCY.NOT_FOUND', 'no such agency');
  return state;
}

function requireReason(reason: unknown): void {
  if (typeof reason !== 'string' || reason.trim() === '' || reason.length > MAX_AGENCY_REASON_LENGTH) {
    throw new DomainError('validation', 'AGENCY.REASON_REQUIRED', `give a reason of 1 to ${MAX_AGENCY_REASON_LENGTH} characters`);
  }
}

function requireCredentialHash(credentialSha256: unknown): void {
  if (typeof credentialSha256 !== 'string' || !SHA256_HEX.test(credentialSha256)) {
    throw new DomainError('validation', 'AGENCY.INVALID_CREDENTIAL', 'the credential is the SHA-256 of the token, as 64 lowercase hex digits');
  }
}

function rotate({ data, metadata }: RotateAgencyCredential): AgencyEvent {
  requireCredentialHash(data.credentialSha256);
  const { graceSeconds } = data;
  if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_CREDENTIAL_GRACE_SECONDS) {
    throw new DomainError('validation', 'AGENCY.INVALID_GRACE', `graceSeconds is a whole number from 0 to ${MAX_CREDENTIAL_GRACE_SECONDS} (30 days)`);
  }
  const previousCredentialsValidUntil = credentialGraceEnd(metadata.now, graceSeconds);
  return eventOf(
    'AgencyCredentialRotated',
    { agencyId: data.agencyId, credentialSha256: data.credentialSha256, rotatedAt: metadata.now, previousCredentialsValidUntil },
    metadata,
  );
}

function register({ data, metadata }: RegisterAgency, state: AgencyState): AgencyEvent {
  requireNew(state, 'AGENCY.ALREADY_REGISTERED', 'this agency has already been registered');
  if (typeof data.agencyId !== 'string' || !AGENCY_ID.test(data.agencyId)) {
    throw new DomainError('validation', 'AGENCY.INVALID_ID', 'an agency id is 2 to 63 lowercase letters, digits and hyphens');
  }
  requireText(data.name, 'AGENCY.NAME_REQUIRED', "the agency's name");
  if (!isAgencyKind(data.kind)) throw new DomainError('validation', 'AGENCY.UNKNOWN_KIND', `unknown agency kind ${String(data.kind)}`);
  if (data.department !== undefined) {
    if (!(FEDERAL_DEPARTMENTS as readonly unknown[]).includes(data.department)) {
      throw new DomainError('validation', 'AGENCY.UNKNOWN_DEPARTMENT', `department is one of ${FEDERAL_DEPARTMENTS.join(', ')}`);
    }
    // 8 U.S.C. 1367 information follows the department: only a federal agency can be a component of one.
    if (!(FEDERAL_COMPONENT_KINDS as readonly string[]).includes(data.kind)) {
      throw new DomainError('validation', 'AGENCY.DEPARTMENT_NOT_FEDERAL', `only ${FEDERAL_COMPONENT_KINDS.join(' and ')} agencies are components of a federal department`);
    }
  }
  requireJurisdiction(data.jurisdiction);
  requireCredentialHash(data.credentialSha256);
  const { agencyId, name, kind, department, jurisdiction, credentialSha256 } = data;
  return eventOf(
    'AgencyRegistered',
    { agencyId, name, kind, ...(department === undefined ? {} : { department }), jurisdiction: [...jurisdiction], credentialSha256, registeredAt: metadata.now },
    metadata,
    AGENCY_REGISTERED_VERSION,
  );
}

/** Parish names, each once: what need to know (28 CFR Part 23) compares a case's parish with. */
function requireJurisdiction(jurisdiction: unknown): void {
  const valid =
    Array.isArray(jurisdiction) &&
    jurisdiction.length <= MAX_JURISDICTION_PARISHES &&
    jurisdiction.every((parish) => typeof parish === 'string' && /\S/.test(parish) && parish.length <= 100) &&
    new Set(jurisdiction).size === jurisdiction.length;
  if (!valid) {
    throw new DomainError('validation', 'AGENCY.INVALID_JURISDICTION', `jurisdiction lists up to ${MAX_JURISDICTION_PARISHES} distinct parish names`);
  }
}

function evolve(state: AgencyState, event: AgencyEvent): AgencyState {
  if (event.type === 'AgencyRegistered') return { status: 'registered', originatorAgencyId: event.data.agencyId, record: event.data };
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'AgencyCredentialRotated':
      return { ...state, record: { ...state.record, credentialSha256: event.data.credentialSha256 } };
    case 'AgencySuspended':
      return { ...state, status: 'suspended' };
    case 'AgencyReinstated':
      return { ...state, status: 'registered' };
    case 'AgencyRevoked':
      return { ...state, status: 'revoked' };
    case 'AgencyJurisdictionSet':
      return { ...state, record: { ...state.record, jurisdiction: event.data.jurisdiction } };
    default:
      return assertNever(event);
  }
}

const EVENT_SCHEMA_VERSIONS: EventSchemaVersions<AgencyEvent> = {
  AgencyRegistered: [1, AGENCY_REGISTERED_VERSION],
  AgencyCredentialRotated: [1],
  AgencySuspended: [1],
  AgencyReinstated: [1],
  AgencyRevoked: [1],
  AgencyJurisdictionSet: [1],
};

export const agencyDecider: Decider<AgencyCommand, AgencyEvent, AgencyState> = recordDecider({
  recordType: 'agency',
  commandTypes: ['RegisterAgency', 'RotateAgencyCredential', 'SuspendAgency', 'ReinstateAgency', 'RevokeAgency', 'SetAgencyJurisdiction'],
  eventSchemaVersions: EVENT_SCHEMA_VERSIONS,
  upcasters: { AgencyRegistered: (older) => upcastAgencyRegisteredV1(older as AgencyRegisteredV1) },
  decide,
  evolve,
});
