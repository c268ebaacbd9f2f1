// Compiled projection (Crescent) against fast-redact doing the same cut of the same records:
// the demo shelter policy applied to VictimReferralSubmitted events, serialized to the JSON that
// goes on the wire. The two alternate within one run; each side's median of RUNS runs is reported.
const path = require('node:path');
const fs = require('node:fs');
const { isDeepStrictEqual } = require('node:util');
const { Buffer } = require('node:buffer');
const tsConfigPaths = require('tsconfig-paths');
const { compilerOptions } = require('../tsconfig.json');

tsConfigPaths.register({ baseUrl: path.join(__dirname, '..', 'dist', 'bench'), paths: compilerOptions.paths });

const fastRedact = require('fast-redact');
const { DEMO_POLICIES, evolveDisclosureState, initialDisclosureState, projectForRecipient } = require('@crescent/policy');

const RECORDS = 2_000;
const PASSES = 10; // passes over the records per run
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

const shelter = { id: 'bayou-haven-shelter', name: 'Bayou Haven', kind: 'victim-service-provider', dhsComponent: false };
const keys = () => ({ keyId: 'k1', secret: Buffer.from('bench-secret') });
const shelterPolicy = DEMO_POLICIES.find((policy) => policy.policyId === 'shelter-referrals');

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
        immigrationReliefStatus: 't-visa-applicant',
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

const candidate = () => {
  let bytes = 0;
  for (let pass = 0; pass < PASSES; pass++) {
    for (const feedEvent of feed) bytes += JSON.stringify(projectForRecipient(feedEvent, shelter, state, keys).payload).length;
  }
  return bytes;
};
// The same, reading each projection's ledger (`fields`, worked out on first read) as the disclosure
// ledger does: what the relay pays when it records every delivery.
const candidateWithLedger = () => {
  let bytes = 0;
  for (let pass = 0; pass < PASSES; pass++) {
    for (const feedEvent of feed) {
      const projection = projectForRecipient(feedEvent, shelter, state, keys);
      bytes += JSON.stringify(projection.payload).length + projection.fields.length;
    }
  }
  return bytes;
};
const baseline = () => {
  let bytes = 0;
  for (let pass = 0; pass < PASSES; pass++) for (const { event } of feed) bytes += redact(event.data).length;
  return bytes;
};

// Both must produce the same wire value, or the comparison means nothing.
for (const feedEvent of feed.slice(0, 50)) {
  const ours = JSON.parse(JSON.stringify(projectForRecipient(feedEvent, shelter, state, keys).payload));
  const theirs = JSON.parse(redact(feedEvent.event.data));
  if (!isDeepStrictEqual(ours, theirs)) throw new Error(`outputs differ for ${feedEvent.recordId}:\n${JSON.stringify(ours)}\n${JSON.stringify(theirs)}`);
  const { fields } = projectForRecipient(feedEvent, shelter, state, keys);
  const leaves = (value, prefix = '') => value === null || typeof value !== 'object' || Array.isArray(value) ? [prefix] : Object.keys(value).flatMap((key) => leaves(value[key], prefix ? `${prefix}.${key}` : key));
  const disclosed = fields.filter((field) => field.outcome !== 'withheld').map((field) => field.path);
  if (!isDeepStrictEqual(disclosed, leaves(theirs))) throw new Error(`the ledger of ${feedEvent.recordId} does not account for its payload: ${JSON.stringify(fields)}`);
}

const time = (work) => {
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const SIDES = { baseline, candidate, candidateWithLedger };
candidate(); candidateWithLedger(); baseline(); // warm-up: let all be optimized before anything is measured
const samples = { baseline: [], candidate: [], candidateWithLedger: [] };
for (let run = 0; run < RUNS; run++) {
  // Each side takes each place in the order in turn, so none is always measured after the same one.
  const order = [['baseline', 'candidate', 'candidateWithLedger'], ['candidate', 'candidateWithLedger', 'baseline'], ['candidateWithLedger', 'baseline', 'candidate']][run % 3];
  for (const side of order) samples[side].push(time(SIDES[side]));
}
const rounded = (values) => values.map((v) => Number(v.toFixed(2)));

const result = {
  name: 'projection',
  description: `demo shelter policy on ${RECORDS} VictimReferralSubmitted events x ${PASSES} passes, to wire JSON: compiled projectForRecipient (with statute checks; the field ledger separately, see withLedger) vs fast-redact censoring the same paths`,
  ratio: Number((median(samples.baseline) / median(samples.candidate)).toFixed(3)),
  goal: 1.0,
  baseline: Number(median(samples.baseline).toFixed(2)),
  candidate: Number(median(samples.candidate).toFixed(2)),
  unit: 'ms per run (median)',
  runs: RUNS,
  notes: [
    'candidate: projectForRecipient to wire JSON, as the relay delivers it; the ledger (Projection.fields) is worked out lazily on first read, and this side does not read it',
    'withLedger: the same, reading Projection.fields too (as recording each delivery in the disclosure ledger does); its ratio is reported as measured, against the same baseline',
  ],
  withLedger: {
    ratio: Number((median(samples.baseline) / median(samples.candidateWithLedger)).toFixed(3)),
    candidate: Number(median(samples.candidateWithLedger).toFixed(2)),
  },
  samples: { baseline: rounded(samples.baseline), candidate: rounded(samples.candidate), candidateWithLedger: rounded(samples.candidateWithLedger) },
  node: process.version,
};
fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
fs.writeFileSync(path.join(__dirname, 'results', 'projection.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
console.log(result.ratio >= result.goal ? 'goal met' : `goal missed: the compiled projection is ${(1 / result.ratio).toFixed(2)}x the time of fast-redact`);
