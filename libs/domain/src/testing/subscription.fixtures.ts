import { CommandMetadata } from '../message';
import { eventOf } from '../record-state';
import { SUBSCRIPTION_CREATED_VERSION, SubscriptionTerms } from '../subscription/subscription';
import { commandOf } from './agencies.fixtures';
import { ADMIN_METADATA } from './agency-registration.fixtures';

const subscriptionId = 'sub-1';

export function subscriptionTerms(overrides: Partial<SubscriptionTerms> = {}): SubscriptionTerms {
  return {
    subscriptionId,
    agencyId: 'bayou-haven-shelter',
    recordType: 'victim-referral',
    schemaVersion: 2,
    filters: { parishes: ['Orleans'] },
    backfill: false,
    ...overrides,
  };
}

export const createSubscription = (overrides: Partial<SubscriptionTerms> = {}, metadata: CommandMetadata = ADMIN_METADATA) =>
  commandOf('CreateSubscription', subscriptionTerms(overrides), metadata);
export const subscriptionCreated = () => eventOf('SubscriptionCreated', { ...subscriptionTerms(), createdAt: ADMIN_METADATA.now }, ADMIN_METADATA, SUBSCRIPTION_CREATED_VERSION);
export const pauseSubscription = () => commandOf('PauseSubscription', { subscriptionId }, ADMIN_METADATA);
export const subscriptionPaused = () => eventOf('SubscriptionPaused', { subscriptionId, pausedAt: ADMIN_METADATA.now }, ADMIN_METADATA);
export const resumeSubscription = () => commandOf('ResumeSubscription', { subscriptionId }, ADMIN_METADATA);
export const subscriptionResumed = () => eventOf('SubscriptionResumed', { subscriptionId, resumedAt: ADMIN_METADATA.now }, ADMIN_METADATA);
export const endSubscription = () => commandOf('EndSubscription', { subscriptionId }, ADMIN_METADATA);
export const subscriptionEnded = () => eventOf('SubscriptionEnded', { subscriptionId, endedAt: ADMIN_METADATA.now }, ADMIN_METADATA);
