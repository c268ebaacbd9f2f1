import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { components } from '../../contracts/generated/exchange-api';

/** The README's example referral: what a newcomer posts is what the tests post. */
export const EXAMPLE_REFERRAL = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'contracts', 'examples', 'victim-referral.json'), 'utf8'),
);

/** The sheriff's arrest the retraction tests seal: in Orleans, which HSI serves, so HSI has a need to know it (28 CFR 23.20(e)). */
export const ARREST_IN_ORLEANS = {
  arrestee: { givenName: 'John', familyName: 'Doe', dateOfBirth: '1980-05-02' },
  charges: [{ statute: 'La. R.S. 14:46.2', description: 'Human trafficking' }],
  bookingNumber: 'SBSO-2026-0931',
  arrestedAt: '2026-11-02T21:15:00-06:00',
  place: { description: 'Motel parking lot', parish: 'Orleans' },
  victimReferralIds: [],
};

/** Values of the example that the shelter must never see, in any form. */
// Her daughter's exact age is withheld too, shown by the view below being exactly her relationship and age band.
export const WITHHELD_FROM_SHELTER = ['1994-03-17', '1994', 'dateOfBirth', 't-visa', 'immigration', 'HSI-4471', 'Chef Menteur'];

/** What the demo shelter's policy grants of the example. */
export function expectedShelterView(referralId: string) {
  return {
    referralId,
    referringAgencyId: 'hsi-new-orleans',
    submittedAt: expect.any(String),
    victim: { givenName: 'Maria', familyName: 'Example', phone: '+1 504 555 0142', preferredLanguages: ['es', 'en'], isMinor: false },
    needs: ['shelter', 'legal', 'interpreter'],
    dependents: [{ relationship: 'daughter', ageBand: '0-11' }],
    referringOfficer: { name: 'SA Dana Example', phone: '+1 504 555 0199' },
  };
}

/** The shelter's written consent that the sheriff may see the victim's name and phone, for investigation, until `expiresAt`. */
export function consentToSheriff(referralId: string, expiresAt: string): components['schemas']['RecordConsentDto'] {
  return {
    referralId,
    victimIsMinor: false,
    recipientAgencyIds: ['st-bernard-sheriff'],
    purposes: ['investigation'],
    fields: ['victim.givenName', 'victim.familyName', 'victim.phone'],
    written: true,
    informed: true,
    expiresAt,
  };
}
