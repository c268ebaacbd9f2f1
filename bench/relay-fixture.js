// What the relay benchmarks share: a feed in PostgreSQL whose referrals go to N recipients, a bus and a
// raw kafkajs producer with the exchange's producer settings, and a relay run from an empty checkpoint.
const { randomUUID } = require('node:crypto');
const { readFileSync } = require('node:fs');
const path = require('node:path');
require('./compiled');
const { CheckpointStore, LeaseStore, SqlEventStore } = require('@crescent/event-store');
const { DisclosureLedger } = require('@crescent/ledger');
const { EXCHANGE_PRINCIPALS, KafkaBus, kafkaClient, KafkaTokenSigner } = require('@crescent/messaging');
const { ADMIN_ACTOR, DeadLetterStore, kafkaTokensFrom, loadConfig, openMigratedSqlClient, pseudonymKeysFrom, schemaMigrationsFor, sha256Hex, writeRecord } = require('@crescent/runtime');
const { Deliveries } = require('../dist/bench/apps/relay/src/deliveries');
const { FeedRelay } = require('../dist/bench/apps/relay/src/feed-relay');
const { RELAY_FACT_MIGRATIONS, RelayFactStore } = require('../dist/bench/apps/relay/src/relay-fact-store');
const { parishPolicy } = require('./projection-fixture');

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const HSI = { agencyId: 'hsi-new-orleans', agencyKind: 'federal-law-enforcement', agencyDepartment: 'DHS' };
/** The README's example referral, of a victim without immigration relief, found in the recipients' parish. */
const EXAMPLE = JSON.parse(readFileSync(path.join(__dirname, '..', 'contracts', 'examples', 'victim-referral.json'), 'utf8'));
const { victimServicesConsent: _consent, ...REFERRAL } = { ...EXAMPLE, immigrationReliefStatus: 'none', foundAt: { description: 'Truck stop on Paris Road', parish: 'St. Bernard' } };

/** A PostgreSQL schema of its own with the exchange's tables (the event store, checkpoints, lease, ledger, dead letters), as an exchange app makes them at start. */
const openBenchDatabase = (schema) => openMigratedSqlClient(DATABASE_URL, { schema }, [...schemaMigrationsFor('exchange', []), ...RELAY_FACT_MIGRATIONS]);
const unique = (prefix) => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
const adminCommand = (type, data) => ({ type, data, metadata: { ...ADMIN_ACTOR, now: new Date().toISOString(), correlationId: 'bench' } });

/** HSI (the sender) and `recipients` parish agencies, each subscribed to referrals under one policy. */
async function seedRecipients(store, recipients) {
  const agencies = [
    { agencyId: HSI.agencyId, name: 'HSI New Orleans', kind: HSI.agencyKind, department: 'DHS', jurisdiction: ['Orleans'] },
    ...Array.from({ length: recipients }, (_, index) => ({ agencyId: `parish-police-${index + 1}`, name: `Parish police ${index + 1}`, kind: 'local-law-enforcement', jurisdiction: ['St. Bernard'] })),
  ];
  for (const agency of agencies) await writeRecord(store, 'agency', agency.agencyId, adminCommand('RegisterAgency', { ...agency, credentialSha256: sha256Hex(agency.agencyId) }));
  await writeRecord(store, 'sharing-policy', parishPolicy.policyId, adminCommand('PublishSharingPolicy', parishPolicy));
  for (const { agencyId } of agencies.slice(1)) {
    const terms = { subscriptionId: `${agencyId}-referrals`, agencyId, recordType: 'victim-referral', schemaVersion: 2, filters: {}, backfill: false };
    await writeRecord(store, 'subscription', terms.subscriptionId, adminCommand('CreateSubscription', terms));
  }
  return agencies.slice(1).map((agency) => agency.agencyId);
}

const WRITERS = 10; // the bench database's pool: appends take no global lock, so each writer has a connection at work

/**
 * `count` referrals from HSI, written by WRITERS writers at once, each one after another as intake would;
 * with `consented`, each followed by HSI's record of the victim's consent to tell the first recipient her
 * referral's status (two events a referral).
 */
async function submitReferrals(store, count, { consented = false, recipientIds = [] } = {}) {
  let started = 0;
  const writer = async () => {
    while (started < count) {
      started++;
      const referralId = randomUUID();
      const metadata = { ...HSI, now: new Date().toISOString(), correlationId: 'bench' };
      await writeRecord(store, 'victim-referral', referralId, { type: 'SubmitVictimReferral', data: { ...REFERRAL, referralId }, metadata });
      if (consented) {
        const consentId = randomUUID();
        await writeRecord(store, 'consent', consentId, { type: 'RecordConsent', data: consentTo(recipientIds[0], referralId, consentId), metadata });
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
}

/** A written, informed consent of an adult victim, recorded by HSI, her referral's sender, for six months. */
function consentTo(recipientId, referralId, consentId) {
  return {
    consentId,
    referralId,
    victimIsMinor: false,
    recipientAgencyIds: [recipientId],
    purposes: ['investigation'],
    fields: ['status', 'victim.phone'],
    written: true,
    informed: true,
    expiresAt: new Date(Date.now() + 180 * 24 * 3600 * 1000).toISOString(),
    referral: { status: 'submitted', originatorAgencyId: HSI.agencyId, record: { referredToAgencyId: REFERRAL.referredToAgencyId } },
    maxDays: 365,
  };
}

/**
 * A PostgreSQL event store in a schema of its own (`schema`, for an app to open), seeded with `recipients`
 * recipients and `referrals` referrals (each with a consent, when `consented`).
 */
async function seededFeed(recipients, referrals, { consented = false } = {}) {
  const schema = unique('bench_feed');
  const sql = await openBenchDatabase(schema);
  const store = await SqlEventStore.create(sql);
  const recipientIds = await seedRecipients(store, recipients);
  await submitReferrals(store, referrals, { consented, recipientIds });
  return { sql, store, schema, recipientIds, ...(await feedHead(store)) };
}

/** The last position of the feed in its own order (with writers at once, not the highest number) and how many events it holds. */
async function feedHead(store) {
  let head;
  let events = 0;
  for (let page = await store.readAll(undefined, 10_000); page.length > 0; page = await store.readAll(head, 10_000)) {
    head = page.at(-1).position;
    events += page.length;
  }
  return { head, events };
}

const tokenSigner = () => new KafkaTokenSigner(kafkaTokensFrom(process.env));
const brokers = () => process.env.KAFKA_BROKERS.split(',');
const config = loadConfig({ SEED_DEMO: 'true' });

/** The exchange's bus as the relay uses it (the administration's principal, a super user, on both sides). */
function connectBus() {
  const signer = tokenSigner();
  return KafkaBus.connect({ brokers: brokers(), clientId: unique('bench-relay'), token: async () => signer.sign(EXCHANGE_PRINCIPALS.admin), createsTopics: true, topics: config.topicSettings });
}

/** A plain kafkajs producer with the settings KafkaBus gives its own: idempotent, one request in flight. */
async function connectRawProducer() {
  const signer = tokenSigner();
  const producer = kafkaClient({ brokers: brokers(), clientId: unique('bench-raw'), token: async () => signer.sign(EXCHANGE_PRINCIPALS.admin) }).producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return producer;
}

/** Sends bus messages as KafkaBus does (acks=all, grouped by topic, headers as given), `perBatch` messages to a sendBatch. */
async function sendRaw(producer, messages, perBatch) {
  for (let start = 0; start < messages.length; start += perBatch) {
    const byTopic = new Map();
    for (const { topic, key, value, headers } of messages.slice(start, start + perBatch)) {
      if (!byTopic.has(topic)) byTopic.set(topic, []);
      byTopic.get(topic).push({ key, value, headers: { ...headers } });
    }
    await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, topicMessages]) => ({ topic, messages: topicMessages })) });
  }
}

/**
 * Relays the feed from an empty checkpoint until its checkpoint reaches `head`, as the relay service
 * does (FeedRelay#follow, its state windowed; a fresh ledger, checkpoint, facts and lease in a schema of their own). Returns the
 * milliseconds taken and, when asked, the ledger's verification and its entries.
 */
async function relayFromEmptyCheckpoint({ store, head }, bus, namespace, { verify = false } = {}) {
  const sql = await openBenchDatabase(unique('bench_relay'));
  const [checkpoints, ledger, deadLetters, leases, facts] = await Promise.all([CheckpointStore.create(sql), DisclosureLedger.create(sql), DeadLetterStore.create(sql), LeaseStore.create(sql), RelayFactStore.create(sql)]);
  const fence = await leases.acquire('relay', unique('bench'), 3_600_000);
  let caughtUp;
  const reached = new Promise((resolve) => (caughtUp = resolve));
  // The relay saves its checkpoint in the ledger's transaction: the stores as they are, telling the
  // bench once the transaction that saved the head has committed.
  let headSaved = false;
  const watchedCheckpoints = {
    load: (name) => checkpoints.load(name),
    within: (tx) => ({
      save: async (name, position, writer) => {
        await checkpoints.within(tx).save(name, position, writer);
        headSaved ||= position === head;
      },
    }),
  };
  const watchedLedger = Object.assign(Object.create(ledger), {
    record: async (...args) => {
      await ledger.record(...args);
      if (headSaved) caughtUp();
    },
  });
  const relay = new FeedRelay({ store, bus, checkpoints: watchedCheckpoints, ledger: watchedLedger, deadLetters, facts, topicNamespace: namespace, fence });
  const start = process.hrtime.bigint();
  const subscription = relay.follow(Deliveries.windowed(namespace, pseudonymKeysFrom(config), {}), undefined);
  await Promise.race([reached, subscription.done]);
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  await subscription.stop();
  if ((await checkpoints.load('relay')) !== head) throw new Error('the relay stopped before its checkpoint reached the head of the feed');
  const verification = verify ? await ledger.verify() : undefined;
  // What the relay recorded, in the ledger's order, when checked.
  const entries = verify ? (await ledger.byTime({ from: '1970-01-01T00:00:00.000Z', to: '9999-12-31T23:59:59.999Z', limit: verification.rows + 1 })).map((row) => row.entry) : undefined;
  await sql.close();
  return { elapsed, verification, entries };
}

module.exports = { brokers, openBenchDatabase, connectBus, connectRawProducer, DATABASE_URL, EXAMPLE, HSI, relayFromEmptyCheckpoint, seededFeed, sendRaw, tokenSigner, unique };
