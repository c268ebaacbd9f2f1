import { connect, createServer } from 'node:net';
import { eventually, freePort, kafkaBrokers, kafkaTokens, uniqueName } from '@crescent/test-support';
import { agencyGroupPrefix, agencyPrincipal, BrokerAccess, EXCHANGE_PRINCIPALS } from './broker-access';
import { KafkaTokenSigner } from './kafka-token';
import { createTopics, DEFAULT_TOPIC_SETTINGS, KafkaBus, kafkaClient } from './kafka-bus';
import { commandReplyTopic } from './topics';
import { BusMessage } from './message-bus.port';

function collect(count: number): { received: BusMessage[]; done: Promise<void>; handler: (message: BusMessage) => Promise<void> } {
  const received: BusMessage[] = [];
  let resolve: () => void = () => undefined;
  const done = new Promise<void>((settle) => (resolve = settle));
  return {
    received,
    done,
    handler: async (message) => {
      received.push(message);
      if (received.length >= count) resolve();
    },
  };
}

describe('the Kafka bus against the real broker', () => {
  let bus: KafkaBus;

  beforeAll(async () => {
    // The exchange's administration: a super user, so the bus's own behaviour is tested apart from ACLs.
    const signer = new KafkaTokenSigner(kafkaTokens());
    bus = await KafkaBus.connect({ brokers: kafkaBrokers(), clientId: uniqueName('bus-test'), token: async () => signer.sign(EXCHANGE_PRINCIPALS.admin), createsTopics: true });
  });

  afterAll(() => bus?.close());

  it('answers a ping', async () => {
    await expect(bus.ping()).resolves.toBeUndefined();
  });

  it('publishes one batch across topics and delivers every message with its key, value and headers, in key order', async () => {
    const [first, second] = [uniqueName('int.a'), uniqueName('int.b')];
    const messages: BusMessage[] = [
      ...Array.from({ length: 20 }, (_, i) => ({ topic: first, key: `record-${i % 3}`, value: JSON.stringify({ i }), headers: { ce_id: `a-${i}` } })),
      ...Array.from({ length: 5 }, (_, i) => ({ topic: second, key: 'record-x', value: JSON.stringify({ i }), headers: { ce_id: `b-${i}` } })),
    ];
    // A publisher of the exchange creates its topics; a consumer never does.
    await bus.publish(messages);
    const sink = collect(messages.length);
    const subscription = await bus.subscribe({ groupId: uniqueName('group'), topics: [first, second] }, sink.handler);
    await sink.done;
    await subscription.stop();

    const byId = (list: readonly BusMessage[]) => [...list].sort((a, b) => a.headers.ce_id.localeCompare(b.headers.ce_id));
    expect(byId(sink.received)).toEqual(byId(messages));
    for (const key of ['record-0', 'record-1', 'record-2', 'record-x']) {
      const order = sink.received.filter((message) => message.key === key).map((message) => JSON.parse(message.value).i);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it('resumes a consumer group after its committed offset, so a restarted consumer does not start over', async () => {
    const topic = uniqueName('int.resume');
    const groupId = uniqueName('group');
    const batch = (from: number) =>
      Array.from({ length: 3 }, (_, i) => ({ topic, key: 'k', value: String(from + i), headers: {} }));

    await bus.publish(batch(0));
    const firstRun = collect(3);
    const firstSubscription = await bus.subscribe({ groupId, topics: [topic] }, firstRun.handler);
    await firstRun.done;
    await firstSubscription.stop();

    await bus.publish(batch(3));
    const secondRun = collect(3);
    const secondSubscription = await bus.subscribe({ groupId, topics: [topic] }, secondRun.handler);
    await secondRun.done;
    await secondSubscription.stop();

    expect(firstRun.received.map((message) => message.value)).toEqual(['0', '1', '2']);
    expect(secondRun.received.map((message) => message.value)).toEqual(['3', '4', '5']);
  });

  it('creates no topic for a consumer: a subscription to a topic nobody made waits for it, and reads it once it is made', async () => {
    const signer = new KafkaTokenSigner(kafkaTokens());
    const consumerBus = await KafkaBus.connect({ brokers: kafkaBrokers(), clientId: uniqueName('waiting'), token: async () => signer.sign(EXCHANGE_PRINCIPALS.admin), createsTopics: false, resubscribeDelayMs: 200 });
    const kafkaAdmin = kafkaClient({ brokers: kafkaBrokers(), clientId: uniqueName('admin'), token: async () => signer.sign(EXCHANGE_PRINCIPALS.admin) }).admin();
    await kafkaAdmin.connect();
    const topic = uniqueName('int.later');
    try {
      const sink = collect(1);
      const subscription = await consumerBus.subscribe({ groupId: uniqueName('group'), topics: [topic] }, sink.handler);
      // Several attempts later, the broker still has no such topic: the consumer did not create it.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await kafkaAdmin.listTopics()).not.toContain(topic);
      await bus.publish([{ topic, key: 'k', value: 'made later', headers: {} }]);
      await sink.done;
      expect(sink.received.map((message) => message.value)).toEqual(['made later']);
      await subscription.stop();
    } finally {
      await consumerBus.close();
      await kafkaAdmin.disconnect();
    }
  });

  it('creates topics that another client can use the moment the creation returns, and again leaves existing ones be', async () => {
    // kafkajs's own wait for leaders failed about half of such creations here (UNKNOWN_TOPIC_OR_PARTITION).
    const signer = new KafkaTokenSigner(kafkaTokens());
    const [creator, other] = [1, 2].map(() => kafkaClient({ brokers: kafkaBrokers(), clientId: uniqueName('admin'), token: async () => signer.sign(EXCHANGE_PRINCIPALS.admin) }).admin());
    await Promise.all([creator.connect(), other.connect()]);
    try {
      for (let round = 0; round < 20; round += 1) {
        const topics = Array.from({ length: 6 }, () => uniqueName('int.created'));
        await createTopics(creator, topics, DEFAULT_TOPIC_SETTINGS);
        const { topics: served } = await other.fetchTopicMetadata({ topics });
        const partitionsByTopic = Object.fromEntries(served.map(({ name, partitions }) => [name, partitions.length]));
        expect(partitionsByTopic).toEqual(Object.fromEntries(topics.map((name) => [name, DEFAULT_TOPIC_SETTINGS.partitions])));
        await createTopics(creator, topics, DEFAULT_TOPIC_SETTINGS);
      }
    } finally {
      await Promise.all([creator.disconnect(), other.disconnect()]);
    }
  });

  it("subscribes again when the broker took a consumer's rights away and gave them back", async () => {
    const namespace = `${uniqueName('int')}.`;
    const signer = new KafkaTokenSigner(kafkaTokens());
    const kafkaAdmin = kafkaClient({ brokers: kafkaBrokers(), clientId: uniqueName('admin'), token: async () => signer.sign(EXCHANGE_PRINCIPALS.admin) }).admin();
    await kafkaAdmin.connect();
    const access = new BrokerAccess(kafkaAdmin, namespace, { ...DEFAULT_TOPIC_SETTINGS, partitions: 1 });
    const topic = commandReplyTopic(namespace, 'agency-a', 'receipts');
    await access.grantAgency('agency-a', []);
    const agencyBus = await KafkaBus.connect({
      brokers: kafkaBrokers(),
      clientId: uniqueName('agency'),
      token: async () => signer.sign(agencyPrincipal(namespace, 'agency-a')),
      createsTopics: false,
      resubscribeDelayMs: 200,
    });
    try {
      const sink = collect(2);
      const groupId = `${agencyGroupPrefix(namespace, 'agency-a')}test`;
      await agencyBus.subscribe({ groupId, topics: [topic] }, sink.handler);
      await bus.publish([{ topic, key: 'k', value: 'before', headers: {} }]);
      await eventually('the first message', async () => (sink.received.length === 1 ? true : undefined));

      // kafkajs gives up on the consumer for good once the broker refuses it: wait until it has left its group.
      await access.withdrawAgency('agency-a');
      const groupState = async () => (await kafkaAdmin.describeGroups([groupId])).groups[0]?.state;
      await eventually('the refused consumer to leave its group', async () => (['Empty', 'Dead'].includes((await groupState()) ?? '') ? true : undefined), 60_000);
      await bus.publish([{ topic, key: 'k', value: 'after', headers: {} }]);
      await access.grantAgency('agency-a', []);
      await sink.done;
      expect(sink.received.map((message) => message.value)).toEqual(['before', 'after']);
    } finally {
      await agencyBus.close();
      await kafkaAdmin.disconnect();
    }
    // The broker expires the refused member only after its session timeout (30 s).
  }, 90_000);
});

/** How a broker restarting meets a client: nothing listens on its port, or it closes each connection (at once, or as it authenticates). */
type Restarting = 'nothing listens' | 'each connection is closed at once' | 'each connection is closed as it authenticates';

/** The API key of SaslAuthenticate: a request is a 4-byte size, then its API key. */
const SASL_AUTHENTICATE = 36;

/** A port in front of the test's broker: forwarding to it while up, behaving as `restarting` says while down (as it starts). */
async function restartingBroker(restarting: Restarting): Promise<{ address: string; up: () => void; down: () => void; close: () => Promise<void> }> {
  const port = await freePort();
  const [host, brokerPort] = kafkaBrokers()[0].split(':');
  let forwarding = false;
  const proxy = createServer((client) => {
    if (!forwarding && restarting === 'each connection is closed at once') return void client.destroy();
    const upstream = connect(Number(brokerPort), host);
    const end = () => (client.destroy(), upstream.destroy());
    client.on('error', end);
    upstream.on('error', end);
    upstream.pipe(client);
    // kafkajs sends one request of the handshake at a time and waits for its answer, so each begins a chunk.
    client.on('data', (chunk: Buffer) => (!forwarding && chunk.length >= 6 && chunk.readInt16BE(4) === SASL_AUTHENTICATE ? end() : upstream.write(chunk)));
    // Else the broker's side stays open until the broker drops it as idle (10 minutes), and jest waits for it.
    client.on('end', () => upstream.end());
  });
  const listening = () => proxy.listening || proxy.listen(port, '127.0.0.1');
  if (restarting !== 'nothing listens') listening();
  return {
    address: `127.0.0.1:${port}`,
    up: () => {
      forwarding = true;
      listening();
    },
    down: () => {
      forwarding = false;
      if (restarting === 'nothing listens') proxy.close();
    },
    close: () => new Promise<void>((resolve) => (proxy.listening ? proxy.close(() => resolve()) : resolve())),
  };
}

/** 12 s: past kafkajs' own retries, so the bus's wait is what bridges the restart. */
const RESTART_MS = 12_000;

describe.each<Restarting>(['nothing listens', 'each connection is closed at once', 'each connection is closed as it authenticates'])('a broker restarting where %s', (restarting) => {
  const signer = new KafkaTokenSigner(kafkaTokens());
  const busThrough = (address: string) =>
    KafkaBus.connect({ brokers: [address], clientId: uniqueName('restarting'), token: async () => signer.sign(EXCHANGE_PRINCIPALS.admin), createsTopics: true, resubscribeDelayMs: 500 });

  it('is waited for by a bus starting meanwhile, which connects once the broker answers instead of failing its start', async () => {
    const broker = await restartingBroker(restarting);
    const opening = setTimeout(broker.up, RESTART_MS);
    const started = Date.now();
    try {
      const bus = await busThrough(broker.address);
      expect(Date.now() - started).toBeGreaterThanOrEqual(RESTART_MS);
      await expect(bus.ping()).resolves.toBeUndefined();
      await bus.close();
    } finally {
      clearTimeout(opening);
      await broker.close();
    }
  }, 60_000);

  it('is waited for by a subscription made meanwhile, which reads its topic once the broker answers instead of failing', async () => {
    const broker = await restartingBroker(restarting);
    broker.up();
    const [publisher, consumerBus] = await Promise.all([busThrough(kafkaBrokers()[0]), busThrough(broker.address)]);
    const topic = uniqueName('int.restarting');
    try {
      await publisher.publish([{ topic, key: 'k', value: 'sent while the broker restarted', headers: {} }]);
      broker.down();
      const sink = collect(1);
      const subscription = await consumerBus.subscribe({ groupId: uniqueName('group'), topics: [topic] }, sink.handler);
      broker.up();
      await sink.done;
      expect(sink.received.map((message) => message.value)).toEqual(['sent while the broker restarted']);
      await subscription.stop();
    } finally {
      await Promise.all([publisher.close(), consumerBus.close()]);
      await broker.close();
    }
  }, 60_000);
});
