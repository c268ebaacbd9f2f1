import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { CheckpointStore, EVENT_STORE, EventStore, FeedSubscription, GlobalPosition, StoredEvent } from '@crescent/event-store';
import { MESSAGE_BUS, MessageBus } from '@crescent/messaging';
import { PseudonymKeys } from '@crescent/policy';
import { PSEUDONYM_KEYS, RUNTIME_CONFIG, RuntimeConfig } from '@crescent/runtime';
import { Deliveries } from './deliveries';

const CHECKPOINT = 'relay';
const BATCH_SIZE = 200;
const RETRY_DELAY_MS = 1000;
const REPLAY_PAGE = 1000;

/**
 * Follows the event store's global feed from its checkpoint, catching up and then live, and
 * publishes each recipient's projection. The checkpoint moves only after the bus has acknowledged
 * every message of a batch, so a crash repeats deliveries (consumers drop duplicates by event id)
 * and never loses one. Each event is projected with the agencies, policies and consents as they
 * stood at its place in the feed; a (re)start replays the feed up to the checkpoint to rebuild them.
 */
@Injectable()
export class RelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('relay');
  private deliveries?: Deliveries;
  private readonly stopping = new AbortController();
  private subscription?: FeedSubscription;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly checkpoints: CheckpointStore,
    @Inject(PSEUDONYM_KEYS) private readonly keys: PseudonymKeys,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

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
        this.deliveries = await this.replayUpTo(after);
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

  /** Rebuilds the disclosure state as it stood at the checkpoint, delivering nothing. */
  private async replayUpTo(checkpoint: GlobalPosition | undefined): Promise<Deliveries> {
    const deliveries = new Deliveries(this.config.topicNamespace, this.keys);
    let after: GlobalPosition | undefined;
    while (checkpoint !== undefined && after !== checkpoint) {
      const page = await this.store.readAll(after, REPLAY_PAGE);
      if (page.length === 0) throw new Error('the relay checkpoint is not in the feed');
      for (const stored of page) {
        if (after === checkpoint) break;
        deliveries.replay(stored);
        after = stored.position;
      }
    }
    return deliveries;
  }

  private async relay(events: StoredEvent[]): Promise<void> {
    const deliveries = this.deliveries!;
    await this.bus.publish(events.flatMap((event) => deliveries.messagesFor(event)));
    await this.checkpoints.save(CHECKPOINT, events[events.length - 1].position);
  }
}
