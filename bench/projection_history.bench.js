// HEAD's compiled projection against the same projection built from an earlier revision
// (PROJECTION_BASELINE, default 8cc96b6: the last commit before issue 10's statute gates), both loaded
// in this process and run on the same events for the demo shelter and a parish sheriff. The two sides
// alternate within one run; each side's median of RUNS runs is reported.
const path = require('node:path');
const fs = require('node:fs');
const Module = require('node:module');
const { execFileSync } = require('node:child_process');
const { Buffer } = require('node:buffer');
const tsConfigPaths = require('tsconfig-paths');
const { alternate, millisecondsOf, writeResult } = require('./harness');
require('./compiled');
const { keys, parishPolicy, referrals, shelter, shelterPolicy, stateAfter } = require('./projection-fixture');

const BASELINE = process.env.PROJECTION_BASELINE ?? '8cc96b6';
const RECORDS = 2_000;
const PASSES = 2; // passes over the records per run: short runs, many of them, so each pair is taken close together
const RUNS = Number(process.env.BENCH_RUNS ?? 101);
const ROOT = path.join(__dirname, '..');

/**
 * `revision`'s libs/policy (and what it imports), compiled once per commit under dist/ (which git
 * ignores, and where the tree's node_modules resolve) and loaded beside HEAD's.
 */
function policyAt(revision) {
  const commit = execFileSync('git', ['rev-parse', '--verify', `${revision}^{commit}`], { cwd: ROOT, encoding: 'utf8' }).trim();
  const tree = path.join(ROOT, 'dist', 'bench-history', commit);
  if (!fs.existsSync(tree)) {
    // Built aside and renamed into place, so an interrupted build is never taken for a finished one.
    const building = `${tree}.${process.pid}`;
    fs.mkdirSync(building, { recursive: true });
    const archive = execFileSync('git', ['archive', commit, 'libs', 'contracts', 'tsconfig.json'], { cwd: ROOT, maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', building], { input: archive });
    const config = { extends: './tsconfig.json', compilerOptions: { outDir: 'compiled', types: ['node'], sourceMap: false }, files: ['libs/policy/src/index.ts'], include: [] };
    fs.writeFileSync(path.join(building, 'tsconfig.history.json'), JSON.stringify(config));
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(building, 'tsconfig.history.json')], { stdio: 'inherit' });
    fs.renameSync(building, tree);
  }
  const compiled = path.join(tree, 'compiled');
  const { paths } = tsConfigPaths.loadConfig(tree);
  const matchAlias = tsConfigPaths.createMatchPath(compiled, paths, undefined, false);
  // The baseline's @crescent/* imports resolve in its own tree; every other require as before (HEAD's aliases, node_modules).
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, ...rest) {
    const alias = parent?.filename?.startsWith(compiled + path.sep) ? matchAlias(request) : undefined;
    return resolve.call(this, alias ?? request, parent, ...rest);
  };
  return require(path.join(compiled, 'libs', 'policy', 'src'));
}

// A criminal justice recipient outside DHS, DOJ and State, serving the parish every referral was found
// in: its path takes the 1367 and need-to-know gates.
const sheriff = { id: 'orleans-parish-sheriff', name: 'Orleans Parish Sheriff', kind: 'local-law-enforcement', dhsComponent: false, jurisdiction: ['Orleans'] };
const recipients = [shelter, sheriff];
const feed = referrals(RECORDS);

/** One side: `policyLib`'s projectForRecipient of a feed event for a recipient, over its own fold of the feed. */
function sideOf(policyLib) {
  const state = stateAfter(policyLib, feed, [shelterPolicy, parishPolicy]);
  // Since ProjectionCache its caller owns the memos, one for the run as the relay keeps one; before, they were module state and the fifth argument a draft.
  const options = policyLib.ProjectionCache ? { cache: new policyLib.ProjectionCache() } : undefined;
  return (feedEvent, recipient) => policyLib.projectForRecipient(feedEvent, recipient, state, keys, options);
}
const SIDES = { baseline: sideOf(policyAt(BASELINE)), candidate: sideOf(require('@crescent/policy')) };

// Like for like: every event reaches both recipients on both sides, as the same wire JSON and the same ledger paths.
for (const feedEvent of feed) {
  for (const recipient of recipients) {
    const [before, after] = [SIDES.baseline(feedEvent, recipient), SIDES.candidate(feedEvent, recipient)];
    const differs = ['payloadJson', 'disclosedFields', 'withheldFields'].find((field) => JSON.stringify(before?.[field]) !== JSON.stringify(after?.[field]));
    if (!before || differs) throw new Error(`${feedEvent.recordId} to ${recipient.id}: ${differs ? `${differs} differs` : 'nothing projected'}:\n${JSON.stringify(before)}\n${JSON.stringify(after)}`);
  }
}

// As the relay does: every recipient of each event in turn, keeping the wire JSON and the ledger's path lists.
const projectFeed = (project) => {
  let bytes = 0;
  for (let pass = 0; pass < PASSES; pass++) {
    for (const feedEvent of feed) {
      for (const recipient of recipients) {
        const { payloadJson, disclosedFields, withheldFields } = project(feedEvent, recipient);
        bytes += Buffer.byteLength(payloadJson) + disclosedFields.length + withheldFields.length;
      }
    }
  }
  return bytes;
};

projectFeed(SIDES.baseline); projectFeed(SIDES.candidate); // warm-up: let both be optimized before anything is measured
alternate(RUNS, (side) => millisecondsOf(() => projectFeed(SIDES[side]))).then((samples) => writeResult({
  name: 'projection_history',
  description: `projectForRecipient at HEAD vs at ${BASELINE}, both compiled and loaded in one process: the demo shelter's policy and a parish sheriff's (the relay benches' parish cut) on ${RECORDS} VictimReferralSubmitted events x ${PASSES} passes, to wire JSON plus the disclosure ledger's path lists`,
  goal: 1.0,
  unit: 'ms per run (median)',
  higherIsBetter: false,
  samples,
  extra: { baselineRevision: BASELINE },
  notes: [
    `baseline: libs/policy at ${BASELINE} (PROJECTION_BASELINE), extracted with git archive and compiled by this tree's tsc into dist/bench-history/<commit>; candidate: HEAD's dist/bench`,
    'ratio: baseline / candidate of the medians, so >= 1.0 means HEAD is not slower; the goal is judged on it alone. pairedRatio and pairedQuartiles show the noise: the ratio of each run\'s two sides, taken back to back',
    'before timing, every event is projected for both recipients by both sides: the same wire JSON and the same disclosed and withheld paths',
    'the law changed where these events do not go: since issue 10 a referral whose victim sought immigration relief reaches nobody outside DHS, DOJ and State (8cc96b6 sent it less its status), VAWA covers more of a provider\'s records, and a criminal justice agency receives only what it has a need to know (the sheriff serves Orleans, where each referral was found); so the feed seeks no relief and comes from HSI',
  ],
}));
