import { DomainCommand, DomainEvent } from '../decider';
import { RecordState } from '../record-state';

export const AGENCY_KINDS = [
  'federal-law-enforcement',
  'local-law-enforcement',
  'prosecutor',
  'victim-service-provider',
  'health-provider',
] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

export const LAW_ENFORCEMENT_KINDS = ['federal-law-enforcement', 'local-law-enforcement'] as const satisfies readonly AgencyKind[];

export interface Agency {
  readonly id: string;
  readonly name: string;
  readonly kind: AgencyKind;
  /** A component of the Department of Homeland Security (HSI is one): the only holders of 8 U.S.C. 1367 information. */
  readonly dhsComponent: boolean;
}

export function isLawEnforcement(kind: string): boolean {
  return (LAW_ENFORCEMENT_KINDS as readonly string[]).includes(kind);
}

export function isAgencyKind(value: unknown): value is AgencyKind {
  return (AGENCY_KINDS as readonly unknown[]).includes(value);
}

export interface AgencyRegistration {
  readonly agencyId: string;
  readonly name: string;
  readonly kind: AgencyKind;
  readonly dhsComponent: boolean;
  /** The SHA-256 (hex) of the agency's bearer token: the exchange never stores the token itself. */
  readonly credentialSha256: string;
}

/** Who may register an agency is decided at the admin HTTP edge; the record only checks the registration itself. */
export type RegisterAgency = DomainCommand<'RegisterAgency', AgencyRegistration>;
export type AgencyCommand = RegisterAgency;

export type AgencyRegistered = DomainEvent<'AgencyRegistered', AgencyRegistration & { readonly registeredAt: string }>;
export type AgencyEvent = AgencyRegistered;

export type AgencyStatus = 'registered';
export type AgencyRecord = AgencyRegistered['data'];
export type AgencyState = RecordState<AgencyStatus, AgencyRecord>;
