// What every benchmark shares: medians, alternating the two sides within one run, and the result file
// bench/results/<name>.json (name, ratio, goal, baseline, candidate, unit, runs and the samples).
const path = require('node:path');
const fs = require('node:fs');
const net = require('node:net');
const { setTimeout: sleep } = require('node:timers/promises');
const { AbortSignal, fetch } = globalThis;

/** The value below which the fraction `at` of `values` lies, between the two nearest when none is exactly there. */
const quantile = (values, at) => {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * at;
  const below = Math.floor(position);
  return sorted[below] + (sorted[Math.ceil(position)] - sorted[below]) * (position - below);
};
const median = (values) => quantile(values, 0.5);

/**
 * node's flags for an app a bench starts: BENCH_CPU_PROF_DIR / BENCH_HEAP_PROF_DIR=<dir> have it write its
 * CPU / sampling heap profile there when it stops (its times and RSS then include the profiler).
 */
const PROFILING = [
  ...(process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF_DIR)}`] : []),
  ...(process.env.BENCH_HEAP_PROF_DIR ? ['--heap-prof', `--heap-prof-dir=${path.resolve(process.env.BENCH_HEAP_PROF_DIR)}`] : []),
];

/** Milliseconds `work()` takes. */
const millisecondsOf = (work) => {
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e6;
};

/**
 * Measures each side `runs` times, the first side of one run going last in the next, so none is
 * always measured after the same other; `measure(side, run)` returns one sample (a number, or a
 * promise of one). `sides`: the baseline and the candidate, and any other path measured beside them.
 */
async function alternate(runs, measure, sides = ['baseline', 'candidate']) {
  const samples = Object.fromEntries(sides.map((side) => [side, []]));
  for (let run = 0; run < runs; run++) {
    const order = sides.map((_, index) => sides[(index + run) % sides.length]);
    for (const side of order) samples[side].push(await measure(side, run));
  }
  return samples;
}

/** CPU time the whole machine has spent, every process and the kernel, in ms (Linux's /proc/stat; clock ticks of 10 ms). */
function machineCpuMs() {
  const [, user, nice, system, , , irq, softirq, steal] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return (user + nice + system + irq + softirq + steal) * 10;
}

/** A TCP port free on 127.0.0.1 just now, as the system hands one out (never one of the ports its own connections use). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Resolves once `child` answers GET <url>/health/ready with 200; fails with its last answer after a minute, or at once if it exits. */
async function untilReady(child, url) {
  let last = 'none';
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(100)) {
    if (child.exitCode !== null) throw new Error(`the process for ${url} exited with ${child.exitCode} before it was ready`);
    const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
    if (response?.ok) return;
    if (response) last = `${response.status} ${await response.text()}`;
  }
  throw new Error(`the process for ${url} did not become ready; its last answer: ${last}`);
}

/** Operations per second of `workers` running at once, each calling `operation(worker, n)` `each` times, one after another. */
async function perSecond(workers, each, operation) {
  const worker = async (index) => {
    for (let n = 0; n < each; n++) await operation(index, n);
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: workers }, (_, index) => worker(index)));
  return (workers * each) / (Number(process.hrtime.bigint() - start) / 1e9);
}

const rounded = (values) => values.map((value) => Number(value.toFixed(3)));

/** A side measured beside the baseline and the candidate (a floor): its median, that over the baseline's median, and its samples, in the result's units. */
function besideBaseline(samples, side) {
  return { median: Number(median(samples[side]).toFixed(3)), ratio: Number((median(samples[side]) / median(samples.baseline)).toFixed(3)), samples: rounded(samples[side]) };
}

/**
 * Writes and prints one result. `higherIsBetter` says which way the unit points: for a time the
 * ratio is baseline / candidate, for a rate candidate / baseline; either way a ratio >= goal meets
 * the goal unless `goalIsCeiling` (a ratio that must stay at or below the goal, as a latency's).
 */
function writeResult({ name, description, goal, unit, higherIsBetter, goalIsCeiling = false, samples, notes = [], extra = {} }) {
  const baseline = median(samples.baseline);
  const candidate = median(samples.candidate);
  const ratio = higherIsBetter ? candidate / baseline : baseline / candidate;
  const paired = samples.baseline.map((value, run) => (higherIsBetter ? samples.candidate[run] / value : value / samples.candidate[run]));
  const result = {
    name,
    description,
    ratio: Number(ratio.toFixed(3)),
    goal,
    goalMet: goalIsCeiling ? ratio <= goal : ratio >= goal,
    baseline: Number(baseline.toFixed(3)),
    candidate: Number(candidate.toFixed(3)),
    unit,
    runs: samples.baseline.length,
    // The same runs paired as they were taken, so a slower or faster spell of this shared machine
    // weighs on both sides of each pair.
    pairedRatio: Number(median(paired).toFixed(3)),
    // Half the pairs lie between these: how far one pair's ratio strays on this machine.
    pairedQuartiles: rounded([quantile(paired, 0.25), quantile(paired, 0.75)]),
    ...extra,
    notes,
    samples: { baseline: rounded(samples.baseline), candidate: rounded(samples.candidate) },
    node: process.version,
  };
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results', `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify({ ...result, samples: undefined }, null, 2));
  console.log(`${name}: ratio ${result.ratio} (goal ${goalIsCeiling ? '<=' : '>='} ${goal}) ${result.goalMet ? 'met' : 'MISSED'}`);
  return result;
}

/** CPU time process `pid` has spent, user and kernel, in ms (Linux's /proc/<pid>/stat; clock ticks of 10 ms). */
function processCpuMs(pid) {
  // The fields after the command's name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

module.exports = { median, millisecondsOf, alternate, besideBaseline, freePort, machineCpuMs, perSecond, processCpuMs, PROFILING, untilReady, writeResult };
