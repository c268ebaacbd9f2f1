import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { CheckpointStore, EVENT_STORE, EventStore, FeedSubscription, StoredEvent } from '@crescent/event-store';
import { MESSAGE_BUS, MessageBus } from '@crescent/messaging';
import { AGENCY_DIRECTORY, AgencyDirectory, RUNTIME_CONFIG, RuntimeConfig } from '@crescent/runtime';
import { ReferralDeliveries } from './referral-deliveries';

const CHECKPOINT = 'relay';
const BATCH_SIZE = 200;
const RETRY_DELAY_MS = 1000;

/**
 * Follows the event store's global feed from its checkpoint, catching up and then live, and
 * publishes each recipient's projection. The checkpoint moves only after the bus has acknowledged
 * every message of a batch, so a crash repeats deliveries (consumers drop duplicates by event id)
 * and never loses one. A failure restarts the subscription from the last checkpoint.
 */
@Injectable()
export class RelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('relay');
  private readonly deliveries: ReferralDeliveries;
  private readonly stopping = new AbortController();
  private subscription?: FeedSubscription;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly checkpoints: CheckpointStore,
    @Inject(AGENCY_DIRECTORY) directory: AgencyDirectory,
    @Inject(RUNTIME_CONFIG) config: RuntimeConfig,
  ) {
    this.deliveries = new ReferralDeliveries(config.topicNamespace, directory.agencies(), (agencyId) =>
      directory.policyFor(agencyId, 'VictimReferral'),
    );
  }

  onApplicationBootstrap(): void {
    this.loop = this.follow();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.subscription?.stop().catch(() => undefined);
    await this.loop;
  }

  private async follow(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      try {
        const after = await this.checkpoints.load(CHECKPOINT);
        this.subscription = this.store.subscribeToAll({ after, batchSize: BATCH_SIZE, onEvents: (events) => this.relay(events) });
        if (this.stopping.signal.aborted) await this.subscription.stop();
        await this.subscription.done;
      } catch (error) {
        // The class only: a message could quote the data in flight.
        this.logger.warn(`relay subscription failed (${error instanceof Error ? error.name : typeof error}); resuming from the checkpoint`);
        await sleep(RETRY_DELAY_MS, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
    }
  }

  private async relay(events: StoredEvent[]): Promise<void> {
    await this.bus.publish(events.flatMap((event) => this.deliveries.messagesFor(event)));
    await this.checkpoints.save(CHECKPOINT, events[events.length - 1].position);
  }
}
