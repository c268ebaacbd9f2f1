import { ArrestDetails, Charge } from '../arrest-record/arrest-record';
import { ARREST_RECORDED_VERSION } from '../arrest-record/arrest-recorded.versions';
import { GuardianRelationship } from '../values';
import { CommandMetadata } from '../message';
import { eventOf } from '../record-state';
import { commandOf, SHERIFF_METADATA } from './agencies.fixtures';

const arrestRecordId = 'arrest-1';

export function arrestDetails(overrides: Partial<ArrestDetails> = {}): ArrestDetails {
  return {
    arrestRecordId,
    arrestee: { givenName: 'John', familyName: 'Doe', dateOfBirth: '1981-07-09' },
    charges: [{ statute: 'La. R.S. 14:46.2', description: 'Human trafficking' }],
    bookingNumber: 'OPSO-2026-118734',
    arrestedAt: '2026-11-02T06:10:00.000Z',
    place: { description: 'Motel on Chef Menteur Highway', parish: 'Orleans' },
    victimReferralIds: ['ref-1'],
    ...overrides,
  };
}

export const recordArrest = (details: Partial<ArrestDetails> = {}, metadata: CommandMetadata = SHERIFF_METADATA) =>
  commandOf('RecordArrest', arrestDetails(details), metadata);
export const arrestRecorded = (details: Partial<ArrestDetails> = {}) =>
  eventOf(
    'ArrestRecorded',
    { ...arrestDetails(details), arrestingAgencyId: SHERIFF_METADATA.agencyId, recordedAt: SHERIFF_METADATA.now },
    SHERIFF_METADATA,
    ARREST_RECORDED_VERSION,
  );

export const recordArresteeRelationship = (relationshipToVictim: GuardianRelationship = 'aunt', metadata: CommandMetadata = SHERIFF_METADATA, id = arrestRecordId) =>
  commandOf('RecordArresteeRelationship', { arrestRecordId: id, relationshipToVictim }, metadata);
export const arresteeRelationshipRecorded = (relationshipToVictim: GuardianRelationship = 'aunt', id = arrestRecordId) =>
  eventOf('ArresteeRelationshipRecorded', { arrestRecordId: id, arrestee: { relationshipToVictim }, determinedAt: SHERIFF_METADATA.now }, SHERIFF_METADATA);

export const AMENDED_CHARGES: readonly Charge[] = [
  { statute: 'La. R.S. 14:46.2', description: 'Human trafficking' },
  { statute: 'La. R.S. 14:46.3', description: 'Trafficking of children for sexual purposes' },
];
export const amendCharges = (charges = AMENDED_CHARGES, metadata: CommandMetadata = SHERIFF_METADATA) =>
  commandOf('AmendCharges', { arrestRecordId, charges }, metadata);
export const arrestChargesAmended = () =>
  eventOf('ArrestChargesAmended', { arrestRecordId, charges: AMENDED_CHARGES, amendedAt: SHERIFF_METADATA.now }, SHERIFF_METADATA);

const SEALING_ORDER = 'CDC 26-04411 Sec. H, order of 2026-12-01';
export const sealArrestRecord = (courtOrderReference = SEALING_ORDER, metadata: CommandMetadata = SHERIFF_METADATA) =>
  commandOf('SealArrestRecord', { arrestRecordId, courtOrderReference }, metadata);
export const arrestRecordSealed = () =>
  eventOf('ArrestRecordSealed', { arrestRecordId, courtOrderReference: SEALING_ORDER, sealedAt: SHERIFF_METADATA.now }, SHERIFF_METADATA);

const EXPUNGEMENT_ORDER = 'CDC 26-04411 Sec. H, expungement of 2027-03-15';
export const expungeArrestRecord = (courtOrderReference = EXPUNGEMENT_ORDER, metadata: CommandMetadata = SHERIFF_METADATA) =>
  commandOf('ExpungeArrestRecord', { arrestRecordId, courtOrderReference }, metadata);
export const arrestRecordExpunged = () =>
  eventOf(
    'ArrestRecordExpunged',
    { arrestRecordId, courtOrderReference: EXPUNGEMENT_ORDER, expungedAt: SHERIFF_METADATA.now },
    SHERIFF_METADATA,
  );
