export type AgencyKind =
  | 'federal-law-enforcement'
  | 'local-law-enforcement'
  | 'prosecutor'
  | 'victim-service-provider'
  | 'health-provider';

export interface Agency {
  readonly id: string;
  readonly name: string;
  readonly kind: AgencyKind;
  /** A component of the Department of Homeland Security (HSI is one): the only holders of 8 U.S.C. 1367 information. */
  readonly dhsComponent: boolean;
}
