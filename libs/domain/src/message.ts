/** Who did something and when: supplied by the edge, never read from a clock in the domain. */
import { AgencyKind } from './agency/agency';

export interface CommandMetadata {
  readonly agencyId: string;
  readonly agencyKind: AgencyKind;
  readonly now: string;
  readonly correlationId: string;
}

export interface EventMetadata extends CommandMetadata {
  readonly schemaVersion: number;
}
