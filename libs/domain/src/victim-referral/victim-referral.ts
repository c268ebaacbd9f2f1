import { DomainCommand, DomainEvent } from '../decider';
import { RecordState } from '../record-state';
import { Officer, Place } from '../values';

export const IMMIGRATION_RELIEF_STATUSES = [
  'none',
  't-visa-applicant',
  'u-visa-applicant',
  'continued-presence',
  'vawa-self-petitioner',
] as const;
export type ImmigrationReliefStatus = (typeof IMMIGRATION_RELIEF_STATUSES)[number];

export const REFERRAL_NEEDS = ['shelter', 'legal', 'medical', 'interpreter', 'counseling', 'case-management'] as const;
export type ReferralNeed = (typeof REFERRAL_NEEDS)[number];

export interface Victim {
  readonly givenName: string;
  readonly familyName: string;
  /** `YYYY-MM-DD`. */
  readonly dateOfBirth: string;
  readonly nationality: string;
  readonly phone: string;
  /** Most preferred first, as BCP 47 tags (`es`, `en`). */
  readonly preferredLanguages: readonly string[];
}

/** The victim as the events record them: flagged as a minor at the time of submission or correction. */
export interface RecordedVictim extends Victim {
  readonly isMinor: boolean;
}

export interface Dependent {
  readonly relationship: string;
  readonly age: number;
}

export type ReferringOfficer = Officer;

/** Everything a referral carries, as the referring agency wrote it. */
export interface VictimReferralDetails {
  readonly referralId: string;
  /** The victim service provider the referral is addressed to. */
  readonly referredToAgencyId: string;
  readonly victim: Victim;
  readonly immigrationReliefStatus: ImmigrationReliefStatus;
  readonly needs: readonly ReferralNeed[];
  readonly dependents: readonly Dependent[];
  readonly foundAt: Place;
  readonly referringOfficer: ReferringOfficer;
}

/** What a sender may correct: everything but the addressee (a different addressee is a new referral). */
export type VictimReferralCorrection = Omit<VictimReferralDetails, 'referredToAgencyId'>;

export interface VictimContact {
  readonly phone: string;
  readonly preferredLanguages: readonly string[];
}

type WithRecordedVictim<T extends { readonly victim: Victim }> = Omit<T, 'victim'> & { readonly victim: RecordedVictim };

export type SubmitVictimReferral = DomainCommand<'SubmitVictimReferral', VictimReferralDetails>;
export type AcknowledgeVictimReferral = DomainCommand<'AcknowledgeVictimReferral', { readonly referralId: string }>;
export type AcceptVictimReferral = DomainCommand<'AcceptVictimReferral', { readonly referralId: string }>;
export type DeclineVictimReferral = DomainCommand<'DeclineVictimReferral', { readonly referralId: string; readonly reason: string }>;
export type RequestVictimReferralInformation = DomainCommand<
  'RequestVictimReferralInformation',
  { readonly referralId: string; readonly question: string }
>;
export type WithdrawVictimReferral = DomainCommand<'WithdrawVictimReferral', { readonly referralId: string; readonly reason: string }>;
export type UpdateVictimContact = DomainCommand<'UpdateVictimContact', VictimContact & { readonly referralId: string }>;
export type CorrectVictimReferral = DomainCommand<'CorrectVictimReferral', VictimReferralCorrection>;

export type VictimReferralCommand =
  | SubmitVictimReferral
  | AcknowledgeVictimReferral
  | AcceptVictimReferral
  | DeclineVictimReferral
  | RequestVictimReferralInformation
  | WithdrawVictimReferral
  | UpdateVictimContact
  | CorrectVictimReferral;

/** Schema version 2: the victim's name split in two, `preferredLanguages`, and the minor flag. */
export type VictimReferralSubmitted = DomainEvent<
  'VictimReferralSubmitted',
  WithRecordedVictim<VictimReferralDetails> & { readonly referringAgencyId: string; readonly submittedAt: string }
>;
export type VictimReferralAcknowledged = DomainEvent<
  'VictimReferralAcknowledged',
  { readonly referralId: string; readonly acknowledgedAt: string }
>;
export type VictimReferralAccepted = DomainEvent<'VictimReferralAccepted', { readonly referralId: string; readonly acceptedAt: string }>;
export type VictimReferralDeclined = DomainEvent<
  'VictimReferralDeclined',
  { readonly referralId: string; readonly reason: string; readonly declinedAt: string }
>;
export type VictimReferralInformationRequested = DomainEvent<
  'VictimReferralInformationRequested',
  { readonly referralId: string; readonly question: string; readonly requestedAt: string }
>;
export type VictimReferralWithdrawn = DomainEvent<
  'VictimReferralWithdrawn',
  { readonly referralId: string; readonly reason: string; readonly withdrawnAt: string }
>;
export type VictimContactUpdated = DomainEvent<
  'VictimContactUpdated',
  VictimContact & { readonly referralId: string; readonly updatedAt: string }
>;
export type VictimReferralCorrected = DomainEvent<
  'VictimReferralCorrected',
  WithRecordedVictim<VictimReferralCorrection> & { readonly correctedAt: string }
>;

export type VictimReferralEvent =
  | VictimReferralSubmitted
  | VictimReferralAcknowledged
  | VictimReferralAccepted
  | VictimReferralDeclined
  | VictimReferralInformationRequested
  | VictimReferralWithdrawn
  | VictimContactUpdated
  | VictimReferralCorrected;

export type VictimReferralStatus =
  | 'submitted'
  | 'acknowledged'
  | 'information-requested'
  | 'accepted'
  | 'declined'
  | 'withdrawn';

/** The referral as it stands: the latest details plus where its lifecycle has got to. */
export interface VictimReferralRecord extends Omit<VictimReferralSubmitted['data'], never> {
  readonly acknowledgedAt?: string;
  /** The addressee's question while it awaits the sender's answer (a correction or contact update). */
  readonly openQuestion?: string;
  readonly acceptedAt?: string;
  readonly declineReason?: string;
  readonly withdrawalReason?: string;
  readonly correctedAt?: string;
}

export type VictimReferralState = RecordState<VictimReferralStatus, VictimReferralRecord>;
