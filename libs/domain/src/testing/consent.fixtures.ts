import { ConsentDetails } from '../consent/consent';
import { CommandMetadata } from '../message';
import { eventOf } from '../record-state';
import { commandOf, HSI_METADATA, SHELTER_METADATA } from './agencies.fixtures';

const consentId = 'consent-1';

/** An adult victim releases her name and phone to HSI for the investigation, for six months. */
export function consentDetails(overrides: Partial<ConsentDetails> = {}): ConsentDetails {
  return {
    consentId,
    referralId: 'ref-1',
    victimIsMinor: false,
    recipientAgencyIds: [HSI_METADATA.agencyId],
    purposes: ['investigation'],
    fields: ['victim.givenName', 'victim.familyName', 'victim.phone'],
    written: true,
    informed: true,
    expiresAt: '2027-05-03T00:00:00.000Z',
    ...overrides,
  };
}

export const MINOR_CONSENT: Partial<ConsentDetails> = {
  victimIsMinor: true,
  guardian: { name: 'Rosa Example', relationship: 'aunt' },
};

export const recordConsent = (details: Partial<ConsentDetails> = {}, metadata: CommandMetadata = SHELTER_METADATA) =>
  commandOf('RecordConsent', consentDetails(details), metadata);
export const consentRecorded = (details: Partial<ConsentDetails> = {}) =>
  eventOf(
    'ConsentRecorded',
    { ...consentDetails(details), recordingAgencyId: SHELTER_METADATA.agencyId, recordedAt: SHELTER_METADATA.now },
    SHELTER_METADATA,
  );

const REVOCATION_REASON = 'Victim asked to stop sharing';
export const revokeConsent = (reason = REVOCATION_REASON, metadata: CommandMetadata = SHELTER_METADATA) =>
  commandOf('RevokeConsent', { consentId, reason }, metadata);
export const consentRevoked = () =>
  eventOf('ConsentRevoked', { consentId, reason: REVOCATION_REASON, revokedAt: SHELTER_METADATA.now }, SHELTER_METADATA);
