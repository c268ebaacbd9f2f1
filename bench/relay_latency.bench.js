// Submit -> recipient's topic at 200 referrals/s: intake and relay as the product runs them (each its
// own process, PostgreSQL store, real broker), HSI posting referrals over HTTP and the shelter's topic
// read with kafkajs; against a direct kafkajs produce -> consume of the same referral at the same rate
// (same producer settings, acks=all, same consumer), alternated in one run. p99 of each run, medians.
// Beside them, two floors: the same POSTs to bench/http-floor.js, which appends each referral and then
// sends it to a topic itself, the least an exchange that stores before it sends can take here; and
// to another that only appends, whose feed a third process follows and sends from, as the relay does,
// with nothing else: the least an exchange that stores first and relays from its feed can take.
const { spawn } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const { performance } = require('node:perf_hooks');
const { fetch } = globalThis;
const { alternate, besideBaseline, freePort, median, processCpuMs, PROFILING, untilReady, writeResult } = require('./harness');
const { COMPILED } = require('./compiled');
const { brokers, connectRawProducer, DATABASE_URL, EXAMPLE, openBenchDatabase, tokenSigner, unique } = require('./relay-fixture');
const { createTopics, DEFAULT_TOPIC_SETTINGS, EXCHANGE_PRINCIPALS, kafkaClient } = require('@crescent/messaging');

const RATE = 200; // referrals per second
const PER_RUN = Number(process.env.BENCH_REFERRALS ?? 1_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const GOAL_MS = 50;

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1];

/** A script run against dist/bench (an app of the exchange, the floor), with its own environment; its log goes to stderr at warn. */
function startProcess(script, port, env) {
  const child = spawn(process.execPath, [...PROFILING, '-r', path.join(__dirname, 'compiled.js'), script], {
    env: { PATH: process.env.PATH, PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

/** A consumer of `topic` that notes when each key arrives. */
async function arrivals(topic) {
  const signer = tokenSigner();
  const consumer = kafkaClient({ brokers: brokers(), clientId: unique('bench-reader'), token: async () => signer.sign(EXCHANGE_PRINCIPALS.admin) }).consumer({ groupId: unique('bench-reader') });
  const arrived = new Map();
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: false });
  await consumer.run({ eachMessage: async ({ message }) => void arrived.set(message.key.toString(), performance.now()) });
  return { arrived, stop: () => consumer.disconnect() };
}

/** Calls `send(i)` PER_RUN times at RATE per second (on a fixed schedule, not after each answer); returns each one's start time. */
async function paced(send) {
  const started = new Array(PER_RUN);
  const pending = [];
  const t0 = performance.now();
  for (let i = 0; i < PER_RUN; i++) {
    const due = t0 + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    started[i] = performance.now();
    pending.push(send(i));
  }
  return { started, keys: await Promise.all(pending) };
}

/**
 * What an app's /metrics tells of its event loop since the scrape before (prom-client's delay p99 and
 * max, reset at each scrape) and of its garbage collection so far, in ms.
 */
async function loopAndGc(port) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const seconds = (name) => [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce((sum, match) => sum + Number(match[1]), 0);
  return { loopDelayP99Ms: seconds('nodejs_eventloop_lag_p99_seconds') * 1000, loopDelayMaxMs: seconds('nodejs_eventloop_lag_max_seconds') * 1000, gcMs: seconds('nodejs_gc_duration_seconds_sum') * 1000 };
}

/**
 * Runs `run()` and notes in `apps[name].runs` what each app did meanwhile: its loop delay (p99, max),
 * and its GC and CPU time per referral, in ms. Returns what `run()` returned.
 */
async function watching(apps, run) {
  const before = await Promise.all(apps.map(async ({ port, child }) => ({ ...(await loopAndGc(port)), cpuMs: processCpuMs(child.pid) })));
  const result = await run();
  for (const [index, app] of apps.entries()) {
    const after = await loopAndGc(app.port);
    app.runs.push({
      loopDelayP99Ms: after.loopDelayP99Ms,
      loopDelayMaxMs: after.loopDelayMaxMs,
      gcMsPerReferral: (after.gcMs - before[index].gcMs) / PER_RUN,
      cpuMsPerReferral: (processCpuMs(app.child.pid) - before[index].cpuMs) / PER_RUN,
    });
  }
  return result;
}

/** Waits until every key has arrived, then the p99 of arrival - start, in ms. */
async function p99(reader, { started, keys }) {
  for (let waited = 0; keys.some((key) => !reader.arrived.has(key)); waited += 20) {
    if (waited > 60_000) throw new Error(`${keys.filter((key) => !reader.arrived.has(key)).length} messages never arrived`);
    await sleep(20);
  }
  return percentile(keys.map((key, i) => reader.arrived.get(key) - started[i]), 99);
}

async function main() {
  const namespace = `${unique('bench-latency')}.`;
  const [intakePort, relayPort, floorPort, feedFloorPort, feedRelayPort] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const kafkaEnv = Object.fromEntries(['KAFKA_BROKERS', 'KAFKA_TOKEN_SIGNING_KEY_FILE', 'KAFKA_TOKEN_KEY_ID', 'KAFKA_TOKEN_ISSUER', 'KAFKA_TOKEN_AUDIENCE'].filter((name) => process.env[name]).map((name) => [name, process.env[name]]));
  // The administration's principal (a super user) for both apps, as the baseline's clients use: the bench measures the path, not the ACLs.
  // HSI's rate limit is lifted: 200/s is above the default 600 a minute per credential.
  const env = { ...kafkaEnv, KAFKA_PRINCIPAL: EXCHANGE_PRINCIPALS.admin, DATABASE_URL, DATABASE_SCHEMA: unique('bench_latency'), TOPIC_NAMESPACE: namespace, SEED_DEMO: 'true', RATE_LIMIT_PER_CREDENTIAL: '1000000' };
  const started = performance.now();
  const app = (name) => path.join(COMPILED, 'apps', name, 'src', 'main.js');
  const shelterTopic = `${namespace}crescent.out.bayou-haven-shelter.victim-referrals.v2`;
  const rawTopic = `${namespace}bench.raw-referrals`;
  const floorTopic = `${namespace}bench.floor-referrals`;
  const feedFloorTopic = `${namespace}bench.feed-floor-referrals`;
  const intake = startProcess(app('intake'), intakePort, env);
  await untilReady(intake, `http://127.0.0.1:${intakePort}`);
  const relay = startProcess(app('relay'), relayPort, env);
  await untilReady(relay, `http://127.0.0.1:${relayPort}`);
  console.log(`intake and relay ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // In a schema of its own, so the relay does not carry its referrals too; with intake's pool size (the default 10).
  const floorSchemas = [unique('bench_latency_floor'), unique('bench_latency_feed_floor')];
  const floorDatabases = await Promise.all(floorSchemas.map(openBenchDatabase));
  const floorProcess = (port, schema, floorEnv) => startProcess(path.join(__dirname, 'http-floor.js'), port, { ...env, DATABASE_SCHEMA: schema, DATABASE_POOL_SIZE: '10', ...floorEnv });
  const floors = [
    [floorPort, floorProcess(floorPort, floorSchemas[0], { FLOOR_TOPIC: floorTopic })],
    [feedFloorPort, floorProcess(feedFloorPort, floorSchemas[1], {})],
    [feedRelayPort, floorProcess(feedRelayPort, floorSchemas[1], { FLOOR_TOPIC: feedFloorTopic, FLOOR_ROLE: 'relay' })],
  ];
  try {
    for (const [port, child] of floors) await untilReady(child, `http://127.0.0.1:${port}`);
    const signer = tokenSigner();
    const admin = kafkaClient({ brokers: brokers(), clientId: unique('bench-admin'), token: async () => signer.sign(EXCHANGE_PRINCIPALS.admin) }).admin();
    await admin.connect();
    // As the exchange creates an agency's topics; the relay finds the shelter's there.
    await createTopics(admin, [shelterTopic, rawTopic, floorTopic, feedFloorTopic], DEFAULT_TOPIC_SETTINGS);
    await admin.disconnect();
    const readers = { candidate: await arrivals(shelterTopic), baseline: await arrivals(rawTopic), floor: await arrivals(floorTopic), feedFloor: await arrivals(feedFloorTopic) };
    const producer = await connectRawProducer();

    // When the server answered each: arrival - answer is the part after the answer (the relay's, for intake), reported beside it.
    const answered = new Map();
    const submitTo = (port) => async () => {
      const response = await fetch(`http://127.0.0.1:${port}/v1/referrals`, {
        method: 'POST',
        headers: { authorization: 'Bearer demo-hsi-token', 'content-type': 'application/json' },
        body: JSON.stringify(EXAMPLE),
      });
      if (response.status !== 201) throw new Error(`port ${port} answered ${response.status}`);
      const { recordId } = await response.json();
      answered.set(recordId, performance.now());
      return recordId;
    };
    const value = JSON.stringify(EXAMPLE);
    const produce = async () => {
      const key = randomUUID();
      await producer.sendBatch({ acks: -1, topicMessages: [{ topic: rawTopic, messages: [{ key, value }] }] });
      return key;
    };
    const send = { baseline: produce, candidate: submitTo(intakePort), floor: submitTo(floorPort), feedFloor: submitTo(feedFloorPort) };
    // Warm-up, untimed: every path carries a run's worth first.
    for (const side of Object.keys(send)) await p99(readers[side], await paced(send[side]));
    const parts = Object.fromEntries(['candidate', 'floor', 'feedFloor'].map((side) => [side, { answerP99Ms: [], answerToTopicP99Ms: [] }]));
    const apps = { intake: { port: intakePort, child: intake, runs: [] }, relay: { port: relayPort, child: relay, runs: [] } };
    const samples = await alternate(RUNS, async (side) => {
      const measured = async () => {
        const sent = await paced(send[side]);
        return { sent, latency: await p99(readers[side], sent) };
      };
      const { sent, latency } = side === 'candidate' ? await watching(Object.values(apps), measured) : await measured();
      if (parts[side]) {
        parts[side].answerP99Ms.push(percentile(sent.keys.map((key, i) => answered.get(key) - sent.started[i]), 99));
        parts[side].answerToTopicP99Ms.push(percentile(sent.keys.map((key) => readers[side].arrived.get(key) - answered.get(key)), 99));
      }
      return latency;
    }, ['baseline', 'candidate', 'floor', 'feedFloor']);
    const ratio = median(samples.candidate) / median(samples.baseline);
    const partsOf = ({ answerP99Ms, answerToTopicP99Ms }) => ({ answerP99Ms: median(answerP99Ms), answerToTopicP99Ms: median(answerToTopicP99Ms) });
    const medians = (runs) => Object.fromEntries(Object.keys(runs[0]).map((key) => [key, median(runs.map((run) => run[key]))]));
    writeResult({
      name: 'relay_latency',
      description: `p99 submit -> the shelter's topic at ${RATE} referrals/s (${PER_RUN} per run): intake + relay processes on PostgreSQL vs a direct kafkajs produce -> consume at the same rate`,
      goal: 2,
      goalIsCeiling: true,
      // A latency: the ratio is candidate / baseline, which must stay at or below the goal.
      higherIsBetter: true,
      unit: 'ms, p99 of each run (median of runs)',
      samples: { baseline: samples.baseline, candidate: samples.candidate },
      // Both goals: at most twice the direct path, and at most GOAL_MS.
      extra: {
        ceilingMs: GOAL_MS,
        goalMet: ratio <= 2 && median(samples.candidate) <= GOAL_MS,
        candidateParts: partsOf(parts.candidate),
        candidateApps: { intake: medians(apps.intake.runs), relay: medians(apps.relay.runs) },
        floor: { ...besideBaseline(samples, 'floor'), ...partsOf(parts.floor) },
        feedFloor: { ...besideBaseline(samples, 'feedFloor'), ...partsOf(parts.feedFloor) },
      },
      notes: [
        `candidate: HSI posts the README's example referral to intake (POST /v1/referrals, its own process) on a fixed schedule of ${RATE}/s; the relay (its own process, PostgreSQL feed with LISTEN/NOTIFY, ledger and checkpoint) publishes it to the shelter's topic; a kafkajs consumer notes each arrival by key (the record id). Latency = arrival - the moment the POST was sent`,
        `baseline: the same referral JSON sent with a kafkajs producer of the exchange's settings (idempotent, one request in flight, acks=all) on the same schedule to a topic of the same shape, read by the same kind of consumer`,
        `goal: candidate p99 <= 2 x baseline p99 and <= ${GOAL_MS} ms; both apps use the administration's broker principal`,
        'candidateParts (medians of the runs): answerP99Ms, POST sent -> intake answered; answerToTopicP99Ms, intake answered -> on the shelter topic (the relay, from the feed to the broker, plus the consumer)',
        "candidateApps (medians of the candidate's runs, each app's own /metrics and /proc): loopDelayP99Ms and loopDelayMaxMs, its event loop's delay during the run (prom-client, 10 ms resolution); gcMsPerReferral and cpuMsPerReferral, its garbage collection and CPU time over the run / the referrals sent",
        'floor: the same POSTs on the same schedule to bench/http-floor.js in its own process (node:http, no framework, a pool of 10 like intake), which appends the event a submission makes to a store of its own in the same database, answers 201, then sends the event data to a topic of its own with the same producer settings; floor.ratio (floor p99 / baseline p99) is the least any exchange that stores a referral before it sends it can reach here',
        "feedFloor: the same POSTs to another such process that only appends (to a schema of its own), while a third (bench/http-floor.js with FLOOR_ROLE=relay) follows that schema's feed as the relay does (a subscription woken by the append signal, the relay's batch size) and sends each event's data with the same producer settings, with no projection, ledger or checkpoint; feedFloor.ratio is the least an exchange that stores a referral and relays it from its feed in another process, as Crescent's design does, can reach here",
      ],
    });
    await producer.disconnect();
    await Promise.all(Object.values(readers).map((reader) => reader.stop()));
  } finally {
    for (const child of [intake, relay, ...floors.map(([, floor]) => floor)]) child.kill('SIGTERM');
    for (const [index, database] of floorDatabases.entries()) {
      await database.query(`DROP SCHEMA ${floorSchemas[index]} CASCADE`).catch(() => undefined);
      await database.close();
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
