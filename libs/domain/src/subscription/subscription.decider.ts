import { Decider, EventSchemaVersions } from '../decider';
import { DomainError } from '../domain-error';
import { CommandMetadata } from '../message';
import { assertNever, eventOf, originator, recordDecider, Refusals, requireNew, requireRecord, requireStatus } from '../record-state';
import { SHARABLE_RECORD_TYPES } from '../sharing-policy/sharing-policy';
import {
  CreateSubscription,
  RECORD_SCHEMA_VERSIONS,
  SUBSCRIPTION_CREATED_VERSION,
  SubscriptionCommand,
  SubscriptionCreatedV1,
  SubscriptionEvent,
  SubscriptionState,
  SubscriptionStatus,
  upcastSubscriptionCreatedV1,
} from './subscription';

const AGENCY_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
const REFUSALS: Refusals<SubscriptionStatus> = {
  active: ['SUBSCRIPTION.ALREADY_ACTIVE', 'this subscription is active'],
  paused: ['SUBSCRIPTION.ALREADY_PAUSED', 'this subscription is paused'],
  ended: ['SUBSCRIPTION.ENDED', 'this subscription has ended'],
};

function decide(command: SubscriptionCommand, state: SubscriptionState): SubscriptionEvent[] {
  requireAdministration(command.metadata);
  if (command.type === 'CreateSubscription') return [create(command, state)];
  // The exchange's administration acts as one agency, the originator of every subscription.
  const existing = requireRecord(state, command.metadata, originator, 'SUBSCRIPTION.NOT_FOUND', 'subscription');
  const { data, metadata } = command;
  switch (command.type) {
    case 'PauseSubscription':
      requireStatus(existing.status, ['active'], REFUSALS);
      return [eventOf('SubscriptionPaused', { subscriptionId: data.subscriptionId, pausedAt: metadata.now }, metadata)];
    case 'ResumeSubscription':
      requireStatus(existing.status, ['paused'], REFUSALS);
      return [eventOf('SubscriptionResumed', { subscriptionId: data.subscriptionId, resumedAt: metadata.now }, metadata)];
    case 'EndSubscription':
      requireStatus(existing.status, ['active', 'paused'], REFUSALS);
      return [eventOf('SubscriptionEnded', { subscriptionId: data.subscriptionId, endedAt: metadata.now }, metadata)];
    default:
      return assertNever(command);
  }
}

function create({ data, metadata }: CreateSubscription, state: SubscriptionState): SubscriptionEvent {
  requireNew(state, 'SUBSCRIPTION.ALREADY_CREATED', 'this subscription already exists');
  if (typeof data.agencyId !== 'string' || !AGENCY_ID.test(data.agencyId)) {
    throw new DomainError('validation', 'SUBSCRIPTION.INVALID_AGENCY', 'agencyId must be an agency id');
  }
  if (!SHARABLE_RECORD_TYPES.includes(data.recordType)) {
    throw new DomainError('validation', 'SUBSCRIPTION.RECORD_TYPE_NOT_SHARABLE', `a subscription is for one of ${SHARABLE_RECORD_TYPES.join(', ')}`);
  }
  if (!RECORD_SCHEMA_VERSIONS[data.recordType].includes(data.schemaVersion)) {
    throw new DomainError('validation', 'SUBSCRIPTION.UNKNOWN_SCHEMA_VERSION', `${data.recordType} records have schema versions ${RECORD_SCHEMA_VERSIONS[data.recordType].join(', ')}`);
  }
  const filters = data.filters ?? {};
  for (const list of [filters.parishes, filters.caseIds]) {
    if (list !== undefined && (!Array.isArray(list) || list.length === 0 || !list.every((item) => typeof item === 'string' && item.trim() !== ''))) {
      throw new DomainError('validation', 'SUBSCRIPTION.INVALID_FILTER', 'a filter, when given, lists at least one value');
    }
  }
  if (data.backfill !== undefined && typeof data.backfill !== 'boolean') {
    throw new DomainError('validation', 'SUBSCRIPTION.INVALID_BACKFILL', 'backfill is true or false');
  }
  const { subscriptionId, agencyId, recordType, schemaVersion } = data;
  const terms = { subscriptionId, agencyId, recordType, schemaVersion, filters, backfill: data.backfill === true };
  return eventOf('SubscriptionCreated', { ...terms, createdAt: metadata.now }, metadata, SUBSCRIPTION_CREATED_VERSION);
}

/** Subscriptions decide what leaves the exchange: only its administration manages them. */
function requireAdministration(metadata: CommandMetadata): void {
  if (metadata.agencyKind !== 'exchange-admin') {
    throw new DomainError('forbidden', 'SUBSCRIPTION.NOT_ADMINISTRATION', "only the exchange's administrators manage subscriptions");
  }
}

function evolve(state: SubscriptionState, event: SubscriptionEvent): SubscriptionState {
  if (event.type === 'SubscriptionCreated') return { status: 'active', originatorAgencyId: event.metadata.agencyId, record: event.data };
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'SubscriptionPaused':
      return { ...state, status: 'paused' };
    case 'SubscriptionResumed':
      return { ...state, status: 'active' };
    case 'SubscriptionEnded':
      return { ...state, status: 'ended' };
    default:
      return assertNever(event);
  }
}

const EVENT_SCHEMA_VERSIONS: EventSchemaVersions<SubscriptionEvent> = {
  SubscriptionCreated: [1, SUBSCRIPTION_CREATED_VERSION],
  SubscriptionPaused: [1],
  SubscriptionResumed: [1],
  SubscriptionEnded: [1],
};

export const subscriptionDecider: Decider<SubscriptionCommand, SubscriptionEvent, SubscriptionState> = recordDecider({
  recordType: 'subscription',
  commandTypes: ['CreateSubscription', 'PauseSubscription', 'ResumeSubscription', 'EndSubscription'],
  eventSchemaVersions: EVENT_SCHEMA_VERSIONS,
  upcasters: { SubscriptionCreated: (older) => upcastSubscriptionCreatedV1(older as SubscriptionCreatedV1) },
  decide,
  evolve,
});
