// What a restart costs as the feed grows: intake and the relay started as the product runs them (each its own
// process from the compiled tree, PostgreSQL store, the bench's broker) on a feed of BENCH_RESTART_EVENTS events
// (candidate) against the same on 1,000 events (baseline), alternated in one run. Each side's feed is seeded once,
// in a schema of its own, with the relay's checkpoint at its head, and its facts built there by one untimed relay
// start: a caught-up relay restarting loads its state at the checkpoint and delivers nothing. Measured: spawn ->
// ready, and VmRSS SETTLE_MS after ready.
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const path = require('node:path');
const readline = require('node:readline');
const { readFileSync } = require('node:fs');
const { setTimeout: sleep } = require('node:timers/promises');
const { performance } = require('node:perf_hooks');
const { AbortSignal, fetch } = globalThis;
const { alternate, freePort, median, PROFILING, writeResult } = require('./harness');
const { COMPILED } = require('./compiled');
const { DATABASE_URL, seededFeed, unique } = require('./relay-fixture');
const { CheckpointStore, LeaseStore } = require('@crescent/event-store');
const { EXCHANGE_PRINCIPALS } = require('@crescent/messaging');
const { sha256Hex } = require('@crescent/runtime');
const { RELAY_CHECKPOINT } = require('../dist/bench/apps/relay/src/feed-relay');

const EVENTS = { baseline: 1_000, candidate: Number(process.env.BENCH_RESTART_EVENTS ?? 100_000) };
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const RECIPIENTS = 3;
/** What seedRecipients writes before the referrals: the sender and each recipient registered, one policy, a subscription each. */
const SETUP_EVENTS = 1 + RECIPIENTS + 1 + RECIPIENTS;
const SETTLE_MS = 2000;
const RELAY_LEASE = 'relay'; // RelayService's lease
const REBUILT = /^relay state rebuilt up to checkpoint (\S+): (\d+) events replayed in (\d+) ms$/;
const LOADED = /^relay state at checkpoint (\S+) loaded: (\d+) directory facts in (\d+) ms$/;

/**
 * One side's feed: seeded, with the relay's checkpoint saved at its head under the relay's lease, as a relay
 * that had caught up leaves it. `consented`: each referral with a consent (what intake links to her matter).
 */
async function preparedFeed(events, { consented = false } = {}) {
  const feed = await seededFeed(RECIPIENTS, (events - SETUP_EVENTS) / (consented ? 2 : 1), { consented });
  if (feed.events !== events) throw new Error(`the feed holds ${feed.events} events, not ${events}`);
  const [checkpoints, leases] = await Promise.all([CheckpointStore.create(feed.sql), LeaseStore.create(feed.sql)]);
  const holder = unique('bench-seed');
  await checkpoints.save(RELAY_CHECKPOINT, feed.head, await leases.acquire(RELAY_LEASE, holder, 60_000));
  await leases.release(RELAY_LEASE, holder);
  return { ...feed, checkpoints };
}

/** Secrets of this run only: no demo seed, so the store holds the bench's feed and nothing else. */
const SECRETS = { ADMIN_TOKEN_SHA256: sha256Hex(randomBytes(32).toString('hex')), PSEUDONYM_SECRET: randomBytes(32).toString('hex') };
const kafkaEnv = () => Object.fromEntries(['KAFKA_BROKERS', 'KAFKA_TOKEN_SIGNING_KEY_FILE', 'KAFKA_TOKEN_KEY_ID', 'KAFKA_TOKEN_ISSUER', 'KAFKA_TOKEN_AUDIENCE'].filter((name) => process.env[name]).map((name) => [name, process.env[name]]));

/** VmRSS of a process, in MB. */
function residentMb(pid) {
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
  return kb / 1024;
}

/** The V8 heap in use (live and not yet collected) as the app's /metrics tells it, in MB: what of the RSS is the JavaScript heap. */
async function heapUsedMb(port) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(/^nodejs_heap_size_used_bytes (\d+)$/m.exec(text)[1]) / 2 ** 20;
}

/**
 * Starts `app` from dist/bench on the feed's schema and resolves, once it is ready, with the milliseconds
 * from spawn (to ready, and to /health/ready alone), what the relay logged of its state (when `relayState` is
 * asked for: the relay answers /health/ready before it has its state, so it is ready for work only once it
 * logs that its state is loaded), and the process.
 */
async function startUntilReady(app, feed, { relayState = false } = {}) {
  const port = await freePort();
  const env = { ...kafkaEnv(), ...SECRETS, PATH: process.env.PATH, PORT: String(port), LOG_LEVEL: 'log', KAFKA_PRINCIPAL: EXCHANGE_PRINCIPALS.admin, DATABASE_URL, DATABASE_SCHEMA: feed.schema, TOPIC_NAMESPACE: `${feed.schema}.` };
  const spawned = performance.now();
  const child = spawn(process.execPath, [...PROFILING, '-r', path.join(__dirname, 'compiled.js'), path.join(COMPILED, 'apps', app, 'src', 'main.js')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = () => (child.kill('SIGTERM'), exited);
  const state = { rebuilt: undefined, loaded: undefined };
  const loaded = new Promise((resolve) => {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = line.startsWith('{') ? JSON.parse(line) : { level: 'warn', msg: line };
      // Its warnings and errors as the apps of the other benches show them (LOG_LEVEL=warn, on stderr).
      if (entry.level === 'warn' || entry.level === 'error' || entry.level === 'fatal') console.error(line);
      const rebuilt = REBUILT.exec(entry.msg ?? '');
      if (rebuilt) state.rebuilt = { checkpoint: rebuilt[1], replayed: Number(rebuilt[2]), ms: Number(rebuilt[3]) };
      const match = LOADED.exec(entry.msg ?? '');
      if (match) resolve({ at: performance.now(), checkpoint: match[1], directoryFacts: Number(match[2]), ms: Number(match[3]) });
    });
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode} before it was ready`);
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
      await response?.body?.cancel();
      if (response?.status === 200) break;
      await sleep(50);
    }
    let readyAt = performance.now();
    const healthMs = readyAt - spawned;
    if (relayState) {
      state.loaded = await Promise.race([loaded, exited.then(() => Promise.reject(new Error(`${app} exited before it loaded its state`)))]);
      readyAt = Math.max(readyAt, state.loaded.at);
    }
    return { child, port, stop, ms: readyAt - spawned, healthMs, state };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The relay's facts built at the feed's checkpoint, as an upgrade builds them: one untimed start that rebuilds them from the feed. */
async function buildRelayFacts(feed) {
  const relay = await startUntilReady('relay', feed, { relayState: true });
  await relay.stop();
  const { rebuilt } = relay.state;
  if (rebuilt?.checkpoint !== feed.head || rebuilt.replayed !== feed.events) throw new Error(`the relay rebuilt ${JSON.stringify(rebuilt)}, not ${feed.events} events up to ${feed.head}`);
  return rebuilt.ms;
}

/** One restart of intake on `feed`: time to ready, and RSS and heap once settled. */
async function restartIntake(feed) {
  const intake = await startUntilReady('intake', feed);
  await sleep(SETTLE_MS);
  const rss = residentMb(intake.child.pid);
  const heap = await heapUsedMb(intake.port);
  await intake.stop();
  return { ms: intake.ms, rss, heap };
}

/** One restart of each app on `feed`, one after the other: time to ready and RSS once settled. */
async function restartBoth(feed) {
  const intake = await restartIntake(feed);

  const [lease] = await feed.sql.query('SELECT expires_at FROM leases WHERE name = $1', [RELAY_LEASE]);
  if (Number(lease.expires_at) >= Date.now()) throw new Error('the relay lease is still held: a relay would wait for it instead of starting');
  const relay = await startUntilReady('relay', feed, { relayState: true });
  await sleep(SETTLE_MS);
  const relayRss = residentMb(relay.child.pid);
  const relayHeap = await heapUsedMb(relay.port);
  const settled = await fetch(`http://127.0.0.1:${relay.port}/health/ready`);
  const { relay: status } = await settled.json();
  await relay.stop();
  // It loaded its state at the head, replaying nothing, took the lease, found nothing behind the checkpoint and left it there.
  const { rebuilt, loaded } = relay.state;
  if (rebuilt !== undefined || loaded.checkpoint !== feed.head) throw new Error(`the relay did not load its state at ${feed.head}: ${JSON.stringify(relay.state)}`);
  if (settled.status !== 200 || !status?.holdsLease || status.lagEvents !== 0) throw new Error(`the relay was not the caught-up active relay: ${JSON.stringify(status)}`);
  if ((await feed.checkpoints.load(RELAY_CHECKPOINT)) !== feed.head) throw new Error('the relay moved its checkpoint: it delivered something');
  return { intakeMs: intake.ms, intakeRss: intake.rss, intakeHeap: intake.heap, relayMs: relay.ms, relayHealthMs: relay.healthMs, relayLoadMs: loaded.ms, relayRss, relayHeap };
}

async function main() {
  const feeds = {};
  // Beside the row's two sides, intake alone on a feed as long as the candidate's whose referrals each have a consent.
  for (const side of ['baseline', 'candidate', 'consented']) {
    const seeding = performance.now();
    feeds[side] = await preparedFeed(EVENTS[side] ?? EVENTS.candidate, { consented: side === 'consented' });
    console.log(`${side}: ${feeds[side].events} events seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);
  }
  const factsBuiltMs = {};
  for (const side of ['baseline', 'candidate']) {
    factsBuiltMs[side] = await buildRelayFacts(feeds[side]);
    console.log(`${side}: the relay's facts rebuilt from the feed in ${factsBuiltMs[side]} ms`);
  }
  // Intake's links of each referral's matter, built from the consented feed as an upgrade builds them: one untimed start.
  const mattersBuiltMs = (await restartIntake(feeds.consented)).ms;
  console.log(`consented: intake's referral matters built from the feed in a start of ${mattersBuiltMs.toFixed(0)} ms`);
  try {
    await restartBoth(feeds.baseline); // warm-up, untimed: the compiled tree in the page cache
    const measured = await alternate(RUNS, async (side, run) => {
      const consented = side === 'candidate' ? await restartIntake(feeds.consented) : undefined;
      const sample = { ...(await restartBoth(feeds[side])), ...(consented && { consentedIntakeMs: consented.ms, consentedIntakeRss: consented.rss }) };
      console.log(`${side} run ${run + 1}: ${JSON.stringify(Object.fromEntries(Object.entries(sample).map(([key, value]) => [key, Number(value.toFixed(1))])))}`);
      return sample;
    });
    const samplesOf = (key) => ({ baseline: measured.baseline.map((sample) => sample[key]), candidate: measured.candidate.map((sample) => sample[key]) });
    const medians = (key) => ({ baseline: Number(median(samplesOf(key).baseline).toFixed(1)), candidate: Number(median(samplesOf(key).candidate).toFixed(1)) });
    const mbPerThousand = (key) => Number((((median(samplesOf(key).candidate) - median(samplesOf(key).baseline)) / (EVENTS.candidate - EVENTS.baseline)) * 1000).toFixed(3));
    const sides = `${EVENTS.candidate} events in the store (candidate) vs ${EVENTS.baseline} (baseline)`;
    const feedNote = `each side's feed seeded once in its own PostgreSQL schema: ${RECIPIENTS + 1} agencies, one policy, ${RECIPIENTS} subscriptions, then referrals (one event each); the relay's checkpoint saved at the feed's head under its lease, and its facts built there by one untimed relay start that rebuilt them from the feed (factsBuiltMs)`;
    const alternation = `${RUNS} runs, sides alternated, after one untimed warm-up restart on the baseline feed; each run starts intake, then (intake stopped) the relay`;
    // Intake on the consented feed, against the same baseline: the links of each referral's matter grow with the consents.
    const consentedFeed = (key, baselineKey) => {
      const candidate = measured.candidate.map((sample) => sample[key]);
      return {
        events: feeds.consented.events,
        referrals: (feeds.consented.events - SETUP_EVENTS) / 2,
        mattersBuiltStartMs: Number(mattersBuiltMs.toFixed(1)),
        median: Number(median(candidate).toFixed(1)),
        ratio: Number((median(candidate) / median(samplesOf(baselineKey).baseline)).toFixed(3)),
        samples: candidate.map((value) => Number(value.toFixed(1))),
      };
    };
    const results = [
      {
        app: 'intake',
        what: 'time',
        key: 'intakeMs',
        goal: 1.5,
        unit: 'ms from spawn to /health/ready 200',
        measures:
          "intake's AgencyDirectory folds, before it listens, only the agencies, policies and subscriptions (DIRECTORY_EVENT_TYPES), read by type from the store's index; the records of each referral's matter (consents, arrests, cases) it keeps linked in its database (referral_matters) and resumes from their checkpoint. consentedFeed: intake alone, in the same runs, on a feed as long whose referrals each have a consent, against the same baseline, its links built before by one untimed start (mattersBuiltStartMs)",
        extra: { consentedFeed: consentedFeed('consentedIntakeMs', 'intakeMs') },
      },
      {
        app: 'intake',
        what: 'rss',
        key: 'intakeRss',
        goal: 1.2,
        unit: `MB VmRSS ${SETTLE_MS} ms after ready`,
        extra: { medianHeapUsedMb: medians('intakeHeap'), consentedFeed: consentedFeed('consentedIntakeRss', 'intakeRss') },
      },
      {
        app: 'relay',
        what: 'time',
        key: 'relayMs',
        goal: 1.5,
        unit: "ms from spawn to ready: /health/ready 200 and the log's 'relay state at checkpoint ... loaded' line, whichever comes later",
        measures: "the relay reads its directory facts (agencies, policies, subscriptions) from its facts table at the checkpoint, from bootstrap on and beside its start, and the records' facts only as events need them: /health/ready may answer 200 before that, so ready is whichever comes later",
        extra: { medianHealthReadyMs: medians('relayHealthMs'), medianLoadMsLogged: medians('relayLoadMs'), factsBuiltMs },
      },
      { app: 'relay', what: 'rss', key: 'relayRss', goal: 1.2, unit: `MB VmRSS ${SETTLE_MS} ms after ready (state loaded)`, extra: { medianHeapUsedMb: medians('relayHeap') } },
    ];
    for (const { app, what, key, goal, unit, measures, extra = {} } of results) {
      writeResult({
        name: `restart_${app}_${what}`,
        description: `restart of ${app} (its own process, PostgreSQL, the bench's broker): ${what === 'time' ? 'time to ready' : 'resident memory once ready'}, ${sides}`,
        goal,
        goalIsCeiling: true,
        // A cost: the ratio is candidate / baseline, which must stay at or below the goal.
        higherIsBetter: true,
        unit,
        samples: samplesOf(key),
        extra: { events: EVENTS, ...(what === 'rss' ? { mbPerThousandEvents: mbPerThousand(key) } : {}), ...extra },
        notes: [feedNote, alternation, ...(measures ? [measures] : []), 'the relay checked each run: it loaded its state at the head and rebuilt nothing, held the lease with no lag, and left the checkpoint at the head (delivered nothing)'],
      });
    }
  } finally {
    for (const feed of Object.values(feeds)) {
      await feed.sql.query(`DROP SCHEMA ${feed.schema} CASCADE`).catch(() => undefined);
      await feed.sql.close();
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
