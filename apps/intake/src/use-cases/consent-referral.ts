import { ConsentReferral, consentReferralOf, VictimReferralState } from '@crescent/domain';
import { EventStore } from '@crescent/event-store';
import { loadRecord } from '@crescent/runtime';

/** The victim's referral as her consent turns on it (its parties and status): the consent decider reads no other record. */
export async function consentReferral(store: EventStore, referralId: string): Promise<ConsentReferral> {
  const { state } = await loadRecord(store, 'victim-referral', referralId);
  return consentReferralOf(state as VictimReferralState);
}
