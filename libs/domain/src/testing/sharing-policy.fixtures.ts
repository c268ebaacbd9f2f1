import { CommandMetadata } from '../message';
import { SharingPolicy } from '../sharing-policy/sharing-policy';
import { eventOf } from '../record-state';
import { commandOf } from './agencies.fixtures';
import { ADMIN_METADATA } from './agency-registration.fixtures';

/** The shelter's policy for referrals addressed to it: contact details and needs, never identity documents. */
export function sharingPolicy(overrides: Partial<SharingPolicy> = {}): SharingPolicy {
  return {
    policyId: 'shelter-referrals',
    appliesTo: { agencyId: 'bayou-haven-shelter' },
    recordType: 'victim-referral',
    purpose: 'victim-services',
    addresseeOnly: true,
    rules: [
      { path: 'referralId', action: 'include' },
      { path: 'victim.givenName', action: 'include' },
      { path: 'victim.phone', action: 'mask', keepLast: 4 },
      { path: 'victim.dateOfBirth', action: 'generalize', to: 'age-band' },
      { path: 'dependents', action: 'generalize', to: 'count' },
      { path: 'foundAt', action: 'generalize', to: 'parish', when: { originKinds: ['federal-law-enforcement'] } },
      { path: 'referringOfficer', action: 'pseudonymize' },
      { path: 'immigrationReliefStatus', action: 'drop' },
      { path: 'victim.familyName', action: 'include', when: { requiresConsent: true, recipientKinds: ['victim-service-provider'] } },
    ],
    ...overrides,
  };
}

export const publishSharingPolicy = (overrides: Partial<SharingPolicy> = {}, metadata: CommandMetadata = ADMIN_METADATA) =>
  commandOf('PublishSharingPolicy', sharingPolicy(overrides), metadata);
export const sharingPolicyPublished = (version = 1, overrides: Partial<SharingPolicy> = {}) =>
  eventOf('SharingPolicyPublished', { ...sharingPolicy(overrides), version, publishedAt: ADMIN_METADATA.now }, ADMIN_METADATA);
