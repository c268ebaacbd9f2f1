// The least any HTTP path to the store can cost on this machine, which append_path sets intake's
// path against: node:http with no framework, each POST's body parsed and appended through
// SqlEventStore as the event a submission makes, answered 201. No authentication, validation,
// idempotency key, decide or audit. With FLOOR_TOPIC, it then sends the event's data to that topic
// as the relay would (KafkaBus's producer settings, acks=all, keyed by the record id), which
// relay_latency sets the exchange against: an exchange with no relay, no projection, no ledger.
// With FLOOR_ROLE=relay it takes no POSTs: it follows DATABASE_SCHEMA's feed as the relay does (a
// subscription woken by the append signal, batches of the relay's size) and sends each event's data to
// FLOOR_TOPIC, with nothing else (no projection, ledger or checkpoint): beside an HTTP floor without
// FLOOR_TOPIC, the least an exchange that stores first and relays from the feed in another process can take.
// Run as a process of its own, as intake is (PORT, DATABASE_URL, DATABASE_SCHEMA, DATABASE_POOL_SIZE,
// FLOOR_TOPIC, FLOOR_ROLE and the KAFKA_* settings); required, it gives the event a submission appends.
const http = require('node:http');
const path = require('node:path');
const { Buffer } = require('node:buffer');
const { randomUUID } = require('node:crypto');
const { connectRawProducer, HSI } = require('./relay-fixture');
const { SqlEventStore } = require('@crescent/event-store');
const { PostgresClient } = require('@crescent/sql');
const { COMPILED } = require('./compiled');
const { RELAY_BATCH_SIZE } = require(path.join(COMPILED, 'apps', 'relay', 'src', 'feed-relay'));

/** The event intake appends for a referral submitted by the demo HSI, on a new stream. */
function submittedEvent(referral) {
  const referralId = randomUUID();
  const now = new Date().toISOString();
  return {
    referralId,
    streamId: `victim-referral-${referralId}`,
    event: {
      id: randomUUID(),
      type: 'VictimReferralSubmitted',
      data: { referralId, ...referral, referringAgencyId: HSI.agencyId, submittedAt: now },
      metadata: { ...HSI, now, correlationId: randomUUID(), schemaVersion: 2 },
    },
  };
}

async function serve() {
  const sql = await PostgresClient.connect(process.env.DATABASE_URL, { schema: process.env.DATABASE_SCHEMA, poolSize: Number(process.env.DATABASE_POOL_SIZE) });
  const store = await SqlEventStore.create(sql);
  const topic = process.env.FLOOR_TOPIC;
  const producer = topic ? await connectRawProducer() : undefined;
  const send = (messages) => producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages }] });
  const relaying = process.env.FLOOR_ROLE === 'relay';
  if (relaying) {
    // A send that fails ends the subscription: its messages never arrive, and the bench says so.
    store.subscribeToAll({
      batchSize: RELAY_BATCH_SIZE,
      onEvents: (events) => send(events.map(({ data }) => ({ key: data.referralId, value: JSON.stringify(data) }))),
    });
  }
  const answer = (response, status, body) => {
    const text = JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
  };
  const server = http.createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/health/ready') return answer(response, 200, { status: 'ready' });
    if (relaying) return answer(response, 405, { title: 'this floor relays the feed; it takes no submissions' });
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const { referralId, streamId, event } = submittedEvent(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      store.append(streamId, [event], 'no-stream').then(
        () => {
          answer(response, 201, { recordId: referralId, version: 1 });
          // A send that fails shows as a message that never arrives.
          if (producer) send([{ key: referralId, value: JSON.stringify(event.data) }]).catch(() => undefined);
        },
        () => answer(response, 500, { title: 'append failed' }),
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(Number(process.env.PORT), '127.0.0.1');
  // Nothing to drain: what was answered is committed.
  process.once('SIGTERM', () => process.exit(0));
}

if (require.main === module) {
  serve().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}

module.exports = { submittedEvent };
