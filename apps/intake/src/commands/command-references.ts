import {
  ConsentDetails,
  ConsentReferral,
  consentReferralOf,
  ConsentState,
  deciderFor,
  DomainCommand,
  DomainError,
  isCriminalJustice,
  isLawEnforcement,
  LinkedRecord,
  VictimReferralState,
} from '@crescent/domain';
import { EventStore } from '@crescent/event-store';
import { AgencyDirectory, loadRecord } from '@crescent/runtime';

/**
 * Checks that the agencies a command names take part in the exchange: lookups the pure domain
 * cannot make. A referral goes to a victim service provider; a consent names known recipients; a
 * case's team takes criminal justice agencies; a (b)(2) disclosure goes to law enforcement.
 */
export function checkReferences(command: DomainCommand, directory: AgencyDirectory): void {
  const data = command.data as { referredToAgencyId?: string; recipientAgencyIds?: readonly string[]; recipientAgencyId?: string; agencyId?: string };
  if (command.type === 'SubmitVictimReferral' && directory.find(data.referredToAgencyId ?? '')?.kind !== 'victim-service-provider') {
    throw new DomainError('validation', 'REFERRAL.UNKNOWN_ADDRESSEE', 'referredToAgencyId names no victim service provider in the exchange');
  }
  if (command.type === 'RecordConsent' && !(data.recipientAgencyIds ?? []).every((agencyId) => directory.find(agencyId))) {
    throw new DomainError('validation', 'CONSENT.UNKNOWN_RECIPIENT', 'recipientAgencyIds names an agency that is not in the exchange');
  }
  if (command.type === 'AddCaseTeamMember' && !isCriminalJustice(directory.find(data.agencyId ?? '')?.kind ?? '')) {
    throw new DomainError('validation', 'CASE.UNKNOWN_TEAM_MEMBER', 'agencyId names no law enforcement agency or prosecutor in the exchange');
  }
  if (command.type === 'AuthorizeLawEnforcementDisclosure' && !isLawEnforcement(directory.find(data.recipientAgencyId ?? '')?.kind ?? '')) {
    throw new DomainError('validation', 'REFERRAL.UNKNOWN_LAW_ENFORCEMENT_RECIPIENT', 'recipientAgencyId names no law enforcement agency in the exchange');
  }
}

/**
 * A consent is decided on the victim's referral (who holds her relationship) and on how long a consent
 * may run. The pure decider reads neither another record nor a setting, so the edge hands both in.
 * An agency links to a case only a record of its own (or a referral addressed to it); to it any other
 * record does not exist.
 */
export async function withRecordLookups(command: DomainCommand, store: EventStore, consentMaxDays: number): Promise<DomainCommand> {
  switch (command.type) {
    case 'LinkRecordToCase': {
      const { recordType, recordId } = command.data as LinkedRecord;
      const view = deciderFor(recordType).view((await loadRecord(store, recordType, recordId)).state);
      const addressee = recordType === 'victim-referral' ? view?.record.referredToAgencyId : undefined;
      if (!view || (view.originatorAgencyId !== command.metadata.agencyId && addressee !== command.metadata.agencyId)) {
        throw new DomainError('not-found', 'CASE.LINKED_RECORD_NOT_FOUND', 'no such record of yours to link');
      }
      return command;
    }
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
