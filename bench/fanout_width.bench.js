// The relay's rate with 8 recipients per referral against 1 recipient per referral, the same messages
// out: R referrals to 8 parish agencies (8R messages) vs 8R referrals to one of them (8R messages, the
// same policy, so the same bytes). Fan-out should cost no more per message than the feed itself.
const { Buffer } = require('node:buffer');
const { alternate, writeResult } = require('./harness');
const { connectBus, relayFromEmptyCheckpoint, seededFeed, unique } = require('./relay-fixture');

const WIDTH = 8;
const REFERRALS = Number(process.env.BENCH_REFERRALS ?? 400);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MESSAGES = REFERRALS * WIDTH;

async function main() {
  const feeds = { candidate: await seededFeed(WIDTH, REFERRALS), baseline: await seededFeed(1, MESSAGES) };
  const namespace = `${unique('bench-width')}.`;
  const bus = await connectBus();
  // An untimed first run of each creates the topics and counts what goes out.
  const bytesOut = {};
  for (const side of ['baseline', 'candidate']) {
    const sent = [];
    const counting = { ...bus, publish: (messages) => (sent.push(...messages), bus.publish(messages)) };
    await relayFromEmptyCheckpoint(feeds[side], counting, namespace);
    const referrals = sent.filter((message) => message.topic.includes('.victim-referrals.'));
    if (referrals.length !== MESSAGES) throw new Error(`${side}: ${referrals.length} referral messages, not ${MESSAGES}`);
    bytesOut[side] = referrals.reduce((sum, { key, value }) => sum + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
  }
  const samples = await alternate(RUNS, async (side) => MESSAGES / ((await relayFromEmptyCheckpoint(feeds[side], bus, namespace)).elapsed / 1000));
  writeResult({
    name: 'fanout_width',
    description: `relay messages/s, empty checkpoint to caught up: ${REFERRALS} referrals x ${WIDTH} recipients vs ${MESSAGES} referrals x 1 recipient (${MESSAGES} messages each)`,
    goal: 0.8,
    unit: 'messages/s (median)',
    higherIsBetter: true,
    samples,
    extra: { bytesOut },
    notes: [
      'both sides: FeedRelay#follow over a PostgreSQL feed, KafkaBus with acks=all, ledger and checkpoint in a fresh schema each run; every recipient is a parish agency under the same policy, so a message weighs the same on both sides (bytesOut: keys and values of the referral messages)',
      'candidate: each referral projected and published for 8 recipients; baseline: 8 times as many referrals, each for 1 recipient',
    ],
  });
  await bus.close();
  await Promise.all(Object.values(feeds).map((feed) => feed.store.close()));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
