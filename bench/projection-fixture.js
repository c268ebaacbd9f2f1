// What the projection benches project: the demo shelter's policy (and a parish's, which the relay benches
// grant their recipients too) and a feed of VictimReferralSubmitted events addressed to the shelter, folded
// into a disclosure state by whichever build of libs/policy is measured.
const { Buffer } = require('node:buffer');

/** `dhsComponent` is what an Agency said of 1367 before issue 10, `jurisdiction` what it says since: either build reads its own. */
const shelter = { id: 'bayou-haven-shelter', name: 'Bayou Haven', kind: 'victim-service-provider', dhsComponent: false, jurisdiction: [] };
const keys = () => ({ keyId: 'k1', secret: Buffer.from('bench-secret') });
const include = (...paths) => paths.map((path) => ({ path, action: 'include' }));
// The shelter's policy as the demo published it when this benchmark was written, kept here so that a
// change to the demo does not change the work measured (compare runs across commits on the same cut).
const shelterPolicy = {
  policyId: 'shelter-referrals',
  appliesTo: { agencyId: shelter.id },
  recordType: 'victim-referral',
  purpose: 'victim-services',
  addresseeOnly: true,
  rules: [
    ...include('referralId', 'referringAgencyId', 'submittedAt'),
    ...include('victim.givenName', 'victim.familyName', 'victim.phone', 'victim.preferredLanguages', 'needs'),
    { path: 'dependents', action: 'generalize', to: 'count' },
    ...include('phone', 'preferredLanguages', 'updatedAt', 'correctedAt', 'reason', 'withdrawnAt'),
    { path: 'victim.dateOfBirth', action: 'drop' },
    { path: 'immigrationReliefStatus', action: 'drop' },
  ],
};

/** What a parish's law enforcement is granted of a referral: the demo sheriff's cut, without consent. */
const parishPolicy = {
  policyId: 'bench-parish-referrals',
  appliesTo: { agencyKind: 'local-law-enforcement' },
  recordType: 'victim-referral',
  purpose: 'investigation',
  addresseeOnly: false,
  rules: [
    ...include('referralId', 'referringAgencyId', 'needs', 'dependents'),
    { path: 'submittedAt', action: 'generalize', to: 'day' },
    { path: 'victim.dateOfBirth', action: 'generalize', to: 'age-band' },
    { path: 'foundAt', action: 'generalize', to: 'parish' },
    { path: 'referringOfficer.name', action: 'pseudonymize' },
  ],
};

function referral(index) {
  const now = new Date(Date.UTC(2026, 10, 2, 14, 30) + index * 60_000).toISOString();
  return {
    recordType: 'victim-referral',
    recordId: `ref-${index}`,
    event: {
      type: 'VictimReferralSubmitted',
      data: {
        referralId: `ref-${index}`,
        referredToAgencyId: shelter.id,
        victim: {
          givenName: `Maria${index}`,
          familyName: 'Example',
          dateOfBirth: `19${String(50 + (index % 50))}-03-17`,
          nationality: 'HN',
          phone: `+1 504 555 ${String(index % 10_000).padStart(4, '0')}`,
          preferredLanguages: index % 2 ? ['es', 'en'] : ['vi'],
          isMinor: false,
        },
        // No relief sought: 1367 would bar a protected victim's whole referral from the shelter, leaving nothing to project.
        immigrationReliefStatus: 'none',
        needs: ['shelter', 'legal', 'interpreter'],
        dependents: Array.from({ length: index % 4 }, (_, n) => ({ relationship: 'child', age: n + 2 })),
        foundAt: { description: 'Motel on Chef Menteur Highway', parish: 'Orleans' },
        referringOfficer: { name: 'SA Dana Example', badgeNumber: 'HSI-4471', phone: '+1 504 555 0199' },
        referringAgencyId: 'hsi-new-orleans',
        submittedAt: now,
      },
      metadata: { agencyId: 'hsi-new-orleans', agencyKind: 'federal-law-enforcement', now, correlationId: `c-${index}`, schemaVersion: 2 },
    },
  };
}

const publication = (policy) => ({
  recordType: 'sharing-policy',
  recordId: policy.policyId,
  event: { type: 'SharingPolicyPublished', data: { ...policy, version: 1, publishedAt: '2026-10-01T00:00:00.000Z' }, metadata: { agencyId: 'crescent-exchange', agencyKind: 'federal-law-enforcement', now: '2026-10-01T00:00:00.000Z', correlationId: 'c', schemaVersion: 1 } },
});

/** The feed of `count` referrals to the shelter. */
const referrals = (count) => Array.from({ length: count }, (_, index) => referral(index));

/** The state after `policies` are published and `feed` is submitted, as `policyLib` (one build's @crescent/policy) folds it. */
const stateAfter = (policyLib, feed, policies = [shelterPolicy]) =>
  [...policies.map(publication), ...feed].reduce(policyLib.evolveDisclosureState, policyLib.initialDisclosureState);

module.exports = { shelter, shelterPolicy, parishPolicy, keys, referrals, stateAfter };
