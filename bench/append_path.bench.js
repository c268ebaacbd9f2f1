// What an agency's submission costs on top of the append it makes: 32 clients posting referrals over HTTP to
// intake (its own process: authentication, DTO validation, the idempotency key, the use case's lookups, decide,
// the event's contract, the append) against 32 bare appends of the same event in flight through SqlEventStore,
// in the same database and the same run, alternating. Beside them, the floor (bench/http-floor.js): the same
// POSTs to a bare node:http server that only appends, the best any HTTP path could do here. Each run also
// notes the machine's CPU time per operation. BENCH_CPU_PROF_DIR=<dir> profiles intake (node --cpu-prof).
const path = require('node:path');
const http = require('node:http');
const { spawn } = require('node:child_process');
const { Buffer } = require('node:buffer');
const { randomBytes, randomUUID } = require('node:crypto');
const { alternate, besideBaseline, freePort, machineCpuMs, median, perSecond, processCpuMs, PROFILING, untilReady, writeResult } = require('./harness');
const { DATABASE_URL, EXAMPLE: REFERRAL } = require('./relay-fixture');
const { submittedEvent } = require('./http-floor');
const { SqlEventStore } = require('@crescent/event-store');
const { PostgresClient } = require('@crescent/sql');

const ROOT = path.join(__dirname, '..');
const IN_FLIGHT = 32;
const REQUESTS_EACH = Number(process.env.BENCH_REQUESTS_EACH ?? 25); // per client per run
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
/** The demo HSI's credential. */
const HSI_TOKEN = 'demo-hsi-token';

/** A server in its own process (`args` to node), on the bench's schema with a pool of IN_FLIGHT connections; resolves once it is ready. */
async function startServer(args, schema, env = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, PORT: String(port), DATABASE_URL, DATABASE_SCHEMA: schema, DATABASE_POOL_SIZE: String(IN_FLIGHT), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  await untilReady(child, url);
  return { url, cpuMs: () => processCpuMs(child.pid), stop: () => (child.kill('SIGTERM'), exited) };
}

/** Intake alone, as `npm run start:intake` runs it, on the in-process bus (a submission publishes nothing). */
function startIntake(schema) {
  // One credential sends every request here: its limit is not what is measured.
  return startServer([...PROFILING, '-r', './deploy/node/register-paths.js', 'dist/apps/intake/src/main.js'], schema, { SEED_DEMO: 'true', LOG_LEVEL: 'warn', RATE_LIMIT_PER_CREDENTIAL: '100000000' });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });

/** One submission as an agency's system sends it; resolves with the status and body. */
function post(url, body, idempotencyKey) {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}/v1/referrals`, {
      method: 'POST',
      agent,
      headers: { authorization: `Bearer ${HSI_TOKEN}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'idempotency-key': idempotencyKey },
    });
    request.on('response', (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end(text);
  });
}

/** Submissions/s: IN_FLIGHT clients, each posting REQUESTS_EACH referrals one after another, each under a key of its own. */
function measureSubmit(url) {
  return perSecond(IN_FLIGHT, REQUESTS_EACH, async () => {
    const { status, body } = await post(url, REFERRAL, randomUUID());
    if (status !== 201) throw new Error(`a submission was answered ${status}: ${body}`);
  });
}

/** Appends/s: IN_FLIGHT appends in flight, each creating a referral's stream, through the bare store. */
function measureAppend(store) {
  return perSecond(IN_FLIGHT, REQUESTS_EACH, () => {
    const { streamId, event } = submittedEvent(REFERRAL);
    return store.append(streamId, [event], 'no-stream');
  });
}

async function main() {
  const schema = `bench_path_${randomBytes(4).toString('hex')}`;
  const intake = await startIntake(schema);
  const floor = await startServer(['bench/http-floor.js'], schema);
  const sql = await PostgresClient.connect(DATABASE_URL, { schema, poolSize: IN_FLIGHT });
  const store = await SqlEventStore.create(sql);
  try {
    const submissions = async () => (await sql.query("SELECT COUNT(*) AS n FROM events WHERE type = 'VictimReferralSubmitted'"))[0].n;
    const before = Number(await submissions());
    const measure = { baseline: () => measureAppend(store), candidate: () => measureSubmit(intake.url), floor: () => measureSubmit(floor.url) };
    for (const warmUp of Object.values(measure)) await warmUp(); // connections, JIT and caches on every side
    // The CPU time per operation of the whole machine (the bench's, the servers', PostgreSQL's and the kernel's), and of the server posted to.
    const servers = { candidate: intake, floor };
    const cpuMs = { baseline: [], candidate: [], floor: [] };
    const serverCpuMs = { candidate: [], floor: [] };
    const samples = await alternate(RUNS, async (side) => {
      const [machineBefore, serverBefore] = [machineCpuMs(), servers[side]?.cpuMs()];
      const rate = await measure[side]();
      cpuMs[side].push((machineCpuMs() - machineBefore) / (IN_FLIGHT * REQUESTS_EACH));
      if (servers[side]) serverCpuMs[side].push((servers[side].cpuMs() - serverBefore) / (IN_FLIGHT * REQUESTS_EACH));
      return rate;
    }, ['baseline', 'candidate', 'floor']);
    const medians = (bySide) => Object.fromEntries(Object.entries(bySide).map(([side, values]) => [side, Number(median(values).toFixed(3))]));
    // Every answered submission is in the store, once: the requests were not answered from anywhere else.
    const appended = Number(await submissions()) - before;
    const expected = (RUNS + 1) * IN_FLIGHT * REQUESTS_EACH * 3;
    if (appended !== expected) throw new Error(`the store holds ${appended} new referrals, not the ${expected} submitted and appended`);
    writeResult({
      name: 'append_path',
      description: `${IN_FLIGHT} HTTP clients posting referrals to intake (${REQUESTS_EACH} each per run, each under its own Idempotency-Key) against ${IN_FLIGHT} bare SqlEventStore appends of the same event in flight, same database`,
      goal: 0.85,
      unit: 'submissions (appends) per second',
      higherIsBetter: true,
      samples: { baseline: samples.baseline, candidate: samples.candidate },
      extra: {
        floor: besideBaseline(samples, 'floor'),
        machineCpuMsPerOperation: medians(cpuMs),
        serverCpuMsPerOperation: medians(serverCpuMs),
      },
      notes: [
        'candidate: POST /v1/referrals to intake in its own process (DATABASE_POOL_SIZE=32, the demo directory): bearer token, DTO validation, the Idempotency-Key, the use case, decide, the event contract, the append; 201 required of every answer',
        'baseline: SqlEventStore.append of the VictimReferralSubmitted event such a submission makes, on a new stream, through a pool of 32 connections in the bench process',
        'floor: the same POSTs to bench/http-floor.js in its own process (node:http, no framework, DATABASE_POOL_SIZE=32): the body parsed and that event appended, nothing else; floor.ratio (floor / baseline) is the most any HTTP path can reach on this machine',
        'machineCpuMsPerOperation: the CPU time of the whole machine (every process and the kernel, from /proc/stat) during a run, per submission or append; serverCpuMsPerOperation: that of the process posted to (intake, the floor) alone; medians of the runs',
        'after the runs, the store must hold exactly one new referral per submission (to intake and to the floor) and per append',
      ],
    });
  } finally {
    await Promise.all([intake.stop(), floor.stop()]);
    await sql.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    await store.close();
    agent.destroy();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
