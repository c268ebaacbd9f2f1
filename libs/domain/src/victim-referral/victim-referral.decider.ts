import { AgencyKind } from '../agency/agency';
import { DomainError } from '../domain-error';
import {
  VictimReferralCommand,
  VictimReferralEvent,
  VictimReferralState,
} from './victim-referral';

const REFERRING_KINDS: readonly AgencyKind[] = ['federal-law-enforcement', 'local-law-enforcement', 'prosecutor'];

export function decideVictimReferral(
  command: VictimReferralCommand,
  state: VictimReferralState,
): VictimReferralEvent[] {
  switch (command.type) {
    case 'SubmitVictimReferral': {
      if (state.status !== 'none') {
        throw new DomainError('conflict', 'REFERRAL.ALREADY_SUBMITTED', 'this referral has already been submitted');
      }
      if (!REFERRING_KINDS.includes(command.metadata.agencyKind)) {
        throw new DomainError('forbidden', 'REFERRAL.SUBMITTER_NOT_ALLOWED', 'only law enforcement and prosecutors submit victim referrals');
      }
      if (command.data.referredToAgencyId === command.metadata.agencyId) {
        throw new DomainError('validation', 'REFERRAL.SELF_REFERRAL', 'an agency cannot refer a victim to itself');
      }
      return [
        {
          type: 'VictimReferralSubmitted',
          data: {
            ...command.data,
            referringAgencyId: command.metadata.agencyId,
            submittedAt: command.metadata.now,
          },
          metadata: { ...command.metadata, schemaVersion: 1 },
        },
      ];
    }
    default:
      return assertNever(command.type);
  }
}

export function evolveVictimReferral(
  state: VictimReferralState,
  event: VictimReferralEvent,
): VictimReferralState {
  switch (event.type) {
    case 'VictimReferralSubmitted':
      return {
        status: 'submitted',
        referralId: event.data.referralId,
        referringAgencyId: event.data.referringAgencyId,
      };
    default:
      return assertNever(event.type);
  }
}

function assertNever(type: never): never {
  throw new Error(`unhandled message type: ${String(type)}`);
}
