// The relay from an empty checkpoint to caught up (5,000 referrals, each to 5 recipients: project,
// publish with acks=all, disclosure ledger, checkpoint) against a raw kafkajs sendBatch of the very
// messages it published (same topics, keys, values, headers, acks and producer settings), alternated in one run.
// Beside them, the floor: the feed read page by page as the relay reads it, each page's share of those
// messages sent while the next page is read; no projection, ledger or checkpoint.
const { alternate, besideBaseline, writeResult } = require('./harness');
const { connectBus, connectRawProducer, relayFromEmptyCheckpoint, seededFeed, sendRaw, unique } = require('./relay-fixture');
const { RELAY_BATCH_SIZE } = require('../dist/bench/apps/relay/src/feed-relay');

const RECIPIENTS = 5;
const REFERRALS = Number(process.env.BENCH_REFERRALS ?? 5_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** The baseline's sendBatch size: the relay's batch of 200 events, 5 messages each, as the issue measured it. */
const RAW_BATCH = 1_000;

/** The floor: reads the feed a page of RELAY_BATCH_SIZE at a time and sends RAW_BATCH of `published` per page, the next page read while a batch is sent. */
async function readAndSend({ store }, producer, published) {
  let after;
  let sent = 0;
  let sending = Promise.resolve();
  for (let page = await store.readAll(undefined, RELAY_BATCH_SIZE); page.length > 0; page = await store.readAll(after, RELAY_BATCH_SIZE)) {
    after = page.at(-1).position;
    await sending;
    sending = sendRaw(producer, published.slice(sent, sent + RAW_BATCH), RAW_BATCH);
    sent += RAW_BATCH;
  }
  await sending;
  // Messages left over if the feed had fewer pages than batches.
  await sendRaw(producer, published.slice(sent), RAW_BATCH);
}

async function main() {
  const feed = await seededFeed(RECIPIENTS, REFERRALS);
  const namespace = `${unique('bench-fanout')}.`;
  const bus = await connectBus();
  const producer = await connectRawProducer();
  // The first run (not timed) creates the topics and records what the relay publishes, for the baseline to send.
  const published = [];
  const recording = { ...bus, publish: (messages) => (published.push(...messages), bus.publish(messages)) };
  const { verification } = await relayFromEmptyCheckpoint(feed, recording, namespace, { verify: true });
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
  const samples = await alternate(RUNS, async (side) => {
    if (side === 'baseline') return timed(() => sendRaw(producer, published, RAW_BATCH));
    if (side === 'floor') return timed(() => readAndSend(feed, producer, published));
    return perSecond((await relayFromEmptyCheckpoint(feed, bus, namespace)).elapsed);
  }, ['baseline', 'candidate', 'floor']);
  writeResult({
    name: 'relay_fanout',
    description: `relay from an empty checkpoint to caught up: ${REFERRALS} referrals x ${RECIPIENTS} recipients (${published.length} messages), PostgreSQL feed and ledger, real broker, acks=all; vs raw kafkajs sendBatch of the same messages`,
    goal: 0.8,
    unit: 'messages/s (median)',
    higherIsBetter: true,
    samples: { baseline: samples.baseline, candidate: samples.candidate },
    extra: { floor: besideBaseline(samples, 'floor') },
    notes: [
      'candidate: FeedRelay over the PostgreSQL feed subscription, as RelayService runs it: project each event for each recipient, publish (KafkaBus: idempotent producer, one request in flight, acks=all), record the disclosures in the hash-chained ledger, save the checkpoint; a fresh ledger and checkpoint schema each run',
      `baseline: a kafkajs producer with the same settings sending the messages the relay published in its untimed first run (same topics, keys, values, headers), ${RAW_BATCH} to a sendBatch, grouped by topic as KafkaBus groups them`,
      `floor: the same producer sending the same messages, ${RAW_BATCH} to a sendBatch, each batch after a page of ${RELAY_BATCH_SIZE} events read from the same feed (SqlEventStore.readAll, the next page read while a batch is sent): the relay's reading and sending with none of its own work; floor.ratio is floor / baseline`,
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
