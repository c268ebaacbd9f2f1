import { DomainCommand, DomainError } from '@crescent/domain';
import { AgencyDirectory } from '@crescent/runtime';

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
