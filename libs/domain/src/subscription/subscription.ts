import { DomainCommand, DomainEvent } from '../decider';
import { RecordState } from '../record-state';
import { SharableRecordType } from '../sharing-policy/sharing-policy';

/**
 * The schema versions a subscriber can pin, per record type: a record's version is that of its
 * newest event schema (a victim referral is at 2 since VictimReferralSubmitted v2, an arrest record since ArrestRecorded v2, a consent since ConsentRecorded v2).
 */
export const RECORD_SCHEMA_VERSIONS: { readonly [Type in SharableRecordType]: readonly number[] } = {
  case: [1],
  'victim-referral': [1, 2],
  'arrest-record': [1, 2],
  consent: [1, 2],
};

/** Narrows what a subscription asks for; every filter given must match. */
export interface SubscriptionFilters {
  /** Records about these parishes (where a victim was found, an arrest made, a case opened). */
  readonly parishes?: readonly string[];
  /** Records linked to these cases. */
  readonly caseIds?: readonly string[];
}

export interface SubscriptionTerms {
  readonly subscriptionId: string;
  readonly agencyId: string;
  readonly recordType: SharableRecordType;
  readonly schemaVersion: number;
  readonly filters: SubscriptionFilters;
}

export type CreateSubscription = DomainCommand<'CreateSubscription', SubscriptionTerms>;
export type PauseSubscription = DomainCommand<'PauseSubscription', { readonly subscriptionId: string }>;
export type ResumeSubscription = DomainCommand<'ResumeSubscription', { readonly subscriptionId: string }>;
export type EndSubscription = DomainCommand<'EndSubscription', { readonly subscriptionId: string }>;
export type SubscriptionCommand = CreateSubscription | PauseSubscription | ResumeSubscription | EndSubscription;

export type SubscriptionCreated = DomainEvent<'SubscriptionCreated', SubscriptionTerms & { readonly createdAt: string }>;
export type SubscriptionPaused = DomainEvent<'SubscriptionPaused', { readonly subscriptionId: string; readonly pausedAt: string }>;
export type SubscriptionResumed = DomainEvent<'SubscriptionResumed', { readonly subscriptionId: string; readonly resumedAt: string }>;
export type SubscriptionEnded = DomainEvent<'SubscriptionEnded', { readonly subscriptionId: string; readonly endedAt: string }>;
export type SubscriptionEvent = SubscriptionCreated | SubscriptionPaused | SubscriptionResumed | SubscriptionEnded;

export type SubscriptionStatus = 'active' | 'paused' | 'ended';
export type SubscriptionRecord = SubscriptionCreated['data'];
export type SubscriptionState = RecordState<SubscriptionStatus, SubscriptionRecord>;
