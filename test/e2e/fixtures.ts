import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The README's example referral: what a newcomer posts is what the tests post. */
export const EXAMPLE_REFERRAL = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'contracts', 'examples', 'victim-referral.json'), 'utf8'),
);

/** Values of the example that the shelter must never see, in any form. */
export const WITHHELD_FROM_SHELTER = ['1994-03-17', '1994', 'dateOfBirth', 't-visa', 'immigration', 'daughter', 'HSI-4471', 'Chef Menteur'];

/** What the demo shelter's policy grants of the example. */
export function expectedShelterView(referralId: string) {
  return {
    referralId,
    referringAgencyId: 'hsi-new-orleans',
    submittedAt: expect.any(String),
    victim: { givenName: 'Maria', familyName: 'Example', phone: '+1 504 555 0142', preferredLanguages: ['es', 'en'] },
    needs: ['shelter', 'legal', 'interpreter'],
    dependents: 1,
  };
}
