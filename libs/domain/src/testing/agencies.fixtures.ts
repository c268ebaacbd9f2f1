import { AgencyKind } from '../agency/agency';
import { CommandMetadata } from '../message';

function metadataOf(agencyId: string, agencyKind: AgencyKind, now: string, correlationId: string): CommandMetadata {
  return { agencyId, agencyKind, now, correlationId };
}

/** One agency of each kind, as the edge stamps their commands; each acts at its own moment. */
export const HSI_METADATA: CommandMetadata = { ...metadataOf('hsi-new-orleans', 'federal-law-enforcement', '2026-11-02T14:30:00.000Z', 'corr-1'), agencyDepartment: 'DHS' };
export const SHERIFF_METADATA = metadataOf('orleans-parish-sheriff', 'local-law-enforcement', '2026-11-02T15:00:00.000Z', 'corr-2');
export const PROSECUTOR_METADATA = metadataOf('orleans-parish-da', 'prosecutor', '2026-11-04T10:00:00.000Z', 'corr-3');
export const SHELTER_METADATA = metadataOf('bayou-haven-shelter', 'victim-service-provider', '2026-11-03T09:15:00.000Z', 'corr-4');
export const CLINIC_METADATA = metadataOf('crescent-city-clinic', 'health-provider', '2026-11-03T11:00:00.000Z', 'corr-5');
/** A second shelter, to which no referral here is addressed. */
export const OTHER_SHELTER_METADATA = metadataOf('st-jude-refuge', 'victim-service-provider', '2026-11-03T12:00:00.000Z', 'corr-6');

/** A command of any record, built the way the edge builds one. */
export function commandOf<Type extends string, Data>(type: Type, data: Data, metadata: CommandMetadata) {
  return { type, data, metadata };
}
