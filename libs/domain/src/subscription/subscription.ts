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
  /** Whether the agency also receives every record it would have received had it subscribed earlier: each as one snapshot, as it stands now. */
  readonly backfill: boolean;
}

export type CreateSubscription = DomainCommand<'CreateSubscription', Omit<SubscriptionTerms, 'backfill'> & { readonly backfill?: boolean }>;
export type PauseSubscription = DomainCommand<'PauseSubscription', { readonly subscriptionId: string }>;
export type ResumeSubscription = DomainCommand<'ResumeSubscription', { readonly subscriptionId: string }>;
export type EndSubscription = DomainCommand<'EndSubscription', { readonly subscriptionId: string }>;
export type SubscriptionCommand = CreateSubscription | PauseSubscription | ResumeSubscription | EndSubscription;

/** Schema version 2: `backfill`. */
export type SubscriptionCreated = DomainEvent<'SubscriptionCreated', SubscriptionTerms & { readonly createdAt: string }>;
export const SUBSCRIPTION_CREATED_VERSION = 2;
/** Version 1: no backfill. */
export type SubscriptionCreatedV1 = DomainEvent<'SubscriptionCreated', Omit<SubscriptionCreated['data'], 'backfill'>>;

/** v1 -> v2: a subscription from before backfill existed asked for none. */
export function upcastSubscriptionCreatedV1(event: SubscriptionCreatedV1): SubscriptionCreated {
  return { type: event.type, data: { ...event.data, backfill: false }, metadata: { ...event.metadata, schemaVersion: SUBSCRIPTION_CREATED_VERSION } };
}
export type SubscriptionPaused = DomainEvent<'SubscriptionPaused', { readonly subscriptionId: string; readonly pausedAt: string }>;
export type SubscriptionResumed = DomainEvent<'SubscriptionResumed', { readonly subscriptionId: string; readonly resumedAt: string }>;
export type SubscriptionEnded = DomainEvent<'SubscriptionEnded', { readonly subscriptionId: string; readonly endedAt: string }>;
export type SubscriptionEvent = SubscriptionCreated | SubscriptionPaused | SubscriptionResumed | SubscriptionEnded;

export const SUBSCRIPTION_STATUSES = ['active', 'paused', 'ended'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
export type SubscriptionRecord = SubscriptionCreated['data'];
export type SubscriptionState = RecordState<SubscriptionStatus, SubscriptionRecord>;
