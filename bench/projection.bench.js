// Compiled projection (Crescent) against fast-redact doing the same cut of the same records:
// the demo shelter policy applied to VictimReferralSubmitted events, serialized to the JSON that
// goes on the wire. The two alternate within one run; each side's median of RUNS runs is reported.
const { isDeepStrictEqual } = require('node:util');
const { Buffer } = require('node:buffer');
const { alternate, millisecondsOf, writeResult } = require('./harness');
require('./compiled');

const fastRedact = require('fast-redact');
const policyLib = require('@crescent/policy');
const { keys, referrals, shelter, stateAfter } = require('./projection-fixture');

const { ProjectionCache, projectForRecipient } = policyLib;
const RECORDS = 2_000;
const PASSES = 10; // passes over the records per run
const RUNS = Number(process.env.BENCH_RUNS ?? 41);

const cache = new ProjectionCache(); // one for the run, as the relay keeps one
const feed = referrals(RECORDS);
const state = stateAfter(policyLib, feed);

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

const SIDES = { baseline, candidate };
candidate(); baseline(); // warm-up: let both be optimized before anything is measured
alternate(RUNS, (side) => millisecondsOf(SIDES[side])).then((samples) => writeResult({
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
