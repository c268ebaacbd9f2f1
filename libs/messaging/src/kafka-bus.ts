import { Logger } from '@nestjs/common';
import { contextOf, inSpan, metrics, SpanKind } from '@crescent/observability';
import { setTimeout as sleep } from 'node:timers/promises';
import { Admin, Consumer, IHeaders, Kafka, logLevel, Producer } from 'kafkajs';
import { BusMessage, MessageBus, MessageHandler, Subscription, SubscriptionOptions } from './message-bus.port';
import { isOutboundRecordTopic } from './topics';

export interface KafkaBusOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** A fresh OAUTHBEARER token for this client's principal; asked again at every (re)authentication. */
  readonly token: () => Promise<string>;
  /** Topics this client publishes to are created if missing (the exchange's publishers only: clients create no topics). */
  readonly createsTopics: boolean;
  readonly topics?: TopicSettings;
  /** How long a consumer the broker stopped (its rights withdrawn, say) waits before it subscribes again. */
  readonly resubscribeDelayMs?: number;
}

const DEFAULT_RESUBSCRIBE_DELAY_MS = 5000;

/** How the exchange creates topics; a deployment sets both. */
export interface TopicSettings {
  /** One record's messages stay in one partition by key. */
  readonly partitions: number;
  /** -1: the broker's default. */
  readonly replicationFactor: number;
  /**
   * Outbound record topics are compacted: once a record is retracted, the broker keeps no older
   * message of its key for longer than this (the retraction itself stays). See docs/policies.md.
   */
  readonly retractionLagMs: number;
}

export const DEFAULT_TOPIC_SETTINGS: TopicSettings = { partitions: 3, replicationFactor: -1, retractionLagMs: 86_400_000 };

/** A kafkajs client authenticating with the exchange's OAUTHBEARER tokens. */
export function kafkaClient(options: Pick<KafkaBusOptions, 'brokers' | 'clientId' | 'token'>): Kafka {
  // kafkajs logs broker errors with request details; our own logs say what failed instead.
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    logLevel: logLevel.NOTHING,
    sasl: { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: await options.token() }) },
  });
}

/** How long an app waits at start for a broker that does not answer (one restarting) before it fails. */
const BROKER_WAIT_MS = 300_000;

/** How kafkajs says no broker answered: nothing listens, or the broker closed the connection as it went down. */
const UNREACHABLE_ERRORS: ReadonlySet<unknown> = new Set(['KafkaJSConnectionError', 'KafkaJSConnectionClosedError']);

/**
 * A connection lost during its SASL authentication (the broker went down mid-handshake): kafkajs
 * rethrows it as an authentication failure that keeps only the connection error's message. A broker
 * that refuses a token answers the handshake and closes the connection after, so a refusal never
 * reads like this.
 */
const AUTHENTICATION_CUT_SHORT = /^SASL \S+ authentication failed: (Closed connection|Connection closed by the server|Connection timeout|Connection error: .*)$/;

/** Whether kafkajs gave up because no broker answered (its retries wrap the connection error as their cause). */
function brokerUnreachable(error: unknown): boolean {
  for (let cause = error; cause !== undefined && cause !== null; cause = (cause as { cause?: unknown }).cause) {
    const { name, message } = cause as { name?: unknown; message?: unknown };
    if (UNREACHABLE_ERRORS.has(name)) return true;
    if (name === 'KafkaJSSASLAuthenticationError' && typeof message === 'string' && AUTHENTICATION_CUT_SHORT.test(message)) return true;
  }
  return false;
}

/** What a step waits out, for how long, how often it tries again and what it says meanwhile (nothing, for a wait that is expected to be short). */
interface Waited {
  readonly until: (error: unknown) => boolean;
  readonly waitMs: number;
  readonly pauseMs: number;
  readonly warning?: string;
}

/** Runs `step` (a connect at start, a topic creation), trying again while `wait.until` says the failure is one to wait out, up to its time. */
async function waitingOut(step: () => Promise<void>, wait: Waited): Promise<void> {
  const deadline = Date.now() + wait.waitMs;
  for (;;) {
    try {
      return await step();
    } catch (error) {
      if (!wait.until(error) || Date.now() > deadline) throw error;
      if (wait.warning) new Logger('kafka').warn(wait.warning);
      await sleep(wait.pauseMs);
    }
  }
}

/** A broker that does not answer yet (an app started while the broker restarts): the app starts once it is back, instead of exiting. */
const UNREACHABLE_BROKER: Waited = { until: brokerUnreachable, waitMs: BROKER_WAIT_MS, pauseMs: 2000, warning: 'no broker answers; trying again' };

/** What the broker answers about a topic it does not serve (yet): a consumer waits for it, a creation until it is served. */
const TOPIC_NOT_SERVED_YET: ReadonlySet<unknown> = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

function topicNotServedYet(error: unknown): boolean {
  return TOPIC_NOT_SERVED_YET.has((error as { type?: unknown } | null)?.type);
}

/** A topic creation waits up to 30 s for the broker to serve the new topics, looking every 50 ms. */
const NEW_TOPICS_SERVED: Waited = { until: topicNotServedYet, waitMs: 30_000, pauseMs: 50 };

/** How long an app waits at start for the write right its producer needs. */
const PRODUCER_GRANT_WAIT_MS = 30_000;

/** The message bus on Apache Kafka through kafkajs. */
export class KafkaBus implements MessageBus {
  private readonly kafka: Kafka;
  private readonly admin: Admin;
  private readonly producer: Producer;
  private readonly subscriptions = new Set<KafkaSubscription>();
  private readonly knownTopics = new Set<string>();

  private constructor(private readonly options: KafkaBusOptions) {
    this.kafka = kafkaClient(options);
    this.admin = this.kafka.admin();
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  }

  static async connect(options: KafkaBusOptions): Promise<KafkaBus> {
    const bus = new KafkaBus(options);
    await waitingOut(() => bus.admin.connect(), UNREACHABLE_BROKER);
    await waitingOut(() => bus.connectProducer(), UNREACHABLE_BROKER);
    return bus;
  }

  /**
   * An idempotent producer needs a write right somewhere (IDEMPOTENT_WRITE): an app that starts before
   * the exchange's administration has granted its principal that right waits for it, for a while,
   * instead of failing at once.
   */
  private async connectProducer(): Promise<void> {
    await waitingOut(() => this.producer.connect(), {
      until: (error) => (error as { type?: unknown }).type === 'CLUSTER_AUTHORIZATION_FAILED',
      waitMs: PRODUCER_GRANT_WAIT_MS,
      pauseMs: 1000,
      warning: 'the broker grants this principal no write right yet; waiting for the exchange administration to grant it',
    });
  }

  async publish(messages: readonly BusMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.ensureTopics(messages.map((message) => message.topic));
    const byTopic = new Map<string, BusMessage[]>();
    for (const message of messages) {
      const topicMessages = byTopic.get(message.topic);
      if (topicMessages) topicMessages.push(message);
      else byTopic.set(message.topic, [message]);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, topicMessages]) => ({
        topic,
        messages: topicMessages.map(({ key, value, headers }) => ({ key, value, headers: { ...headers } })),
      })),
    });
  }

  async subscribe(options: SubscriptionOptions, handler: MessageHandler): Promise<Subscription> {
    const subscription = new KafkaSubscription(this.kafka, options, handler, this.options.resubscribeDelayMs ?? DEFAULT_RESUBSCRIBE_DELAY_MS);
    await subscription.start();
    this.subscriptions.add(subscription);
    return {
      stop: async () => {
        this.subscriptions.delete(subscription);
        await subscription.stop();
      },
    };
  }

  async ping(): Promise<void> {
    await this.admin.describeCluster();
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    this.subscriptions.clear();
    await this.producer.disconnect();
    await this.admin.disconnect();
  }

  private async ensureTopics(topics: readonly string[]): Promise<void> {
    if (!this.options.createsTopics) return;
    const missing = [...new Set(topics)].filter((topic) => !this.knownTopics.has(topic));
    if (missing.length === 0) return;
    await createTopics(this.admin, missing, this.options.topics ?? DEFAULT_TOPIC_SETTINGS);
    for (const topic of missing) this.knownTopics.add(topic);
  }
}

/**
 * One consumer group member that outlives what kafkajs gives up on: a consumer that crashes for
 * good (a non-retriable error, such as an authorization withdrawn while an agency is suspended) is
 * replaced after a delay, again and again, until it works or the subscription is stopped. A topic
 * the broker does not serve yet is waited for the same way: the exchange's administration creates
 * an agency's topics as the feed brings its registration and subscriptions, which an app starting
 * at the same moment may not have read yet. So is a broker that does not answer (one restarting).
 */
class KafkaSubscription {
  private readonly logger = new Logger('kafka');
  private consumer?: Consumer;
  private restart?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: SubscriptionOptions,
    private readonly handler: MessageHandler,
    private readonly resubscribeDelayMs: number,
  ) {}

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: this.options.groupId, allowAutoTopicCreation: false });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [...this.options.topics], fromBeginning: true });
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      if (topicNotServedYet(error)) this.logger.warn(`a topic of ${this.options.groupId} is not on the broker yet; subscribing again`);
      else if (brokerUnreachable(error)) this.logger.warn(`no broker answers the consumer of ${this.options.groupId}; subscribing again`);
      else throw error;
      this.scheduleRestart();
      return;
    }
    // kafkajs reports each batch's lag (high watermark minus the batch's last offset): cheap, no broker call.
    const lags = new Map<string, number>();
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      lags.set(`${payload.topic}:${payload.partition}`, Number(payload.offsetLag));
      metrics.consumerLag.set({ group: this.options.groupId }, [...lags.values()].reduce((sum, lag) => sum + lag, 0));
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.stopped) return;
      this.logger.warn(`consumer of ${this.options.groupId} stopped (${payload.error.name}); subscribing again`);
      this.scheduleRestart();
    });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const headers = decodeHeaders(message.headers);
        // In the trace the message carries (ce_traceparent), when tracing is on.
        const span = { kind: SpanKind.CONSUMER, parent: contextOf(headers.ce_traceparent), attributes: { 'messaging.destination.name': topic, 'messaging.consumer.group.name': this.options.groupId } };
        await inSpan(`consume ${this.options.groupId}`, span, () =>
          this.handler({ topic, key: message.key?.toString('utf8') ?? '', value: message.value?.toString('utf8') ?? '', headers }),
        );
      },
    });
    this.consumer = consumer;
    // Stopped while this (re)start was under way: nobody will stop this consumer later.
    if (this.stopped) await consumer.disconnect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restart);
    await this.consumer?.disconnect();
  }

  private scheduleRestart(): void {
    this.restart = setTimeout(() => {
      void (async () => {
        await this.consumer?.disconnect().catch(() => undefined);
        if (this.stopped) return;
        await this.start().catch(() => this.scheduleRestart());
      })();
    }, this.resubscribeDelayMs);
    this.restart.unref();
  }
}

/**
 * Creates the topics that do not exist yet (existing ones are left as they are) and returns once the
 * broker serves every one, so any client may use them next. kafkajs's own wait (waitForLeaders) fails
 * the creation when the broker has not yet taken the new topics into its metadata and answers
 * UNKNOWN_TOPIC_OR_PARTITION, as a KRaft broker here did for half of them: that is waited out.
 */
export async function createTopics(admin: Admin, topics: readonly string[], settings: TopicSettings): Promise<void> {
  await admin.createTopics({
    waitForLeaders: false,
    topics: topics.map((topic) => ({
      topic,
      numPartitions: settings.partitions,
      replicationFactor: settings.replicationFactor,
      configEntries: isOutboundRecordTopic(topic) ? retractableTopicConfig(settings) : [],
    })),
  });
  await waitingOut(async () => {
    const { topics: served } = await admin.fetchTopicMetadata({ topics: [...topics] });
    if (!served.every(({ partitions }) => partitions.length > 0 && partitions.every(({ leader }) => leader >= 0))) {
      // A partition with no leader yet: what the broker answers for one as its LEADER_NOT_AVAILABLE.
      throw Object.assign(new Error('the broker does not serve every new topic yet'), { type: 'LEADER_NOT_AVAILABLE' });
    }
  }, NEW_TOPICS_SERVED);
}

/**
 * Compaction keeps only the latest message of each key, and a retraction is the latest of its
 * record's: the cleaner drops what the record's key carried before. The active segment is never
 * compacted; Kafka rolls it by the lag too. No message is compacted before the lag either, so a
 * reader less than the lag behind reads every event. `delete` keeps the usual time retention as well.
 */
function retractableTopicConfig({ retractionLagMs }: TopicSettings): { name: string; value: string }[] {
  return [
    { name: 'cleanup.policy', value: 'compact,delete' },
    { name: 'min.compaction.lag.ms', value: String(retractionLagMs) },
    { name: 'max.compaction.lag.ms', value: String(retractionLagMs) },
  ];
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) decoded[name] = Array.isArray(value) ? value.join(',') : value.toString();
  }
  return decoded;
}
