// The store's appends with many writers at once against what the database itself commits: 32 appends in
// flight, each on a stream of its own, through SqlEventStore (expected revision, the feed's bookkeeping, the
// signal to live subscribers) against 32 connections each committing a plain single-row INSERT of the same
// bytes, in the same PostgreSQL and the same run, alternating.
const path = require('node:path');
const { randomBytes, randomUUID } = require('node:crypto');
const tsConfigPaths = require('tsconfig-paths');
const { Pool } = require('pg');
const { alternate, perSecond, writeResult } = require('./harness');
const { compilerOptions } = require('../tsconfig.json');

tsConfigPaths.register({ baseUrl: path.join(__dirname, '..', 'dist', 'bench'), paths: compilerOptions.paths });

const { EVENT_STORE_MIGRATIONS, SqlEventStore } = require('@crescent/event-store');
const { migrateSchema, PostgresClient } = require('@crescent/sql');

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const IN_FLIGHT = 32;
const APPENDS_EACH = Number(process.env.BENCH_APPENDS_EACH ?? 40); // per writer per run
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

const event = (n) => ({
  id: randomUUID(),
  type: 'VictimReferralAcknowledged',
  data: { referralId: randomUUID(), acknowledgedAt: new Date().toISOString(), note: `n${n}` },
  metadata: { agencyId: 'bayou-haven-shelter', agencyKind: 'victim-service-provider', now: new Date().toISOString(), correlationId: randomUUID(), schemaVersion: 1 },
});

/** Appends/s: IN_FLIGHT writers, each appending APPENDS_EACH events one at a time to a stream of its own. */
function measureStore(store, run) {
  return perSecond(IN_FLIGHT, APPENDS_EACH, (index, n) => store.append(`bench-${run}-${index}`, [event(n)], n === 0 ? 'no-stream' : n - 1));
}

/** Commits/s: IN_FLIGHT connections, each committing APPENDS_EACH single-row INSERTs of the same columns and bytes. */
function measurePlain(pool, run) {
  return perSecond(IN_FLIGHT, APPENDS_EACH, (index, n) => {
    const { id, type, data, metadata } = event(n);
    return pool.query(
      'INSERT INTO plain_rows (event_id, stream_id, revision, type, data, metadata, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [id, `plain-${run}-${index}`, n, type, JSON.stringify(data), JSON.stringify(metadata), new Date().toISOString()],
    );
  });
}

async function main() {
  const schema = `bench_append_${randomBytes(4).toString('hex')}`;
  // The store gets as many connections as the baseline: DATABASE_POOL_SIZE sets it for an app.
  const sql = await PostgresClient.connect(DATABASE_URL, { schema, poolSize: IN_FLIGHT });
  await migrateSchema(sql, EVENT_STORE_MIGRATIONS);
  const store = await SqlEventStore.create(sql);
  const pool = new Pool({ connectionString: DATABASE_URL, max: IN_FLIGHT, options: `-c search_path=${schema}` });
  try {
    // The events table's columns, keys and indexes, without the store around it.
    await pool.query(`CREATE TABLE plain_rows (position BIGSERIAL PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, stream_id TEXT NOT NULL,
      revision BIGINT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at TEXT NOT NULL, UNIQUE (stream_id, revision))`);
    // Both sides open their connections before anything is timed.
    await measureStore(store, 'warm-up');
    await measurePlain(pool, 'warm-up');
    const samples = await alternate(RUNS, (side, run) => (side === 'candidate' ? measureStore(store, run) : measurePlain(pool, run)));
    const feed = await store.readAll(undefined, 1);
    if (feed.length !== 1) throw new Error('the store wrote no feed');
    writeResult({
      name: 'append_concurrency',
      description: `${IN_FLIGHT} appends in flight, each on a stream of its own (${APPENDS_EACH} each per run), through SqlEventStore on PostgreSQL, against ${IN_FLIGHT} connections committing plain single-row INSERTs of the same columns in the same database`,
      goal: 0.5,
      unit: 'appends (commits) per second',
      higherIsBetter: true,
      samples,
      notes: [
        'candidate: SqlEventStore.append of one event at the stream\'s expected revision, 32 at once, through the store\'s own pool of 32 connections (DATABASE_POOL_SIZE=32 for an app)',
        'baseline: an autocommitted INSERT of one row into a table with the events table\'s columns and keys (not the transaction id and its feed index), on a pool of 32 connections',
      ],
    });
  } finally {
    await pool.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    await pool.end();
    await store.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
