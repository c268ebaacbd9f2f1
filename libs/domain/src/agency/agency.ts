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

export function isLawEnforcement(kind: AgencyKind): boolean {
  return (LAW_ENFORCEMENT_KINDS as readonly AgencyKind[]).includes(kind);
}
