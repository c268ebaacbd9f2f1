import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { CheckpointStore, EVENT_STORE, EventStore } from '@crescent/event-store';
import { MESSAGE_BUS, MessageBus } from '@crescent/messaging';
import { AGENCY_DIRECTORY, AgencyDirectory, RUNTIME_CONFIG, RuntimeConfig } from '@crescent/runtime';
import { ReferralDeliveries } from './referral-deliveries';

const CHECKPOINT = 'relay';
const BATCH_SIZE = 200;
const RETRY_DELAY_MS = 1000;

/**
 * Follows the event store's global feed from its checkpoint and publishes each recipient's
 * projection. The checkpoint moves only after the bus has acknowledged every message of the
 * batch, so a crash repeats deliveries (consumers drop duplicates by event id) and never loses one.
 */
@Injectable()
export class RelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('relay');
  private readonly deliveries: ReferralDeliveries;
  private readonly stopping = new AbortController();
  private loop: Promise<void> = Promise.resolve();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly checkpoints: CheckpointStore,
    @Inject(AGENCY_DIRECTORY) directory: AgencyDirectory,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
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
    await this.loop;
  }

  private async follow(): Promise<void> {
    let position: number | undefined;
    while (!this.stopping.signal.aborted) {
      try {
        position ??= await this.checkpoints.load(CHECKPOINT);
        position = await this.relayBatchAfter(position);
      } catch (error) {
        // The class only: a message could quote the data in flight.
        this.logger.warn(`relay batch after position ${position ?? 'checkpoint'} failed (${errorName(error)}); retrying`);
        await this.pause(RETRY_DELAY_MS);
      }
    }
  }

  /** Relays the next batch and returns the new checkpoint. */
  private async relayBatchAfter(position: number): Promise<number> {
    const events = await this.store.readAll(position, BATCH_SIZE);
    if (events.length === 0) {
      await this.pause(this.config.relayPollMs);
      return position;
    }
    await this.bus.publish(events.flatMap((event) => this.deliveries.messagesFor(event)));
    const last = events[events.length - 1].position;
    await this.checkpoints.save(CHECKPOINT, last);
    return last;
  }

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
