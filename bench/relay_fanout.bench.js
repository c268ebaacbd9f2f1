// The relay from an empty checkpoint to caught up (5,000 referrals, each to 5 recipients: project,
// publish with acks=all, disclosure ledger, checkpoint) against a raw kafkajs sendBatch of the very
// messages it published (same topics, keys, values, headers, acks and producer settings), alternated in one run.
const { alternate, writeResult } = require('./harness');
const { connectBus, connectRawProducer, relayFromEmptyCheckpoint, seededFeed, sendRaw, unique } = require('./relay-fixture');

const RECIPIENTS = 5;
const REFERRALS = Number(process.env.BENCH_REFERRALS ?? 5_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** The baseline's sendBatch size: the relay's batch of 200 events, 5 messages each, as the issue measured it. */
const RAW_BATCH = 1_000;

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
  const samples = await alternate(RUNS, async (side) => {
    if (side === 'baseline') {
      const start = process.hrtime.bigint();
      await sendRaw(producer, published, RAW_BATCH);
      return perSecond(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return perSecond((await relayFromEmptyCheckpoint(feed, bus, namespace)).elapsed);
  });
  writeResult({
    name: 'relay_fanout',
    description: `relay from an empty checkpoint to caught up: ${REFERRALS} referrals x ${RECIPIENTS} recipients (${published.length} messages), PostgreSQL feed and ledger, real broker, acks=all; vs raw kafkajs sendBatch of the same messages`,
    goal: 0.8,
    unit: 'messages/s (median)',
    higherIsBetter: true,
    samples,
    notes: [
      'candidate: FeedRelay over the PostgreSQL feed subscription, as RelayService runs it: project each event for each recipient, publish (KafkaBus: idempotent producer, one request in flight, acks=all), record the disclosures in the hash-chained ledger, save the checkpoint; a fresh ledger and checkpoint schema each run',
      `baseline: a kafkajs producer with the same settings sending the messages the relay published in its untimed first run (same topics, keys, values, headers), ${RAW_BATCH} to a sendBatch, grouped by topic as KafkaBus groups them`,
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
