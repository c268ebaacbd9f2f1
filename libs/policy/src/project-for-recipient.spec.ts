import { Agency } from '@crescent/domain';
import { referralSubmitted } from '@crescent/domain/testing';
import { compileReferralProjector } from './project-for-recipient';
import { FieldRule, SharingPolicy } from './sharing-policy';

const shelter: Agency = { id: 'bayou-haven-shelter', name: 'Shelter', kind: 'victim-service-provider', dhsComponent: false };
const otherShelter: Agency = { ...shelter, id: 'other-shelter' };
const sheriff: Agency = { id: 'st-bernard-sheriff', name: 'Sheriff', kind: 'local-law-enforcement', dhsComponent: false };
const hsi: Agency = { id: 'hsi-new-orleans', name: 'HSI', kind: 'federal-law-enforcement', dhsComponent: true };
const iceOffice: Agency = { id: 'ice-ero', name: 'ICE', kind: 'federal-law-enforcement', dhsComponent: true };

const shelterRules: FieldRule[] = [
  { path: 'referralId', action: 'include' },
  { path: 'victim.givenName', action: 'include' },
  { path: 'victim.familyName', action: 'include' },
  { path: 'victim.phone', action: 'include' },
  { path: 'victim.preferredLanguages', action: 'include' },
  { path: 'needs', action: 'include' },
  { path: 'dependents', action: 'generalize', to: 'count' },
];

function policy(recipient: Agency, rules: FieldRule[], addresseeOnly = false): SharingPolicy {
  return { recipientAgencyId: recipient.id, recordType: 'VictimReferral', version: 3, addresseeOnly, rules };
}

/** Every field of the full record, so a permissive policy grants everything there is. */
const everyField: FieldRule[] = [
  'referralId', 'referredToAgencyId', 'referringAgencyId', 'submittedAt', 'victim', 'immigrationReliefStatus',
  'needs', 'dependents', 'foundAt', 'referringOfficer',
].map((path) => ({ path, action: 'include' }));

describe('compileReferralProjector', () => {
  it('gives the addressed shelter exactly the granted fields: name, phone, languages, needs and the number of dependents', () => {
    const projection = compileReferralProjector(shelter, policy(shelter, shelterRules, true))(referralSubmitted());

    expect(projection).toEqual({
      recipientAgencyId: shelter.id,
      policyVersion: 3,
      payload: {
        referralId: 'ref-1',
        victim: { givenName: 'Maria', familyName: 'Example', phone: '+1 504 555 0142', preferredLanguages: ['es', 'en'] },
        needs: ['shelter', 'legal', 'interpreter'],
        dependents: 1,
      },
      disclosedFields: ['referralId', 'victim.givenName', 'victim.familyName', 'victim.phone', 'victim.preferredLanguages', 'needs', 'dependents'],
    });
    const text = JSON.stringify(projection);
    expect(text).not.toContain('1994');
    expect(text).not.toContain('t-visa');
    expect(text).not.toContain('daughter');
  });

  it('gives a shelter nothing of a referral addressed to another shelter when its policy is for its own referrals', () => {
    expect(compileReferralProjector(otherShelter, policy(otherShelter, shelterRules, true))(referralSubmitted())).toBeUndefined();
  });

  it('gives an agency without a policy nothing (default deny)', () => {
    expect(compileReferralProjector(sheriff, undefined)(referralSubmitted())).toBeUndefined();
  });

  it("ignores a policy written for another agency", () => {
    expect(compileReferralProjector(sheriff, policy(shelter, shelterRules))(referralSubmitted())).toBeUndefined();
  });

  it('sends nothing back to the agency that submitted the record', () => {
    expect(compileReferralProjector(hsi, policy(hsi, everyField))(referralSubmitted())).toBeUndefined();
  });

  it('withholds immigration-relief status from a non-DHS agency even when its policy grants it (8 U.S.C. 1367)', () => {
    for (const recipient of [shelter, sheriff]) {
      const projection = compileReferralProjector(recipient, policy(recipient, everyField))(referralSubmitted());
      expect(projection?.payload).not.toHaveProperty('immigrationReliefStatus');
      expect(projection?.disclosedFields).not.toContain('immigrationReliefStatus');
      expect(JSON.stringify(projection)).not.toContain('t-visa');
    }
  });

  it('lets a DHS component receive immigration-relief status when its policy grants it', () => {
    const projection = compileReferralProjector(iceOffice, policy(iceOffice, everyField))(referralSubmitted());
    expect(projection?.payload.immigrationReliefStatus).toBe('t-visa-applicant');
  });

  it('omits a granted field the record does not carry instead of inventing it', () => {
    const projection = compileReferralProjector(shelter, policy(shelter, [...shelterRules, { path: 'victim.email', action: 'include' }]))(
      referralSubmitted(),
    );
    expect(projection?.disclosedFields).not.toContain('victim.email');
    expect(projection?.payload.victim).not.toHaveProperty('email');
  });

  it('refuses a policy whose path could reach object internals', () => {
    expect(() => compileReferralProjector(shelter, policy(shelter, [{ path: '__proto__.polluted', action: 'include' }]))).toThrow(
      'invalid field path',
    );
  });

  it('hands out copies, so changing a projection cannot change the event', () => {
    const event = referralSubmitted();
    const projection = compileReferralProjector(shelter, policy(shelter, shelterRules))(event);
    (projection?.payload.victim as { preferredLanguages: string[] }).preferredLanguages.push('fr');
    expect(event.data.victim.preferredLanguages).toEqual(['es', 'en']);
  });
});
