import { AgencyRegistration } from '../agency/agency';
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
    dhsComponent: true,
    credentialSha256: HSI_CREDENTIAL_SHA256,
    ...overrides,
  };
}

export const registerAgency = (overrides: Partial<AgencyRegistration> = {}, metadata: CommandMetadata = ADMIN_METADATA) =>
  commandOf('RegisterAgency', agencyRegistration(overrides), metadata);
export const agencyRegistered = (overrides: Partial<AgencyRegistration> = {}) =>
  eventOf('AgencyRegistered', { ...agencyRegistration(overrides), registeredAt: ADMIN_METADATA.now }, ADMIN_METADATA);
