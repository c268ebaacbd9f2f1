// What a restart costs as the feed grows: intake and the relay started as the product runs them (each its own
// process from the compiled tree, PostgreSQL store, the bench's broker) on a feed of BENCH_RESTART_EVENTS events
// (candidate) against the same on 1,000 events (baseline), alternated in one run. Each side's feed is seeded once,
// in a schema of its own, with the relay's checkpoint at its head: a caught-up relay restarting rebuilds its state
// from the whole feed and delivers nothing. Measured: spawn -> ready, and VmRSS SETTLE_MS after ready.
// Beside them, the floor of a start that reads the whole feed: the same feed read end to end in the bench process.
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const path = require('node:path');
const readline = require('node:readline');
const { readFileSync } = require('node:fs');
const { setTimeout: sleep } = require('node:timers/promises');
const { performance } = require('node:perf_hooks');
const { AbortSignal, fetch } = globalThis;
const { alternate, freePort, median, writeResult } = require('./harness');
const { COMPILED } = require('./compiled');
const { DATABASE_URL, feedHead, seededFeed, unique } = require('./relay-fixture');
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

/**
 * One side's feed: seeded, with the relay's checkpoint saved at its head under the relay's lease, as a relay
 * that had caught up leaves it. `consented`: each referral with a consent (what intake's directory folds).
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

/** BENCH_CPU_PROF_DIR / BENCH_HEAP_PROF_DIR=<dir>: each app started writes its CPU / sampling heap profile there when it stops (times and RSS then include the profiler). */
const PROFILING = [
  ...(process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF_DIR)}`] : []),
  ...(process.env.BENCH_HEAP_PROF_DIR ? ['--heap-prof', `--heap-prof-dir=${path.resolve(process.env.BENCH_HEAP_PROF_DIR)}`] : []),
];

/**
 * Starts `app` from dist/bench on the feed's schema and resolves, once it is ready, with the milliseconds
 * from spawn (to ready, and to /health/ready alone), the relay's rebuild line (when `rebuilt` is asked for: the relay answers
 * /health/ready while it replays, so it is ready for work only once that line is logged), and the process.
 */
async function startUntilReady(app, feed, { rebuilt = false } = {}) {
  const port = await freePort();
  const env = { ...kafkaEnv(), ...SECRETS, PATH: process.env.PATH, PORT: String(port), LOG_LEVEL: 'log', KAFKA_PRINCIPAL: EXCHANGE_PRINCIPALS.admin, DATABASE_URL, DATABASE_SCHEMA: feed.schema, TOPIC_NAMESPACE: `${feed.schema}.` };
  const spawned = performance.now();
  const child = spawn(process.execPath, [...PROFILING, '-r', path.join(__dirname, 'compiled.js'), path.join(COMPILED, 'apps', app, 'src', 'main.js')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = () => (child.kill('SIGTERM'), exited);
  let rebuild;
  const logged = new Promise((resolve) => {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = line.startsWith('{') ? JSON.parse(line) : { level: 'warn', msg: line };
      // Its warnings and errors as the apps of the other benches show them (LOG_LEVEL=warn, on stderr).
      if (entry.level === 'warn' || entry.level === 'error' || entry.level === 'fatal') console.error(line);
      const match = REBUILT.exec(entry.msg ?? '');
      if (match) resolve({ at: performance.now(), checkpoint: match[1], replayed: Number(match[2]), ms: Number(match[3]) });
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
    if (rebuilt) {
      rebuild = await Promise.race([logged, exited.then(() => Promise.reject(new Error(`${app} exited before it rebuilt its state`)))]);
      readyAt = Math.max(readyAt, rebuild.at);
    }
    return { child, port, stop, ms: readyAt - spawned, healthMs, rebuild };
  } catch (error) {
    await stop();
    throw error;
  }
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
  const relay = await startUntilReady('relay', feed, { rebuilt: true });
  await sleep(SETTLE_MS);
  const relayRss = residentMb(relay.child.pid);
  const relayHeap = await heapUsedMb(relay.port);
  const settled = await fetch(`http://127.0.0.1:${relay.port}/health/ready`);
  const { relay: status } = await settled.json();
  await relay.stop();
  // It rebuilt from the whole feed up to the head, took the lease, found nothing behind the checkpoint and left it there.
  const { rebuild } = relay;
  if (rebuild.checkpoint !== feed.head || rebuild.replayed !== feed.events) throw new Error(`the relay replayed ${rebuild.replayed} events up to ${rebuild.checkpoint}, not ${feed.events} up to ${feed.head}`);
  if (settled.status !== 200 || !status?.holdsLease || status.lagEvents !== 0) throw new Error(`the relay was not the caught-up active relay: ${JSON.stringify(status)}`);
  if ((await feed.checkpoints.load(RELAY_CHECKPOINT)) !== feed.head) throw new Error('the relay moved its checkpoint: it delivered something');
  return { intakeMs: intake.ms, intakeRss: intake.rss, intakeHeap: intake.heap, relayMs: relay.ms, relayHealthMs: relay.healthMs, relayReplayMs: rebuild.ms, relayRss, relayHeap };
}

async function main() {
  const feeds = {};
  // Beside the row's two sides, intake alone on a feed as long as the candidate's whose referrals each have a consent.
  for (const side of ['baseline', 'candidate', 'consented']) {
    const seeding = performance.now();
    feeds[side] = await preparedFeed(EVENTS[side] ?? EVENTS.candidate, { consented: side === 'consented' });
    console.log(`${side}: ${feeds[side].events} events seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);
  }
  try {
    await restartBoth(feeds.baseline); // warm-up, untimed: the compiled tree in the page cache
    const measured = await alternate(RUNS, async (side, run) => {
      const read = performance.now();
      await feedHead(feeds[side].store);
      const readMs = performance.now() - read;
      const consented = side === 'candidate' ? await restartIntake(feeds.consented) : undefined;
      const sample = { ...(await restartBoth(feeds[side])), readMs, ...(consented && { consentedIntakeMs: consented.ms, consentedIntakeRss: consented.rss }) };
      console.log(`${side} run ${run + 1}: ${JSON.stringify(Object.fromEntries(Object.entries(sample).map(([key, value]) => [key, Number(value.toFixed(1))])))}`);
      return sample;
    });
    const samplesOf = (key) => ({ baseline: measured.baseline.map((sample) => sample[key]), candidate: measured.candidate.map((sample) => sample[key]) });
    const medians = (key) => ({ baseline: Number(median(samplesOf(key).baseline).toFixed(1)), candidate: Number(median(samplesOf(key).candidate).toFixed(1)) });
    const mbPerThousand = (key) => Number((((median(samplesOf(key).candidate) - median(samplesOf(key).baseline)) / (EVENTS.candidate - EVENTS.baseline)) * 1000).toFixed(3));
    // The least a start that reads the whole feed can take: the app's start on the baseline, plus the longer read.
    const floorOf = (key) => {
      const [start, read] = [samplesOf(key), samplesOf('readMs')].map((samples) => ({ baseline: median(samples.baseline), candidate: median(samples.candidate) }));
      return { readFeedMs: medians('readMs'), ratio: Number(((start.baseline + read.candidate - read.baseline) / start.baseline).toFixed(3)) };
    };
    const sides = `${EVENTS.candidate} events in the store (candidate) vs ${EVENTS.baseline} (baseline)`;
    const feedNote = `each side's feed seeded once in its own PostgreSQL schema: ${RECIPIENTS + 1} agencies, one policy, ${RECIPIENTS} subscriptions, then referrals (one event each); the relay's checkpoint saved at the feed's head under its lease`;
    const alternation = `${RUNS} runs, sides alternated, after one untimed warm-up restart on the baseline feed; each run starts intake, then (intake stopped) the relay`;
    // Intake on the consented feed, against the same baseline: what its directory folds grows with the consents.
    const consentedFeed = (key, baselineKey) => {
      const candidate = measured.candidate.map((sample) => sample[key]);
      return {
        events: feeds.consented.events,
        referrals: (feeds.consented.events - SETUP_EVENTS) / 2,
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
          "intake's AgencyDirectory folds, before it listens, only the event types intake needs (REFERRAL_STATUS_EVENT_TYPES: agencies, policies, subscriptions, consents, arrests, cases), read by type from the store's index; this feed's referrals are none of them. consentedFeed: intake alone, in the same runs, on a feed as long whose referrals each have a consent, against the same baseline",
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
        unit: "ms from spawn to ready: /health/ready 200 and the log's 'relay state rebuilt' line, whichever comes later",
        measures: 'the relay replays the whole feed up to its checkpoint into its Deliveries, from bootstrap on and beside its start: /health/ready may answer 200 before that replay ends, so ready is whichever comes later',
        extra: { medianHealthReadyMs: medians('relayHealthMs'), medianReplayMsLogged: medians('relayReplayMs'), floor: floorOf('relayMs') },
      },
      { app: 'relay', what: 'rss', key: 'relayRss', goal: 1.2, unit: `MB VmRSS ${SETTLE_MS} ms after ready (rebuilt)`, extra: { medianHeapUsedMb: medians('relayHeap') } },
    ];
    const floorNote = 'floor (the relay\'s time): the whole feed read end to end in the bench process (SqlEventStore.readAll, 10,000 events a page, each row parsed), timed before each restart; floor.ratio = (the app\'s baseline time + the candidate read - the baseline read) / the app\'s baseline time, the least ratio a start that reads the whole feed can reach';
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
        notes: [feedNote, alternation, ...(measures ? [measures] : []), ...(app === 'relay' && what === 'time' ? [floorNote] : []), 'the relay checked each run: it logged a rebuild of every event up to the head, held the lease with no lag, and left the checkpoint at the head (delivered nothing)'],
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
