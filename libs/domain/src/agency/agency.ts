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

/**
 * The executive departments whose officers may hold 8 U.S.C. 1367 information (1367(a)(2)): Homeland
 * Security, Justice and State. An agency that is a component of one says which.
 */
export const FEDERAL_DEPARTMENTS = ['DHS', 'DOJ', 'State'] as const;
export type FederalDepartment = (typeof FEDERAL_DEPARTMENTS)[number];

/** The kinds that can be a component of a federal department: federal law enforcement (HSI, FBI) and prosecutors (a U.S. Attorney's Office). */
export const FEDERAL_COMPONENT_KINDS = ['federal-law-enforcement', 'prosecutor'] as const satisfies readonly AgencyKind[];

/** Criminal justice agencies: under 28 CFR Part 23 they receive a case's records only with a need to know. */
export const CRIMINAL_JUSTICE_KINDS = [...LAW_ENFORCEMENT_KINDS, 'prosecutor'] as const satisfies readonly AgencyKind[];

export interface Agency {
  readonly id: string;
  readonly name: string;
  readonly kind: AgencyKind;
  /** The department (DHS, DOJ or State) the agency is a component of; absent for every other agency. */
  readonly department?: FederalDepartment;
  /** The parishes the agency serves: a criminal justice agency's need to know starts here. May be empty. */
  readonly jurisdiction: readonly string[];
}

/** Inside DHS, DOJ or State: where 8 U.S.C. 1367 information may go without an exception. */
export function withinImmigrationConfidentiality(agency: Pick<Agency, 'department'>): boolean {
  return agency.department !== undefined;
}

// Sets: the policy engine asks for every recipient of every event.
const CRIMINAL_JUSTICE: ReadonlySet<string> = new Set(CRIMINAL_JUSTICE_KINDS);
const LAW_ENFORCEMENT: ReadonlySet<string> = new Set(LAW_ENFORCEMENT_KINDS);

export function isCriminalJustice(kind: string): boolean {
  return CRIMINAL_JUSTICE.has(kind);
}

export function isLawEnforcement(kind: string): boolean {
  return LAW_ENFORCEMENT.has(kind);
}

export function isAgencyKind(value: unknown): value is AgencyKind {
  return (AGENCY_KINDS as readonly unknown[]).includes(value);
}

export interface AgencyRegistration {
  readonly agencyId: string;
  readonly name: string;
  readonly kind: AgencyKind;
  readonly department?: FederalDepartment;
  readonly jurisdiction: readonly string[];
  /** The SHA-256 (hex) of the agency's bearer token: the exchange never stores the token itself. */
  readonly credentialSha256: string;
}

/** Who may register an agency is decided at the admin HTTP edge; the record only checks the registration itself. */
export type RegisterAgency = DomainCommand<'RegisterAgency', AgencyRegistration>;

/** The longest an old credential may outlive its rotation: time enough for an agency to roll out the new token. */
export const MAX_CREDENTIAL_GRACE_SECONDS = 30 * 24 * 60 * 60;
export const MAX_AGENCY_REASON_LENGTH = 200;
export const MAX_JURISDICTION_PARISHES = 100;

/** When the credentials held before a rotation at `rotatedAt` stop working: the event's previousCredentialsValidUntil. */
export function credentialGraceEnd(rotatedAt: string, graceSeconds: number): string {
  return new Date(Date.parse(rotatedAt) + graceSeconds * 1000).toISOString();
}

export interface AgencyCredentialRotation {
  readonly agencyId: string;
  /** The SHA-256 (hex) of the new token. */
  readonly credentialSha256: string;
  /** How long the credentials held until now keep working, in whole seconds; 0 stops them at once. */
  readonly graceSeconds: number;
}

export type RotateAgencyCredential = DomainCommand<'RotateAgencyCredential', AgencyCredentialRotation>;
export type SuspendAgency = DomainCommand<'SuspendAgency', { readonly agencyId: string; readonly reason: string }>;
export type ReinstateAgency = DomainCommand<'ReinstateAgency', { readonly agencyId: string }>;
export type RevokeAgency = DomainCommand<'RevokeAgency', { readonly agencyId: string; readonly reason: string }>;
/** The parishes an agency serves, replaced whole: what need to know (28 CFR Part 23) compares a case's parish with. */
export type SetAgencyJurisdiction = DomainCommand<'SetAgencyJurisdiction', { readonly agencyId: string; readonly jurisdiction: readonly string[] }>;
export type AgencyCommand = RegisterAgency | RotateAgencyCredential | SuspendAgency | ReinstateAgency | RevokeAgency | SetAgencyJurisdiction;

/** Schema version 2: `department` (DHS, DOJ or State) in place of version 1's `dhsComponent`, and the `jurisdiction`. */
export type AgencyRegistered = DomainEvent<'AgencyRegistered', AgencyRegistration & { readonly registeredAt: string }>;
export const AGENCY_REGISTERED_VERSION = 2;

/** Version 1: a DHS flag, no jurisdiction. */
export type AgencyRegisteredV1 = DomainEvent<
  'AgencyRegistered',
  Omit<AgencyRegistered['data'], 'department' | 'jurisdiction'> & { readonly dhsComponent: boolean }
>;

/** v1 -> v2: a DHS component keeps DHS; the jurisdiction is unknown, so empty (the agency's need to know then rests on case teams). */
export function upcastAgencyRegisteredV1(event: AgencyRegisteredV1): AgencyRegistered {
  const { dhsComponent, ...data } = event.data;
  return {
    type: event.type,
    data: { ...data, ...(dhsComponent ? { department: 'DHS' as const } : {}), jurisdiction: [] },
    metadata: { ...event.metadata, schemaVersion: AGENCY_REGISTERED_VERSION },
  };
}
export type AgencyCredentialRotated = DomainEvent<
  'AgencyCredentialRotated',
  { readonly agencyId: string; readonly credentialSha256: string; readonly rotatedAt: string; readonly previousCredentialsValidUntil: string }
>;
export type AgencySuspended = DomainEvent<'AgencySuspended', { readonly agencyId: string; readonly reason: string; readonly suspendedAt: string }>;
export type AgencyReinstated = DomainEvent<'AgencyReinstated', { readonly agencyId: string; readonly reinstatedAt: string }>;
export type AgencyRevoked = DomainEvent<'AgencyRevoked', { readonly agencyId: string; readonly reason: string; readonly revokedAt: string }>;
export type AgencyJurisdictionSet = DomainEvent<'AgencyJurisdictionSet', { readonly agencyId: string; readonly jurisdiction: readonly string[]; readonly setAt: string }>;
export type AgencyEvent = AgencyRegistered | AgencyCredentialRotated | AgencySuspended | AgencyReinstated | AgencyRevoked | AgencyJurisdictionSet;

/** 'registered' is the active agency; 'revoked' is final. */
export type AgencyStatus = 'registered' | 'suspended' | 'revoked';
/** The registration, with the credential issued last. */
export type AgencyRecord = AgencyRegistered['data'];
export type AgencyState = RecordState<AgencyStatus, AgencyRecord>;
