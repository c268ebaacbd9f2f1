// The relay from an empty checkpoint to caught up (5,000 referrals, each to 5 recipients: project,
// publish with acks=all, disclosure ledger, checkpoint) against a raw kafkajs sendBatch of the very
// messages it published (same topics, keys, values, headers, acks and producer settings), alternated in one run.
// Beside them, two floors: the feed read page by page as the relay reads it, each page's share of those
// messages sent while the next page is read, with no projection, ledger or checkpoint; and the same with
// the relay's ledger entries recorded as it records them. Each side's CPU time per message, the whole
// machine's (node, PostgreSQL, the broker, the kernel), is noted too.
const { alternate, besideBaseline, machineCpuMs, median, writeResult } = require('./harness');
const { connectBus, connectRawProducer, openBenchDatabase, relayFromEmptyCheckpoint, seededFeed, sendRaw, unique } = require('./relay-fixture');
const { LeaseStore } = require('@crescent/event-store');
const { DisclosureLedger } = require('@crescent/ledger');
const { RELAY_BATCH_SIZE } = require('../dist/bench/apps/relay/src/feed-relay');

const RECIPIENTS = 5;
const REFERRALS = Number(process.env.BENCH_REFERRALS ?? 5_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** The baseline's sendBatch size: the relay's batch of 200 events, 5 messages each, as the issue measured it. */
const RAW_BATCH = 1_000;

/**
 * A floor: reads the feed a page of RELAY_BATCH_SIZE at a time and sends RAW_BATCH of `published` per
 * page, the next page read while a batch is sent. With `recordSent`, each batch's messages are then
 * recorded (its share of the relay's ledger entries), one append after another as the relay's, each
 * once its batch is acknowledged, while the next batch is sent.
 */
async function readAndSend({ store }, producer, published, recordSent = async () => undefined) {
  let after;
  let sent = 0;
  let sending = Promise.resolve();
  let recording = Promise.resolve();
  const sendNext = (count) => {
    const batch = [sent, sent + count];
    sent += count;
    sending = sendRaw(producer, published.slice(...batch), RAW_BATCH);
    recording = Promise.all([sending, recording]).then(() => recordSent(...batch));
  };
  for (let page = await store.readAll(undefined, RELAY_BATCH_SIZE); page.length > 0; page = await store.readAll(after, RELAY_BATCH_SIZE)) {
    after = page.at(-1).position;
    await sending;
    sendNext(RAW_BATCH);
  }
  await sending;
  // Messages left over if the feed had fewer pages than batches.
  sendNext(published.length - sent);
  await recording;
}

/** A fresh ledger (and the lease that fences it) in a schema of its own, as the relay's in each run, recording `entries[from..to)`. */
async function freshLedger(entries) {
  const sql = await openBenchDatabase(unique('bench_floor_ledger'));
  const [ledger, leases] = await Promise.all([DisclosureLedger.create(sql), LeaseStore.create(sql)]);
  const fence = await leases.acquire('relay', unique('bench'), 3_600_000);
  return { record: (from, to) => ledger.record(entries.slice(from, to), fence), close: () => sql.close() };
}

async function main() {
  const feed = await seededFeed(RECIPIENTS, REFERRALS);
  const namespace = `${unique('bench-fanout')}.`;
  const bus = await connectBus();
  const producer = await connectRawProducer();
  // The first run (not timed) creates the topics and records what the relay publishes, for the baseline to send.
  const published = [];
  const recording = { ...bus, publish: (messages) => (published.push(...messages), bus.publish(messages)) };
  const { verification, entries } = await relayFromEmptyCheckpoint(feed, recording, namespace, { verify: true });
  const deliveries = published.filter((message) => message.topic.includes('.victim-referrals.'));
  if (deliveries.length !== REFERRALS * RECIPIENTS) throw new Error(`the relay published ${deliveries.length} referral messages, not ${REFERRALS * RECIPIENTS}`);
  if (!verification.ok || verification.rows !== published.length) throw new Error(`the ledger holds ${verification.rows} intact rows for ${published.length} messages`);
  await sendRaw(producer, published, RAW_BATCH);

  const perSecond = (milliseconds) => published.length / (milliseconds / 1000);
  const timed = async (work) => {
    const start = process.hrtime.bigint();
    await work();
    return perSecond(Number(process.hrtime.bigint() - start) / 1e6);
  };
  const cpuMs = { baseline: [], candidate: [], floor: [], floorWithLedger: [] };
  const samples = await alternate(RUNS, async (side) => {
    const ledger = side === 'floorWithLedger' ? await freshLedger(entries) : undefined;
    const machineBefore = machineCpuMs();
    let rate;
    if (side === 'baseline') rate = await timed(() => sendRaw(producer, published, RAW_BATCH));
    else if (side === 'floor') rate = await timed(() => readAndSend(feed, producer, published));
    else if (ledger) rate = await timed(() => readAndSend(feed, producer, published, ledger.record));
    else rate = perSecond((await relayFromEmptyCheckpoint(feed, bus, namespace)).elapsed);
    // The relay's run also sets up its schema before it is timed; a few ms against seconds.
    cpuMs[side].push((machineCpuMs() - machineBefore) / published.length);
    await ledger?.close();
    return rate;
  }, ['baseline', 'candidate', 'floor', 'floorWithLedger']);
  writeResult({
    name: 'relay_fanout',
    description: `relay from an empty checkpoint to caught up: ${REFERRALS} referrals x ${RECIPIENTS} recipients (${published.length} messages), PostgreSQL feed and ledger, real broker, acks=all; vs raw kafkajs sendBatch of the same messages`,
    goal: 0.8,
    unit: 'messages/s (median)',
    higherIsBetter: true,
    samples: { baseline: samples.baseline, candidate: samples.candidate },
    extra: {
      floor: besideBaseline(samples, 'floor'),
      floorWithLedger: besideBaseline(samples, 'floorWithLedger'),
      machineCpuMsPerMessage: Object.fromEntries(Object.entries(cpuMs).map(([side, values]) => [side, Number(median(values).toFixed(4))])),
    },
    notes: [
      'candidate: FeedRelay over the PostgreSQL feed subscription, as RelayService runs it: project each event for each recipient, publish (KafkaBus: idempotent producer, one request in flight, acks=all), record the disclosures in the hash-chained ledger, save the checkpoint; a fresh ledger and checkpoint schema each run',
      `baseline: a kafkajs producer with the same settings sending the messages the relay published in its untimed first run (same topics, keys, values, headers), ${RAW_BATCH} to a sendBatch, grouped by topic as KafkaBus groups them`,
      `floor: the same producer sending the same messages, ${RAW_BATCH} to a sendBatch, each batch after a page of ${RELAY_BATCH_SIZE} events read from the same feed (SqlEventStore.readAll, the next page read while a batch is sent): the relay's reading and sending with none of its own work; floor.ratio is floor / baseline`,
      `floorWithLedger: the floor, each batch's messages then recorded in a fresh disclosure ledger (hash-chained, fenced, PostgreSQL) as the relay's entries for them, one append at a time, each after its batch is acknowledged and while the next is sent; floorWithLedger.ratio is floorWithLedger / baseline`,
      'machineCpuMsPerMessage: the CPU time of the whole machine (the bench process with the relay in it, PostgreSQL, the broker, the kernel; /proc/stat) during a run, per message; medians of the runs',
      'checked before timing: one referral message per recipient per referral, and a ledger that verifies with one row per message',
    ],
  });
  await producer.disconnect();
  await bus.close();
  await feed.store.close();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
