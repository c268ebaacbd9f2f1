import { randomUUID } from 'node:crypto';
import { Kafka, KafkaMessage, logLevel, Producer } from 'kafkajs';
import { createExchangeClient, ExchangeClient } from '../../client';
import type { components } from '../../generated/exchange-api';
import { messageProblems } from '../../messages/message-contracts';

/**
 * A starting point for an agency's own system: it authenticates to the exchange, submits a referral
 * (with an idempotency key), reads its own topics with kafkajs, checks each message against the
 * contract, keeps what it holds of each record (duplicates dropped, retractions and snapshots applied),
 * and sends a command on its inbound topic, reading the receipt. Copy `contracts/` and this folder.
 * It logs ids and types only: never a field of a record.
 */

export type VictimReferral = components['schemas']['SubmitVictimReferralDto'];

export interface AgencyIntegrationOptions {
  /** The exchange's HTTP API, e.g. https://exchange.example.gov */
  readonly exchangeUrl: string;
  /** The credential the exchange issued to the agency (shown once, at registration). */
  readonly credential: string;
  readonly kafkaBrokers: readonly string[];
  /** The deployment's TOPIC_NAMESPACE, in front of every topic and consumer group (empty by default). */
  readonly topicNamespace?: string;
  /** The record topics to read, as named after `crescent.out.<agency>.`, e.g. `victim-referrals.v2`. Receipts and rejections are always read. */
  readonly recordTopics?: readonly string[];
  /** The consumer group, after the namespace and `<agency>.` (the broker lets an agency use only groups with that prefix). */
  readonly groupName?: string;
  /** A referral to submit as this agency; sent twice with one idempotency key, as a retry after a lost answer would be. */
  readonly referral?: VictimReferral;
  readonly idempotencyKey?: string;
  /** Acknowledge every referral received (a victim service provider's first step), on the inbound topic. */
  readonly acknowledgeReferrals?: boolean;
  /** Stops once this holds (checked after each step), or at `timeoutMs`, or when `signal` aborts. */
  readonly until?: (report: IntegrationReport) => boolean;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Where the example says what it does: ids and types only. */
  readonly log?: (line: IntegrationLogLine) => void;
}

export interface IntegrationLogLine {
  readonly step: 'authenticated' | 'submitted' | 'consuming' | 'received' | 'duplicate' | 'invalid' | 'retracted' | 'snapshot' | 'command-sent' | 'receipt' | 'rejection';
  readonly recordId?: string;
  readonly messageId?: string;
  readonly type?: string;
  readonly commandId?: string;
  readonly code?: string;
}

/** One event of a record as the agency holds it: its delivery, or its entry in a snapshot. */
export interface HeldEvent {
  readonly id: string;
  readonly type: string;
  readonly recordversion: number;
  readonly data: unknown;
}

export type CommandAccepted = { readonly commandId: string; readonly commandType: string; readonly recordId: string; readonly version: number };
export type CommandRejected = { readonly commandId: string; readonly commandType: string | null; readonly code: string; readonly status: number; readonly detail?: string };

export interface SentCommand {
  readonly commandId: string;
  readonly commandType: string;
  readonly recordId: string;
  receipt?: CommandAccepted;
  rejection?: CommandRejected;
}

export interface IntegrationReport {
  agencyId: string;
  /** The referral it submitted: what the first attempt and its retry answered, and the version read back. */
  submitted?: { readonly referralId: string; readonly retryReferralId: string; readonly version: number; readonly etag: string | null };
  /** Each message taken, in the order read: `ce_id`, `ce_type` and the record (the key). */
  readonly received: { readonly messageId: string; readonly type: string; readonly recordId: string }[];
  /** `ce_id`s read again and dropped. */
  readonly duplicates: string[];
  /** Messages that break the contract, with the problems (paths and reasons, never values); not applied. */
  readonly invalid: { readonly messageId: string; readonly type: string; readonly problems: readonly string[] }[];
  readonly retracted: string[];
  readonly snapshots: string[];
  /** What the agency holds now of each record, by record id. */
  readonly records: Map<string, HeldEvent[]>;
  readonly commands: SentCommand[];
}

/** A message as read from a topic: key, value and headers as text. */
export interface ReadMessage {
  readonly key: string;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
}

const RETRACTED = 'crescent.RecordRetracted.v1';
const SNAPSHOT = 'crescent.RecordSnapshot.v1';
const ACCEPTED = 'crescent.CommandAccepted.v1';
const REJECTED = 'crescent.CommandRejected.v1';

/**
 * What a message (already checked against its contract) does to what the agency holds. Delivery is
 * at least once, so a `ce_id` seen before is dropped; a retraction forgets the record; a snapshot
 * replaces it; any other event is added to it.
 */
export function applyMessage(report: IntegrationReport, seen: Set<string>, message: ReadMessage): IntegrationLogLine {
  const messageId = message.headers.ce_id;
  const type = message.headers.ce_type;
  const recordId = message.key;
  if (seen.has(messageId)) {
    report.duplicates.push(messageId);
    return { step: 'duplicate', messageId, type, recordId };
  }
  seen.add(messageId);
  report.received.push({ messageId, type, recordId });
  const data = JSON.parse(message.value) as Record<string, unknown>;
  switch (type) {
    case RETRACTED:
      report.records.delete(data.recordId as string);
      report.retracted.push(data.recordId as string);
      return { step: 'retracted', messageId, type, recordId };
    case SNAPSHOT:
      report.records.set(data.recordId as string, [...(data.events as HeldEvent[])]);
      report.snapshots.push(data.recordId as string);
      return { step: 'snapshot', messageId, type, recordId };
    case ACCEPTED:
    case REJECTED: {
      const command = report.commands.find((sent) => sent.commandId === data.commandId);
      if (command && type === ACCEPTED) command.receipt = data as CommandAccepted;
      if (command && type === REJECTED) command.rejection = data as CommandRejected;
      return { step: type === ACCEPTED ? 'receipt' : 'rejection', messageId, type, commandId: data.commandId as string, code: data.code as string | undefined };
    }
    default: {
      const held = report.records.get(recordId) ?? [];
      held.push({ id: messageId, type, recordversion: Number(message.headers.ce_recordversion), data });
      report.records.set(recordId, held);
      return { step: 'received', messageId, type, recordId };
    }
  }
}

/** Runs the whole example once and answers what it did and what it holds. */
export async function runAgencyIntegration(options: AgencyIntegrationOptions): Promise<IntegrationReport> {
  const log = options.log ?? (() => undefined);
  const namespace = options.topicNamespace ?? '';
  const exchange = createExchangeClient(options.exchangeUrl, options.credential);

  // 1. Who the credential says we are.
  const { data: identity, error } = await exchange.GET('/v1/auth/agency');
  if (!identity) throw refused('its identity', error);
  const report: IntegrationReport = { agencyId: identity.id, received: [], duplicates: [], invalid: [], retracted: [], snapshots: [], records: new Map(), commands: [] };
  log({ step: 'authenticated', type: identity.kind });

  // 2. A referral, with an idempotency key: a retry after a lost answer writes nothing more and answers the same record.
  if (options.referral) report.submitted = await submitReferral(exchange, options.referral, options.idempotencyKey ?? randomUUID());
  if (report.submitted) log({ step: 'submitted', recordId: report.submitted.referralId });
  if (options.until?.(report)) return report;

  // 3. Kafka as the agency's principal, with short-lived tokens the exchange issues for its credential.
  const kafka = new Kafka({
    clientId: `${report.agencyId}-integration`,
    brokers: [...options.kafkaBrokers],
    logLevel: logLevel.ERROR,
    sasl: { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: await kafkaToken(exchange) }) },
  });
  const out = (name: string) => `${namespace}crescent.out.${report.agencyId}.${name}`;
  const inbound = `${namespace}crescent.in.${report.agencyId}.commands`;
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `${namespace}${report.agencyId}.${options.groupName ?? 'agency-integration'}` });
  const seen = new Set<string>();
  let failure: unknown;

  // 4. Each message: check it against its contract, then apply it; acknowledge each new referral.
  const take = async (message: ReadMessage) => {
    const problems = messageProblems(message);
    if (problems.length > 0) {
      report.invalid.push({ messageId: message.headers.ce_id ?? '', type: message.headers.ce_type ?? '', problems });
      log({ step: 'invalid', messageId: message.headers.ce_id, type: message.headers.ce_type });
      return;
    }
    const line = applyMessage(report, seen, message);
    log(line);
    if (options.acknowledgeReferrals && line.step === 'received' && /^crescent\.VictimReferralSubmitted\.v\d+$/.test(line.type ?? '')) {
      await acknowledge(producer, inbound, report, message);
      log({ step: 'command-sent', recordId: message.key, commandId: report.commands.at(-1)!.commandId, type: 'AcknowledgeVictimReferral' });
    }
  };

  try {
    await producer.connect();
    await consumer.connect();
    const topics = [...(options.recordTopics ?? []).map(out), out('command-receipts'), out('command-rejections')];
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        try {
          await take(asText(message));
        } catch (caught) {
          failure ??= caught;
        }
      },
    });
    log({ step: 'consuming', type: `${topics.length} topics` });

    await settled(report, options, () => failure);
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
  return report;
}

async function submitReferral(exchange: ExchangeClient, referral: VictimReferral, idempotencyKey: string): Promise<IntegrationReport['submitted']> {
  const submit = () => exchange.POST('/v1/referrals', { params: { header: { 'Idempotency-Key': idempotencyKey } }, body: referral });
  const first = await submit();
  if (!first.data) throw refused('the referral', first.error);
  const retry = await submit();
  if (!retry.data) throw refused('the retried referral', retry.error);
  const read = await exchange.GET('/v1/referrals/{id}', { params: { path: { id: first.data.recordId } } });
  if (!read.data) throw refused('reading the referral back', read.error);
  // The ETag is the version to send back as If-Match (over HTTP) or ce_expectedversion (on Kafka) with the next change.
  return { referralId: first.data.recordId, retryReferralId: retry.data.recordId, version: read.data.version, etag: read.response.headers.get('etag') };
}

async function kafkaToken(exchange: ExchangeClient): Promise<string> {
  const { data, error } = await exchange.POST('/v1/auth/kafka-token');
  if (!data) throw refused('a Kafka token', error);
  return data.accessToken;
}

/** AcknowledgeVictimReferral on the inbound topic: CloudEvents binary headers, the HTTP body as value, the record as key and subject. */
async function acknowledge(producer: Producer, topic: string, report: IntegrationReport, referral: ReadMessage): Promise<void> {
  const command: SentCommand = { commandId: randomUUID(), commandType: 'AcknowledgeVictimReferral', recordId: referral.key };
  report.commands.push(command);
  await producer.send({
    topic,
    messages: [
      {
        key: command.recordId,
        value: JSON.stringify({}),
        headers: {
          ce_specversion: '1.0',
          ce_id: command.commandId,
          ce_type: command.commandType,
          ce_subject: command.recordId,
          // The version this agency last saw: a change it has not seen yet makes the exchange reject the command (a conflict).
          ce_expectedversion: referral.headers.ce_recordversion,
        },
      },
    ],
  });
}

/** Waits until `until` holds, the time is up, the signal aborts, or a message failed to be handled. */
async function settled(report: IntegrationReport, options: AgencyIntegrationOptions, failure: () => unknown): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (!options.until?.(report) && Date.now() < deadline && !options.signal?.aborted) {
    if (failure() !== undefined) throw failure();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (failure() !== undefined) throw failure();
}

function asText(message: KafkaMessage): ReadMessage {
  return {
    key: message.key?.toString() ?? '',
    value: message.value?.toString() ?? '',
    headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)])),
  };
}

/** The exchange's refusal as an error naming its code (a problem's detail never quotes a submitted value). */
function refused(what: string, problem: unknown): Error {
  const { code, status } = (problem ?? {}) as { code?: string; status?: number };
  return new Error(`the exchange refused ${what}: ${status ?? '?'} ${code ?? ''}`.trim());
}
