// Compiled projection (Crescent) against fast-redact doing the same cut of the same records:
// the demo shelter policy applied to VictimReferralSubmitted events, serialized to the JSON that
// goes on the wire. The two alternate within one run; each side's median of RUNS runs is reported.
const { isDeepStrictEqual } = require('node:util');
const { Buffer } = require('node:buffer');
const { alternate, writeResult } = require('./harness');
require('./compiled');

const fastRedact = require('fast-redact');
const { evolveDisclosureState, initialDisclosureState, ProjectionCache, projectForRecipient } = require('@crescent/policy');

const RECORDS = 2_000;
const PASSES = 10; // passes over the records per run
const RUNS = Number(process.env.BENCH_RUNS ?? 41);

const shelter = { id: 'bayou-haven-shelter', name: 'Bayou Haven', kind: 'victim-service-provider', dhsComponent: false };
const keys = () => ({ keyId: 'k1', secret: Buffer.from('bench-secret') });
const cache = new ProjectionCache(); // one for the run, as the relay keeps one
// The shelter's policy as the demo published it when this benchmark was written, kept here so that a
// change to the demo does not change the work measured (compare runs across commits on the same cut).
const include = (...paths) => paths.map((path) => ({ path, action: 'include' }));
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

const feed = Array.from({ length: RECORDS }, (_, index) => referral(index));
const publication = {
  recordType: 'sharing-policy',
  recordId: shelterPolicy.policyId,
  event: { type: 'SharingPolicyPublished', data: { ...shelterPolicy, version: 1, publishedAt: '2026-10-01T00:00:00.000Z' }, metadata: { agencyId: 'crescent-exchange', agencyKind: 'federal-law-enforcement', now: '2026-10-01T00:00:00.000Z', correlationId: 'c', schemaVersion: 1 } },
};
const state = [publication, ...feed].reduce(evolveDisclosureState, initialDisclosureState);

// The baseline is told the same cut: every leaf the policy does not grant is censored away, and the
// dependents list is censored into its length, as the policy's `generalize to count` does.
const WITHHELD = [
  'referredToAgencyId', 'victim.dateOfBirth', 'victim.nationality', 'victim.isMinor', 'immigrationReliefStatus',
  'foundAt', 'referringOfficer',
];
const redact = fastRedact({
  paths: [...WITHHELD, 'dependents'],
  censor: (value, censoredPath) => (censoredPath[0] === 'dependents' ? value.length : undefined),
  serialize: JSON.stringify,
});

// What the relay takes of each projection: the wire JSON as it puts it on the topic (written during the
// walk; both sides count its UTF-8 bytes, as the producer encodes it, so a text built piece by piece is
// flattened there, and paid for), and the disclosed and withheld path lists the disclosure ledger records.
const candidate = () => {
  let bytes = 0;
  for (let pass = 0; pass < PASSES; pass++) {
    for (const feedEvent of feed) {
      const { payloadJson, disclosedFields, withheldFields } = projectForRecipient(feedEvent, shelter, state, keys, { cache });
      bytes += Buffer.byteLength(payloadJson) + disclosedFields.length + withheldFields.length;
    }
  }
  return bytes;
};
const baseline = () => {
  let bytes = 0;
  for (let pass = 0; pass < PASSES; pass++) for (const { event } of feed) bytes += Buffer.byteLength(redact(event.data));
  return bytes;
};

// Both must produce the same wire value, or the comparison means nothing: the same bytes, and our
// JSON text the same as JSON.stringify of our own payload object.
for (const feedEvent of feed.slice(0, 50)) {
  const projection = projectForRecipient(feedEvent, shelter, state, keys, { cache });
  const text = projection.payloadJson;
  const theirText = redact(feedEvent.event.data);
  if (text !== theirText) throw new Error(`wire bytes differ for ${feedEvent.recordId}:\n${text}\n${theirText}`);
  if (text !== JSON.stringify(projection.payload)) throw new Error(`the JSON text of ${feedEvent.recordId} is not its payload's`);
  const ours = JSON.parse(text);
  const theirs = JSON.parse(theirText);
  if (!isDeepStrictEqual(ours, theirs)) throw new Error(`outputs differ for ${feedEvent.recordId}:\n${JSON.stringify(ours)}\n${JSON.stringify(theirs)}`);
  const { fields, disclosedFields, withheldFields } = projection;
  const leaves = (value, prefix = '') => value === null || typeof value !== 'object' || Array.isArray(value) ? [prefix] : Object.keys(value).flatMap((key) => leaves(value[key], prefix ? `${prefix}.${key}` : key));
  if (!isDeepStrictEqual(disclosedFields, leaves(theirs))) throw new Error(`the ledger of ${feedEvent.recordId} does not account for its payload: ${JSON.stringify(disclosedFields)}`);
  const pathsOf = (outcome) => fields.filter((field) => (field.outcome === 'withheld') === (outcome === 'withheld')).map((field) => field.path);
  if (!isDeepStrictEqual(disclosedFields, pathsOf('disclosed')) || !isDeepStrictEqual(withheldFields, pathsOf('withheld'))) {
    throw new Error(`the ledger paths of ${feedEvent.recordId} differ from its decisions: ${JSON.stringify(fields)}`);
  }
}

const time = (work) => {
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e6;
};

const SIDES = { baseline, candidate };
candidate(); baseline(); // warm-up: let both be optimized before anything is measured
alternate(RUNS, (side) => time(SIDES[side])).then((samples) => writeResult({
  name: 'projection',
  description: `demo shelter policy on ${RECORDS} VictimReferralSubmitted events x ${PASSES} passes, to wire JSON plus the disclosure ledger's path lists: compiled projectForRecipient (with statute checks) vs fast-redact censoring the same paths`,
  goal: 1.0,
  unit: 'ms per run (median)',
  higherIsBetter: false,
  samples,
  notes: [
    'candidate: projectForRecipient (policy lookup, record facts, statute and consent checks, the generated walk), taking its wire JSON (Projection.payloadJson, as the relay puts it on the topic) and the disclosed and withheld path lists the disclosure ledger records of each delivery; the baseline does no ledger work',
    'baseline: fast-redact censoring the paths the policy withholds (and the dependents list into its length) and serializing with JSON.stringify',
    'before timing, the first 50 events are checked: our JSON text equals fast-redact\'s byte for byte and JSON.stringify of our payload object; the disclosed paths are exactly the leaves of that payload, and both path lists agree with the general walk\'s decisions',
  ],
}));
