import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { BusMessage, fromCloudEventMessage, MESSAGE_BUS, MessageBus, outboundTopic, Subscription } from '@crescent/messaging';
import { VICTIM_REFERRAL_SUBMITTED_VERSION } from '@crescent/domain';
import { RUNTIME_CONFIG, RuntimeConfig } from '@crescent/runtime';
import { InboxStore } from './inbox.store';

const REFERRAL_SUBMITTED = `crescent.VictimReferralSubmitted.v${VICTIM_REFERRAL_SUBMITTED_VERSION}`;
const RECORD_RETRACTED = 'crescent.RecordRetracted.v1';

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
        groupId: `${topicNamespace}crescent.inbox.${inboxAgencyId}`,
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
    if (event?.attributes.type === RECORD_RETRACTED) {
      await this.inbox.forget(this.config.inboxAgencyId, event.attributes.subject);
      return;
    }
    // The inbox lists referrals as submitted; the referral's later events are not kept here yet.
    if (event && event.attributes.type !== REFERRAL_SUBMITTED && event.attributes.type.startsWith('crescent.VictimReferral')) return;
    const referral = event?.data as Record<string, unknown> | undefined;
    const policyVersion = Number(event?.attributes.extensions.policyversion);
    if (!event || event.attributes.type !== REFERRAL_SUBMITTED || typeof event.attributes.subject !== 'string' || !Number.isInteger(policyVersion)) {
      // Skipped, not retried: a malformed message will not improve. Only the topic is named.
      this.logger.warn(`skipped an unreadable message on ${message.topic}`);
      return;
    }
    const stored = await this.inbox.receive({
      agencyId: this.config.inboxAgencyId,
      referralId: event.attributes.subject,
      eventId: event.attributes.id,
      policyVersion,
      referral: referral ?? {},
      receivedAt: new Date().toISOString(),
    });
    if (!stored) this.logger.log(`dropped duplicate delivery ${event.attributes.id}`);
  }
}
