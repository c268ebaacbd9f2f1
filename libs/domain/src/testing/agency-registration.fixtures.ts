import { AGENCY_REGISTERED_VERSION, AgencyRegistration } from '../agency/agency';
import { CommandMetadata } from '../message';
import { eventOf } from '../record-state';
import { commandOf, HSI_METADATA } from './agencies.fixtures';

/** The exchange's admins act as the exchange itself, at their own moment. */
export const ADMIN_METADATA: CommandMetadata = {
  ...HSI_METADATA,
  agencyId: 'crescent-exchange',
  agencyKind: 'exchange-admin',
  now: '2026-10-01T08:00:00.000Z',
  correlationId: 'corr-admin',
};

/** The SHA-256 of the token `hsi-demo-token`, as the admin edge would compute it. */
export const HSI_CREDENTIAL_SHA256 = 'b15f1237a66a3d5b097998b204d3b6fd50ff0e58322ab71c1356287801dbd406';

export function agencyRegistration(overrides: Partial<AgencyRegistration> = {}): AgencyRegistration {
  return {
    agencyId: 'hsi-new-orleans',
    name: 'HSI New Orleans',
    kind: 'federal-law-enforcement',
    department: 'DHS',
    jurisdiction: ['Orleans', 'Jefferson'],
    credentialSha256: HSI_CREDENTIAL_SHA256,
    ...overrides,
  };
}

export const registerAgency = (overrides: Partial<AgencyRegistration> = {}, metadata: CommandMetadata = ADMIN_METADATA) =>
  commandOf('RegisterAgency', agencyRegistration(overrides), metadata);
export const agencyRegistered = (overrides: Partial<AgencyRegistration> = {}) =>
  eventOf('AgencyRegistered', { ...agencyRegistration(overrides), registeredAt: ADMIN_METADATA.now }, ADMIN_METADATA, AGENCY_REGISTERED_VERSION);

/** The SHA-256 of the token `hsi-rotated-token`: the credential HSI is given in place of its first. */
export const HSI_ROTATED_CREDENTIAL_SHA256 = 'f1e59b5fced32e51361cd41ad60082ec06eaa1f10615d62a638dafbd8a227a39';

/** An admin acting a day after the registration, so the lifecycle's times differ from registeredAt. */
export const ADMIN_LATER_METADATA: CommandMetadata = { ...ADMIN_METADATA, now: '2026-10-02T09:30:00.000Z', correlationId: 'corr-admin-2' };

export const rotateAgencyCredential = (graceSeconds = 86_400, credentialSha256 = HSI_ROTATED_CREDENTIAL_SHA256) =>
  commandOf('RotateAgencyCredential', { agencyId: 'hsi-new-orleans', credentialSha256, graceSeconds }, ADMIN_LATER_METADATA);
/** Rotated at 2026-10-02T09:30Z with a day's grace: the old token works until 2026-10-03T09:30Z. */
export const agencyCredentialRotated = (previousCredentialsValidUntil = '2026-10-03T09:30:00.000Z') =>
  eventOf(
    'AgencyCredentialRotated',
    { agencyId: 'hsi-new-orleans', credentialSha256: HSI_ROTATED_CREDENTIAL_SHA256, rotatedAt: ADMIN_LATER_METADATA.now, previousCredentialsValidUntil },
    ADMIN_LATER_METADATA,
  );

const SUSPENSION_REASON = 'Token found in a public code repository';
export const suspendAgency = (reason = SUSPENSION_REASON) => commandOf('SuspendAgency', { agencyId: 'hsi-new-orleans', reason }, ADMIN_LATER_METADATA);
export const agencySuspended = (reason = SUSPENSION_REASON) =>
  eventOf('AgencySuspended', { agencyId: 'hsi-new-orleans', reason, suspendedAt: ADMIN_LATER_METADATA.now }, ADMIN_LATER_METADATA);
export const reinstateAgency = () => commandOf('ReinstateAgency', { agencyId: 'hsi-new-orleans' }, ADMIN_LATER_METADATA);
export const agencyReinstated = () =>
  eventOf('AgencyReinstated', { agencyId: 'hsi-new-orleans', reinstatedAt: ADMIN_LATER_METADATA.now }, ADMIN_LATER_METADATA);

const REVOCATION_REASON = 'Memorandum of understanding terminated';
export const revokeAgency = (reason = REVOCATION_REASON) => commandOf('RevokeAgency', { agencyId: 'hsi-new-orleans', reason }, ADMIN_LATER_METADATA);
export const agencyRevoked = () =>
  eventOf('AgencyRevoked', { agencyId: 'hsi-new-orleans', reason: REVOCATION_REASON, revokedAt: ADMIN_LATER_METADATA.now }, ADMIN_LATER_METADATA);
export const setAgencyJurisdiction = (jurisdiction: readonly string[] = ['Orleans', 'Plaquemines']) =>
  commandOf('SetAgencyJurisdiction', { agencyId: 'hsi-new-orleans', jurisdiction }, ADMIN_LATER_METADATA);
export const agencyJurisdictionSet = (jurisdiction: readonly string[] = ['Orleans', 'Plaquemines']) =>
  eventOf('AgencyJurisdictionSet', { agencyId: 'hsi-new-orleans', jurisdiction, setAt: ADMIN_LATER_METADATA.now }, ADMIN_LATER_METADATA);
