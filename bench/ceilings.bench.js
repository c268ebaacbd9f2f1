// The machine's ceilings, measured in the same `npm run bench` as the ratios (docs/benchmarks.md): what
// the broker takes from Kafka's own ProducerPerformance (from the jars the broker runs, 1 KB records,
// acks=all, as the exchange produces), and how many single-row transactions PostgreSQL commits per
// second on 1 and on 32 connections. No ratio and no goal: they say how far any ratio could go here.
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const { randomBytes } = require('node:crypto');
const { execFileSync } = require('node:child_process');
require('./compiled');
const { Pool } = require('pg');
const { median, perSecond } = require('./harness');
const { kafkaClient, KafkaTokenSigner } = require('@crescent/messaging');
const { kafkaTokensFrom } = require('@crescent/runtime');

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const RECORDS = Number(process.env.BENCH_PRODUCER_RECORDS ?? 200_000);
const COMMITS_EACH = 200; // per connection per run

/** ProducerPerformance's records/s into a fresh one-partition topic, authenticated as the exchange's admin principal. */
async function producerPerformance() {
  const tokens = kafkaTokensFrom(process.env);
  if (!tokens || !process.env.KAFKA_BROKERS) throw new Error('run through npm run bench: it starts the broker');
  const principal = process.env.KAFKA_ADMIN_PRINCIPAL ?? 'crescent-admin';
  const signer = new KafkaTokenSigner(tokens);
  const topic = `bench-ceiling-${randomBytes(4).toString('hex')}`;
  const admin = kafkaClient({ brokers: process.env.KAFKA_BROKERS.split(','), clientId: 'bench-ceilings', token: async () => signer.sign(principal) }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  // The Java client reads its token from a file (KIP-768), which the JVM must be told it may read.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crescent-bench-'));
  const tokenFile = path.join(dir, 'token.jwt');
  fs.writeFileSync(tokenFile, signer.sign(principal), { mode: 0o600 });
  const config = path.join(dir, 'producer.properties');
  fs.writeFileSync(config, [
    `bootstrap.servers=${process.env.KAFKA_BROKERS}`,
    'security.protocol=SASL_PLAINTEXT',
    'sasl.mechanism=OAUTHBEARER',
    'sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required ;',
    'sasl.login.callback.handler.class=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler',
    `sasl.oauthbearer.token.endpoint.url=file://${tokenFile}`,
    'acks=all',
  ].join('\n'));
  const jars = process.env.KAFKA_JARS;
  if (!jars) throw new Error('KAFKA_JARS is not set: run through npm run bench, which starts the broker');
  try {
    const samples = [];
    for (let run = 0; run < RUNS; run++) {
      const out = execFileSync('java', [
        `-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=file://${tokenFile}`, '-Xmx512m', '-cp', `${jars}/*`,
        'org.apache.kafka.tools.ProducerPerformance', '--topic', topic, '--num-records', String(RECORDS), '--record-size', '1024',
        '--throughput', '-1', '--producer.config', config,
      ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      // Its last line: "<n> records sent, <r> records/sec (<mb> MB/sec), ... ms avg latency, ..."
      const summary = out.trim().split('\n').pop();
      const rate = Number(/records sent, ([\d.]+) records\/sec/.exec(summary)?.[1]);
      if (!Number.isFinite(rate)) throw new Error(`ProducerPerformance printed no summary: ${summary}`);
      samples.push(rate);
    }
    return samples;
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Single-row INSERT commits/s on `connections` connections, each committing COMMITS_EACH rows one transaction at a time. */
function postgresCommits(pool, connections, run) {
  return perSecond(connections, COMMITS_EACH, (index, n) => pool.query('INSERT INTO ceiling_rows (writer, n, body) VALUES ($1, $2, $3)', [`${run}-${index}`, n, 'x'.repeat(512)]));
}

async function postgresCeilings() {
  const schema = `bench_ceiling_${randomBytes(4).toString('hex')}`;
  const pool = new Pool({ connectionString: DATABASE_URL, max: 32, options: `-c search_path=${schema}` });
  try {
    await pool.query(`CREATE SCHEMA ${schema}`);
    await pool.query('CREATE TABLE ceiling_rows (id BIGSERIAL PRIMARY KEY, writer TEXT NOT NULL, n INTEGER NOT NULL, body TEXT NOT NULL)');
    await postgresCommits(pool, 32, 'warm-up');
    const samples = { one: [], thirtyTwo: [] };
    for (let run = 0; run < RUNS; run++) {
      samples.one.push(await postgresCommits(pool, 1, run));
      samples.thirtyTwo.push(await postgresCommits(pool, 32, run));
    }
    return samples;
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await pool.end();
  }
}

async function main() {
  const producer = await producerPerformance();
  const postgres = await postgresCeilings();
  const round = (value) => Math.round(value);
  const result = {
    name: 'ceilings',
    description: 'what this machine allows, measured in the same run as the ratios',
    kafkaProducerPerformance: { recordsPerSecond: round(median(producer)), samples: producer.map(round), records: RECORDS, recordSize: 1024, acks: 'all', partitions: 1 },
    postgresCommits: {
      oneConnection: round(median(postgres.one)),
      thirtyTwoConnections: round(median(postgres.thirtyTwo)),
      samples: { one: postgres.one.map(round), thirtyTwo: postgres.thirtyTwo.map(round) },
      unit: 'single-row INSERT transactions per second',
    },
    runs: RUNS,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
    versions: { node: process.version, kafka: kafkaVersion(), postgres: await postgresVersion() },
  };
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results', 'ceilings.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
}

function kafkaVersion() {
  const pom = fs.readFileSync(path.join(__dirname, '..', 'deploy', 'kafka', 'pom.xml'), 'utf8');
  return /<kafka\.version>(.+)<\/kafka\.version>/.exec(pom)[1];
}

async function postgresVersion() {
  const pool = new Pool({ connectionString: DATABASE_URL, max: 1 });
  try {
    return (await pool.query('SHOW server_version')).rows[0].server_version;
  } finally {
    await pool.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
