import { ConsentDetails, ConsentLookups, ConsentReferral } from '../consent/consent';
import { CONSENT_RECORDED_VERSION } from '../consent/consent-recorded.versions';
import { CommandMetadata } from '../message';
import { eventOf } from '../record-state';
import { VictimReferralStatus } from '../victim-referral/victim-referral';
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

/** Her referral, as the edge tells the consent of it: HSI referred her to the shelter. */
export function consentReferral(status: VictimReferralStatus = 'accepted'): ConsentReferral {
  return { status, originatorAgencyId: HSI_METADATA.agencyId, record: { referredToAgencyId: SHELTER_METADATA.agencyId } };
}

export const NO_REFERRAL: ConsentReferral = { status: 'none' };

/** A year, the exchange's default longest consent. */
export const CONSENT_MAX_DAYS = 365;

export const MINOR_CONSENT: Partial<ConsentDetails> = {
  victimIsMinor: true,
  guardian: { name: 'Rosa Example', relationship: 'aunt' },
};

export const recordConsent = (
  details: Partial<ConsentDetails> = {},
  metadata: CommandMetadata = SHELTER_METADATA,
  lookups: Partial<ConsentLookups> = {},
) => commandOf('RecordConsent', { ...consentDetails(details), referral: consentReferral(), maxDays: CONSENT_MAX_DAYS, ...lookups }, metadata);
export const consentRecorded = (details: Partial<ConsentDetails> = {}, metadata: CommandMetadata = SHELTER_METADATA) =>
  eventOf('ConsentRecorded', { ...consentDetails(details), recordingAgencyId: metadata.agencyId, recordedAt: metadata.now }, metadata, CONSENT_RECORDED_VERSION);

const REVOCATION_REASON = 'Victim asked to stop sharing';
export const revokeConsent = (reason = REVOCATION_REASON, metadata: CommandMetadata = SHELTER_METADATA, referral = consentReferral()) =>
  commandOf('RevokeConsent', { consentId, reason, referral }, metadata);
export const consentRevoked = (metadata: CommandMetadata = SHELTER_METADATA) =>
  eventOf('ConsentRevoked', { consentId, reason: REVOCATION_REASON, revokedAt: metadata.now }, metadata);
