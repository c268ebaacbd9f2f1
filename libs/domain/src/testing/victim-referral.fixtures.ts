import { CommandMetadata } from '../message';
import { SubmitVictimReferral, VictimReferralDetails, VictimReferralSubmitted } from '../victim-referral/victim-referral';

export const HSI_METADATA: CommandMetadata = {
  agencyId: 'hsi-new-orleans',
  agencyKind: 'federal-law-enforcement',
  now: '2026-11-02T14:30:00.000Z',
  correlationId: 'corr-1',
};

/** A mother with her child, referred by HSI to a shelter: the common case. */
export function referralDetails(overrides: Partial<VictimReferralDetails> = {}): VictimReferralDetails {
  return {
    referralId: 'ref-1',
    referredToAgencyId: 'bayou-haven-shelter',
    victim: {
      name: 'Maria Example',
      dateOfBirth: '1994-03-17',
      nationality: 'HN',
      phone: '+1 504 555 0142',
      languages: ['es', 'en'],
    },
    immigrationReliefStatus: 't-visa-applicant',
    needs: ['shelter', 'legal', 'interpreter'],
    dependents: [{ relationship: 'daughter', age: 6 }],
    foundAt: { description: 'Motel on Chef Menteur Highway', parish: 'Orleans' },
    referringOfficer: { name: 'SA Dana Example', badgeNumber: 'HSI-4471', phone: '+1 504 555 0199' },
    ...overrides,
  };
}

export function submitReferral(
  details: Partial<VictimReferralDetails> = {},
  metadata: Partial<CommandMetadata> = {},
): SubmitVictimReferral {
  return { type: 'SubmitVictimReferral', data: referralDetails(details), metadata: { ...HSI_METADATA, ...metadata } };
}

export function referralSubmitted(details: Partial<VictimReferralDetails> = {}): VictimReferralSubmitted {
  return {
    type: 'VictimReferralSubmitted',
    data: { ...referralDetails(details), referringAgencyId: HSI_METADATA.agencyId, submittedAt: HSI_METADATA.now },
    metadata: { ...HSI_METADATA, schemaVersion: 1 },
  };
}
