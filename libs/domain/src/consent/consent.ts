import { DomainCommand, DomainEvent } from '../decider';
import { RecordState } from '../record-state';
import { GuardianRelationship } from '../values';
import { VictimReferralRecord, VictimReferralStatus } from '../victim-referral/victim-referral';

/** Why a named recipient may receive the victim's information; a closed list the sharing policies match on. */
export const CONSENT_PURPOSES = ['victim-services', 'investigation', 'prosecution', 'health-care', 'legal-services'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export interface Guardian {
  readonly name: string;
  /** Since ConsentRecorded v2 a word of `GUARDIAN_RELATIONSHIPS`: what tells a guardian turned suspect. */
  readonly relationship: GuardianRelationship;
}

/**
 * A victim's release of information under 34 U.S.C. 12291(b)(2): written, informed, time-limited,
 * naming its recipients. The victim consents; for a minor a parent or guardian consents as well.
 */
export interface ConsentDetails {
  readonly consentId: string;
  /** The referral of the victim who consents. */
  readonly referralId: string;
  readonly victimIsMinor: boolean;
  readonly guardian?: Guardian;
  readonly recipientAgencyIds: readonly string[];
  readonly purposes: readonly ConsentPurpose[];
  /** Dotted paths into the referral, such as `victim.phone`. */
  readonly fields: readonly string[];
  readonly written: boolean;
  readonly informed: boolean;
  readonly expiresAt: string;
}

/**
 * The victim's referral as far as her consent turns on it: who its parties are and where it stands,
 * none of her details. The edge reads it from the referral's stream; a decider reads no other record.
 */
export type ConsentReferral = RecordState<VictimReferralStatus, Pick<VictimReferralRecord, 'referredToAgencyId'>>;

/** What the edge adds to a consent an agency records: its referral, and the longest a consent may run (`CONSENT_MAX_DAYS`). */
export interface ConsentLookups {
  readonly referral: ConsentReferral;
  readonly maxDays: number;
}

export type RecordConsent = DomainCommand<'RecordConsent', ConsentDetails & ConsentLookups>;
export type RevokeConsent = DomainCommand<
  'RevokeConsent',
  { readonly consentId: string; readonly reason: string; readonly referral: ConsentReferral }
>;

export type ConsentCommand = RecordConsent | RevokeConsent;

/** Schema version 2: the guardian's `relationship` is a word of `GUARDIAN_RELATIONSHIPS` (free text in version 1). */
export type ConsentRecorded = DomainEvent<
  'ConsentRecorded',
  ConsentDetails & { readonly recordingAgencyId: string; readonly recordedAt: string }
>;
export type ConsentRevoked = DomainEvent<
  'ConsentRevoked',
  { readonly consentId: string; readonly reason: string; readonly revokedAt: string }
>;

export type ConsentEvent = ConsentRecorded | ConsentRevoked;

/** `recorded` is not `active`: whether a consent is in force also depends on the time it is asked about. */
export type ConsentStatus = 'recorded' | 'revoked';

export interface ConsentRecord extends Omit<ConsentRecorded['data'], never> {
  readonly revocationReason?: string;
  readonly revokedAt?: string;
}

export type ConsentState = RecordState<ConsentStatus, ConsentRecord>;
