import { Decider, EventSchemaVersions } from '../decider';
import { DomainError } from '../domain-error';
import { assertNever, eventOf, recordDecider, requireNew } from '../record-state';
import { requireText } from '../validation';
import { AgencyCommand, AgencyEvent, AgencyState, isAgencyKind, RegisterAgency } from './agency';

const AGENCY_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

function decide(command: AgencyCommand, state: AgencyState): AgencyEvent[] {
  switch (command.type) {
    case 'RegisterAgency':
      return [register(command, state)];
    default:
      // One command type: the union does not narrow to never, so the check names the type.
      return assertNever(command.type as never);
  }
}

function register({ data, metadata }: RegisterAgency, state: AgencyState): AgencyEvent {
  requireNew(state, 'AGENCY.ALREADY_REGISTERED', 'this agency has already been registered');
  if (typeof data.agencyId !== 'string' || !AGENCY_ID.test(data.agencyId)) {
    throw new DomainError('validation', 'AGENCY.INVALID_ID', 'an agency id is 2 to 63 lowercase letters, digits and hyphens');
  }
  requireText(data.name, 'AGENCY.NAME_REQUIRED', "the agency's name");
  if (!isAgencyKind(data.kind)) throw new DomainError('validation', 'AGENCY.UNKNOWN_KIND', `unknown agency kind ${String(data.kind)}`);
  if (typeof data.dhsComponent !== 'boolean') {
    throw new DomainError('validation', 'AGENCY.DHS_COMPONENT_REQUIRED', 'say whether the agency is a DHS component');
  }
  // 8 U.S.C. 1367 information follows this flag: only a federal law enforcement agency can be a DHS component here.
  if (data.dhsComponent && data.kind !== 'federal-law-enforcement') {
    throw new DomainError('validation', 'AGENCY.DHS_COMPONENT_NOT_FEDERAL', 'only federal law enforcement agencies are DHS components');
  }
  if (typeof data.credentialSha256 !== 'string' || !SHA256_HEX.test(data.credentialSha256)) {
    throw new DomainError('validation', 'AGENCY.INVALID_CREDENTIAL', 'the credential is the SHA-256 of the token, as 64 lowercase hex digits');
  }
  const { agencyId, name, kind, dhsComponent, credentialSha256 } = data;
  return eventOf('AgencyRegistered', { agencyId, name, kind, dhsComponent, credentialSha256, registeredAt: metadata.now }, metadata);
}

function evolve(state: AgencyState, event: AgencyEvent): AgencyState {
  switch (event.type) {
    case 'AgencyRegistered':
      return { status: 'registered', originatorAgencyId: event.data.agencyId, record: event.data };
    default:
      return assertNever(event.type as never);
  }
}

const EVENT_SCHEMA_VERSIONS: EventSchemaVersions<AgencyEvent> = { AgencyRegistered: [1] };

export const agencyDecider: Decider<AgencyCommand, AgencyEvent, AgencyState> = recordDecider({
  recordType: 'agency',
  commandTypes: ['RegisterAgency'],
  eventSchemaVersions: EVENT_SCHEMA_VERSIONS,
  decide,
  evolve,
});
