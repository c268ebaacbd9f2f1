import { ConsentDetails, ConsentReferral, consentReferralOf, ConsentState, DomainCommand, DomainError, VictimReferralState } from '@crescent/domain';
import { EventStore } from '@crescent/event-store';
import { AgencyDirectory, loadRecord } from '@crescent/runtime';

/**
 * Checks that the agencies a command names take part in the exchange: lookups the pure domain
 * cannot make. A referral goes to a victim service provider; a consent names known recipients.
 */
export function checkReferences(command: DomainCommand, directory: AgencyDirectory): void {
  const data = command.data as { referredToAgencyId?: string; recipientAgencyIds?: readonly string[] };
  if (command.type === 'SubmitVictimReferral' && directory.find(data.referredToAgencyId ?? '')?.kind !== 'victim-service-provider') {
    throw new DomainError('validation', 'REFERRAL.UNKNOWN_ADDRESSEE', 'referredToAgencyId names no victim service provider in the exchange');
  }
  if (command.type === 'RecordConsent' && !(data.recipientAgencyIds ?? []).every((agencyId) => directory.find(agencyId))) {
    throw new DomainError('validation', 'CONSENT.UNKNOWN_RECIPIENT', 'recipientAgencyIds names an agency that is not in the exchange');
  }
}

/**
 * A consent is decided on the victim's referral (who holds her relationship) and on how long a consent
 * may run. The pure decider reads neither another record nor a setting, so the edge hands both in.
 */
export async function withConsentLookups(command: DomainCommand, store: EventStore, consentMaxDays: number): Promise<DomainCommand> {
  switch (command.type) {
    case 'RecordConsent': {
      const data = command.data as ConsentDetails;
      return { ...command, data: { ...data, referral: await referralOf(store, data.referralId), maxDays: consentMaxDays } };
    }
    case 'RevokeConsent': {
      const data = command.data as { readonly consentId: string };
      const consent = (await loadRecord(store, 'consent', data.consentId)).state as ConsentState;
      const referral: ConsentReferral = consent.status === 'none' ? { status: 'none' } : await referralOf(store, consent.record.referralId);
      return { ...command, data: { ...data, referral } };
    }
    default:
      return command;
  }
}

async function referralOf(store: EventStore, referralId: string): Promise<ConsentReferral> {
  const { state } = await loadRecord(store, 'victim-referral', referralId);
  return consentReferralOf(state as VictimReferralState);
}
