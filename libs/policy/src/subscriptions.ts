import { SharableRecordType } from '@crescent/domain';
import { agencyStatus, DisclosureState, recordKey, SubscriptionFacts } from './disclosure-state';

/**
 * The subscriptions under which a recipient asks for a record: active, for its record type, and
 * with every filter matching (its parish; a case it is linked to). A recipient with none receives
 * nothing of the record, whatever its policy allows; so does a recipient that is not active
 * (suspended or revoked), whatever its subscriptions.
 */
export function subscriptionsFor(state: DisclosureState, recipientAgencyId: string, recordType: SharableRecordType, recordId: string): SubscriptionFacts[] {
  if (agencyStatus(state, recipientAgencyId) !== 'active') return [];
  const facts = state.records.get(recordKey(recordType, recordId));
  return subscriptionsOf(state).filter(
    (subscription) =>
      subscription.agencyId === recipientAgencyId &&
      subscription.recordType === recordType &&
      subscription.status === 'active' &&
      (!subscription.filters.parishes || (facts?.parish !== undefined && subscription.filters.parishes.includes(facts.parish))) &&
      (!subscription.filters.caseIds || (facts?.caseIds ?? []).some((caseId) => subscription.filters.caseIds!.includes(caseId))),
  );
}

/** Every subscription, whatever its status. */
export function subscriptionsOf(state: DisclosureState): SubscriptionFacts[] {
  return state.subscriptions.values();
}
