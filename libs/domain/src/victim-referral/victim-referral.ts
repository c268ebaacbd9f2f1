import { CommandMetadata, EventMetadata } from '../message';

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
  readonly name: string;
  readonly dateOfBirth: string;
  readonly nationality: string;
  readonly phone: string;
  readonly languages: readonly string[];
}

export interface Dependent {
  readonly relationship: string;
  readonly age: number;
}

export interface Place {
  readonly description: string;
  readonly parish: string;
}

export interface ReferringOfficer {
  readonly name: string;
  readonly badgeNumber: string;
  readonly phone: string;
}

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

export interface SubmitVictimReferral {
  readonly type: 'SubmitVictimReferral';
  readonly data: VictimReferralDetails;
  readonly metadata: CommandMetadata;
}

export type VictimReferralCommand = SubmitVictimReferral;

export interface VictimReferralSubmitted {
  readonly type: 'VictimReferralSubmitted';
  readonly data: VictimReferralDetails & { readonly referringAgencyId: string; readonly submittedAt: string };
  readonly metadata: EventMetadata;
}

export type VictimReferralEvent = VictimReferralSubmitted;

export type VictimReferralState =
  | { readonly status: 'none' }
  | { readonly status: 'submitted'; readonly referralId: string; readonly referringAgencyId: string };

export const initialVictimReferralState: VictimReferralState = { status: 'none' };

export function victimReferralStreamId(referralId: string): string {
  return `victim-referral-${referralId}`;
}
