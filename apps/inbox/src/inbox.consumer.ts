import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { agencyGroupPrefix, BusMessage, fromCloudEventMessage, MESSAGE_BUS, MessageBus, outboundTopic, Subscription } from '@crescent/messaging';
import { deciderFor, VICTIM_REFERRAL_SUBMITTED_VERSION } from '@crescent/domain';
import { RUNTIME_CONFIG, RuntimeConfig } from '@crescent/runtime';
import { InboxStatus, InboxStore } from './inbox.store';

const REFERRAL_SUBMITTED = `crescent.VictimReferralSubmitted.v${VICTIM_REFERRAL_SUBMITTED_VERSION}`;
const RECORD_RETRACTED = 'crescent.RecordRetracted.v1';
const RECORD_SNAPSHOT = 'crescent.RecordSnapshot.v1';

/** Reads the inbox agency's referral topic into its inbox; duplicates are dropped by event id. */
@Injectable()
export class InboxConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('inbox');
  private subscription?: Subscription;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly inbox: InboxStore,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { topicNamespace, inboxAgencyId } = this.config;
    this.subscription = await this.bus.subscribe(
      {
        groupId: `${agencyGroupPrefix(topicNamespace, inboxAgencyId)}inbox`,
        topics: [outboundTopic(topicNamespace, inboxAgencyId, 'victim-referral', VICTIM_REFERRAL_SUBMITTED_VERSION)!],
      },
      (message) => this.receive(message),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }

  private async receive(message: BusMessage): Promise<void> {
    const event = fromCloudEventMessage(message);
    const agencyId = this.config.inboxAgencyId;
    const { type, subject, id, extensions } = event?.attributes ?? {};
    if (type === RECORD_RETRACTED && subject) {
      await this.inbox.retract(agencyId, subject, new Date().toISOString());
      return;
    }
    const policyVersion = Number(extensions?.policyversion);
    if (type === RECORD_SNAPSHOT && subject && Array.isArray((event?.data as { events?: unknown } | undefined)?.events)) {
      // The referral as it stands replaces what the inbox held: its events, applied in order.
      await this.inbox.forget(agencyId, subject);
      for (const held of (event!.data as { events: SnapshotEvent[] }).events) {
        await this.apply(message.topic, { id: held?.id, type: held?.type, referralId: subject, recordVersion: held?.recordversion, policyVersion, data: held?.data });
      }
      return;
    }
    await this.apply(message.topic, { id, type, referralId: subject, recordVersion: Number(extensions?.recordversion), policyVersion, data: event?.data });
  }

  /** Takes one event of a referral into the inbox: a submission, or a later event that changes it. */
  private async apply(topic: string, event: Incoming): Promise<void> {
    const { id, type, referralId, recordVersion, policyVersion } = event;
    const agencyId = this.config.inboxAgencyId;
    const change = typeof type === 'string' ? LATER_EVENTS.get(type) : undefined;
    if (
      (type !== REFERRAL_SUBMITTED && !change) ||
      typeof id !== 'string' ||
      typeof referralId !== 'string' ||
      typeof recordVersion !== 'number' ||
      !Number.isInteger(recordVersion) ||
      typeof policyVersion !== 'number' ||
      !Number.isInteger(policyVersion)
    ) {
      // Skipped, not retried: a malformed message will not improve. Only the topic is named.
      this.logger.warn(`skipped an unreadable message on ${topic}`);
      return;
    }
    const data = (event.data ?? {}) as Record<string, unknown>;
    const receivedAt = new Date().toISOString();
    const applied = change
      ? await this.inbox.change({ agencyId, referralId, recordVersion, policyVersion, status: change.status, update: (held) => change.update(held, data), receivedAt })
      : await this.inbox.receive({ agencyId, referralId, eventId: id, recordVersion, policyVersion, referral: data, receivedAt });
    if (!applied) this.logger.log(`dropped a repeated, outdated or unheld delivery ${id}`);
  }
}

/** One event of a referral as it arrived, unchecked: a message's own, or one of a snapshot's. */
interface Incoming {
  readonly id: unknown;
  readonly type: unknown;
  readonly referralId: unknown;
  readonly recordVersion: unknown;
  readonly policyVersion: number;
  readonly data: unknown;
}

/** One event of a `RecordSnapshot`: what a delivery of it would have carried. */
interface SnapshotEvent {
  readonly id: string;
  readonly type: string;
  readonly recordversion: number;
  readonly data: unknown;
}

interface LaterEvent {
  /** The status it brings, given the one held; undefined: it leaves the status as it is. */
  readonly status: InboxStatus | ((held: InboxStatus) => InboxStatus) | undefined;
  /** The referral as the inbox holds it, with what the event (as the policy cut it) brings. */
  readonly update: (held: Record<string, unknown>, data: Record<string, unknown>) => Record<string, unknown>;
}

/** The sender's answer, update or correction returns a referral awaiting it to the shelter, as the exchange does; any other status stays. */
const answersQuestion = (held: InboxStatus): InboxStatus => (held === 'information-requested' ? 'acknowledged' : held);

const withFields = (...keys: string[]) => (held: Record<string, unknown>, data: Record<string, unknown>) => ({ ...held, ...pick(data, keys) });

/** What each later event of a referral changes in the inbox, by its CloudEvents type. */
const LATER_EVENTS: ReadonlyMap<string, LaterEvent> = new Map(
  Object.entries({
    VictimReferralAcknowledged: { status: 'acknowledged', update: withFields() },
    // The shelter's own question, kept with the others it asked, until HSI's answer joins it.
    VictimReferralInformationRequested: { status: 'information-requested', update: (held, data) => withQuestion(held, data) },
    VictimReferralInformationProvided: { status: answersQuestion, update: (held, data) => withAnswer(held, data) },
    VictimReferralAccepted: { status: 'accepted', update: withFields() },
    VictimReferralDeclined: { status: 'declined', update: withFields('reason') },
    VictimReferralWithdrawn: { status: 'withdrawn', update: withFields('reason', 'withdrawnAt') },
    // A contact update carries the victim's phone and languages at its top level; the inbox keeps them on the victim.
    VictimContactUpdated: {
      status: answersQuestion,
      update: (held, data) => ({ ...held, ...pick(data, ['updatedAt']), victim: { ...(held.victim as object | undefined), ...pick(data, ['phone', 'preferredLanguages']) } }),
    },
    // A correction restates the referral: what it brings replaces what the inbox held under the same keys.
    VictimReferralCorrected: { status: answersQuestion, update: (held, data) => ({ ...held, ...data }) },
  } satisfies Record<string, LaterEvent>).map(([type, change]) => [`crescent.${type}.v${currentVersion(type)}`, change]),
);

/** A question as the inbox keeps it: what the policy gave of the event, under the names the detail shows. */
export interface HeldQuestion {
  readonly questionId: string;
  readonly question?: string;
  readonly askedAt?: string;
  readonly answer?: string;
  readonly answeredAt?: string;
}

const heldQuestions = (held: Record<string, unknown>): HeldQuestion[] => (Array.isArray(held.questions) ? (held.questions as HeldQuestion[]) : []);

function withQuestion(held: Record<string, unknown>, data: Record<string, unknown>): Record<string, unknown> {
  const questions = heldQuestions(held);
  // A question stored before questions had ids has none: it takes its place's, as the exchange numbers it.
  const questionId = typeof data.questionId === 'string' ? data.questionId : `q${questions.length + 1}`;
  const asked = { questionId, ...rename(data, { question: 'question', requestedAt: 'askedAt' }) };
  return { ...held, questions: [...questions, asked] };
}

function withAnswer(held: Record<string, unknown>, data: Record<string, unknown>): Record<string, unknown> {
  const answered = rename(data, { answer: 'answer', providedAt: 'answeredAt' });
  return { ...held, questions: heldQuestions(held).map((question) => (question.questionId === data.questionId ? { ...question, ...answered } : question)) };
}

function rename(data: Record<string, unknown>, names: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(names).filter(([from]) => from in data).map(([from, to]) => [to, data[from]]));
}

function currentVersion(type: string): number {
  const versions = (deciderFor('victim-referral').eventSchemaVersions as Record<string, readonly number[]>)[type];
  return versions[versions.length - 1];
}

function pick(data: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => key in data).map((key) => [key, data[key]]));
}
