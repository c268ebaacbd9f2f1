import { DomainEvent } from '../decider';
import { Arrestee, ArrestRecorded } from './arrest-record';

export const ARREST_RECORDED_VERSION = 2;

/** Version 1: no relationship of the arrestee to the victims. */
export type ArrestRecordedV1 = DomainEvent<
  'ArrestRecorded',
  Omit<ArrestRecorded['data'], 'arrestee'> & { readonly arrestee: Omit<Arrestee, 'relationshipToVictim'> }
>;

/** v1 -> v2: the relationship was not recorded, so it stays absent. */
export function upcastArrestRecordedV1(event: ArrestRecordedV1): ArrestRecorded {
  return { type: event.type, data: event.data, metadata: { ...event.metadata, schemaVersion: ARREST_RECORDED_VERSION } };
}

/** v2 data to v1, whole or projected: the relationship is dropped, as version 1 has no place for it. */
export function downcastArrestRecordedDataToV1(data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const arrestee = data.arrestee;
  if (arrestee === null || typeof arrestee !== 'object') return { ...data };
  const { relationshipToVictim: _relationship, ...rest } = arrestee as Record<string, unknown>;
  return { ...data, arrestee: rest };
}
