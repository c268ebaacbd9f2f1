import { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { EXCHANGE_PRINCIPALS, kafkaClient, KafkaTokenSigner } from '@crescent/messaging';
import { createExchangeClient } from '../../contracts/client';
import { messageProblems } from '../../contracts/messages/message-contracts';
import { eventually } from './apps';
import { kafkaBrokers, kafkaTokens, uniqueName } from './infrastructure';

/** A message as an agency's own system sees it on its topic: key, value and every header, as text. */
export interface TopicMessage {
  readonly topic: string;
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
}

/** What the e2e tier read that breaks its contract, as `topic ce_type: problem`, until a test's end takes it. */
const contractProblems: string[] = [];

/**
 * Checks a message a test read against the schema its `ce_dataschema` names (and its headers against
 * those of its kind). Every e2e read comes through here, and each test ends by asserting that nothing
 * it read broke its contract (test/support/message-contracts.setup.ts). Inbound command topics are not
 * checked: agencies write them, and tests write invalid commands on purpose.
 */
export function checkMessageContract(message: TopicMessage): void {
  if (/(^|\.)crescent\.in\./.test(message.topic)) return;
  contractProblems.push(...messageProblems(message).map((problem) => `${message.topic} ${message.headers.ce_type ?? '(no ce_type)'}: ${problem}`));
}

/** A kafkajs message as text, its contract checked. */
export function readMessage(topic: string, message: KafkaMessage): TopicMessage {
  const read = {
    topic,
    key: message.key?.toString() ?? '',
    value: message.value?.toString() ?? '',
    headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)])),
  };
  checkMessageContract(read);
  return read;
}

/** The contract problems read since the last call. */
export function takeContractProblems(): string[] {
  return contractProblems.splice(0);
}

/** The exchange's administration on the broker (a super user): it may read every topic, as an auditor would. */
function kafka(): Kafka {
  const signer = new KafkaTokenSigner(kafkaTokens());
  return kafkaClient({ brokers: kafkaBrokers(), clientId: 'crescent-test-reader', token: async () => signer.sign(EXCHANGE_PRINCIPALS.admin) });
}

/** A plain kafkajs client of an agency's own system, with the Kafka tokens the exchange gives for its credential. */
export function agencyKafka(exchangeUrl: string, credential: string): Kafka {
  return kafkaClient({ brokers: kafkaBrokers(), clientId: uniqueName('agency'), token: () => agencyKafkaToken(exchangeUrl, credential) });
}

/** Asks the exchange for a Kafka token as an agency's system does: POST /v1/auth/kafka-token with its credential. */
export async function agencyKafkaToken(exchangeUrl: string, credential: string): Promise<string> {
  const { data, response } = await createExchangeClient(exchangeUrl, credential).POST('/v1/auth/kafka-token');
  if (response.status !== 201 || !data) throw new Error(`the exchange refused a Kafka token: ${response.status}`);
  return data.accessToken;
}

/** Reads topics from their start with a fresh consumer group, keeping every message, until stopped. */
export class TopicReader {
  readonly messages: TopicMessage[] = [];

  private constructor(private readonly consumer: Consumer) {}

  static async start(topics: readonly string[]): Promise<TopicReader> {
    // The exchange creates a topic when an agency or subscription needs it; a reader that comes first creates it itself.
    const admin = kafka().admin();
    await admin.connect();
    try {
      // kafkajs' own wait for leaders fails when the broker does not know a topic it just created yet; the wait below retries.
      await admin.createTopics({ waitForLeaders: false, topics: topics.map((topic) => ({ topic, numPartitions: 3 })) });
      // A topic someone else was creating at that moment is reported as existing before it has its leaders.
      await eventually('every partition of the topics to have a leader', async () => {
        const metadata = await admin.fetchTopicMetadata({ topics: [...topics] }).catch(() => undefined);
        return metadata?.topics.every((topic) => topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0)) ? true : undefined;
      });
    } finally {
      await admin.disconnect();
    }
    const reader = new TopicReader(kafka().consumer({ groupId: uniqueName('reader') }));
    try {
      await reader.consumer.connect();
      await reader.consumer.subscribe({ topics: [...topics], fromBeginning: true });
      await reader.consumer.run({
        eachMessage: async ({ topic, message }) => void reader.messages.push(readMessage(topic, message)),
      });
    } catch (error) {
      await reader.stop();
      throw error;
    }
    return reader;
  }

  /** The first message `match` accepts, once it has arrived. */
  waitFor(what: string, match: (message: TopicMessage) => boolean, timeoutMs?: number): Promise<TopicMessage> {
    return eventually(what, async () => this.messages.find(match), timeoutMs);
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}

/** Reads topics from their start until `done` holds, then a moment more, so a late extra message shows too. */
export async function readTopics(topics: readonly string[], done: (messages: readonly TopicMessage[]) => boolean, timeoutMs?: number): Promise<TopicMessage[]> {
  const reader = await TopicReader.start(topics);
  try {
    await eventually(`the messages on ${topics.length} topic(s)`, async () => (done(reader.messages) ? true : undefined), timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    return [...reader.messages];
  } finally {
    await reader.stop();
  }
}

export async function listTopics(prefix: string): Promise<string[]> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
  } finally {
    await admin.disconnect();
  }
}
