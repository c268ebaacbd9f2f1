/** Who did something and when: supplied by the edge, never read from a clock in the domain. */
import { AgencyKind, FederalDepartment } from './agency/agency';

/** An agency of the exchange, or the exchange's own administration (registering agencies, publishing policies). */
export type ActorKind = AgencyKind | 'exchange-admin';

export interface CommandMetadata {
  readonly agencyId: string;
  readonly agencyKind: ActorKind;
  /** The federal department (DHS, DOJ or State) the acting agency is a component of, if any. */
  readonly agencyDepartment?: FederalDepartment;
  readonly now: string;
  readonly correlationId: string;
  /** W3C trace context of the request that caused this, carried through to every delivery. */
  readonly traceparent?: string;
  /** The person of the acting agency who took the step (`person:<id>`), when its system names one. */
  readonly onBehalfOf?: string;
}

export interface EventMetadata extends CommandMetadata {
  readonly schemaVersion: number;
}
