import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { CheckpointStore, EVENT_STORE, EventStore, Fence, FeedSubscription, GlobalPosition, Lease, LeaseLostError, LeaseStore } from '@crescent/event-store';
import { DisclosureLedger } from '@crescent/ledger';
import { MESSAGE_BUS, MessageBus } from '@crescent/messaging';
import { PersistentMap, PseudonymKeys } from '@crescent/policy';
import { DeadLetterStore, PSEUDONYM_KEYS, RELAY_LAG_CAP, RelayLag, RelayStatus, RUNTIME_CONFIG, RuntimeConfig } from '@crescent/runtime';
import { decodeFact, Deliveries, DIRECTORY_FACTS, encodeFact } from './deliveries';
import { FeedRelay, RELAY_CHECKPOINT } from './feed-relay';
import { RelayFactStore } from './relay-fact-store';
import { LedgerAnchor } from './ledger-anchor';

const LEASE = 'relay';
const DEAD_LETTER_POLL_MS = 2000;
const RETRY_DELAY_MS = 1000;
const REPLAY_PAGE = 1000;

/**
 * Follows the event store's global feed from its checkpoint, catching up and then live, and
 * publishes each recipient's projection. The checkpoint moves only after the bus has acknowledged
 * every message of a batch, so a crash repeats deliveries (consumers drop duplicates by event id)
 * and never loses one. Each event is projected with the agencies, policies and consents as they
 * stood at its place in the feed. The relay keeps those facts in the database, moved on with the
 * checkpoint: a start reads the directory from them and the rest as events need it, so neither its
 * time nor its memory follows the feed's length. Facts that stand elsewhere than the checkpoint (a
 * database from before they were kept, a checkpoint moved by hand) are rebuilt from the feed first.
 *
 * One relay is active at a time: it holds a lease in the database and renews it; a standby waits
 * and takes over from the checkpoint when the lease lapses. A relay that loses its lease stops, and
 * its ledger, dead-letter and checkpoint writes are fenced by the lease's token: one paused past its
 * lease (and resumed) writes nothing over its successor's.
 */
@Injectable()
export class RelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('relay');
  private readonly instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly stopping = new AbortController();
  private subscription?: FeedSubscription;
  private loop: Promise<void> = Promise.resolve();
  private holdsLease = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly checkpoints: CheckpointStore,
    private readonly leases: LeaseStore,
    private readonly ledger: DisclosureLedger,
    private readonly deadLetters: DeadLetterStore,
    private readonly facts: RelayFactStore,
    @Inject(PSEUDONYM_KEYS) private readonly keys: PseudonymKeys,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
    status: RelayStatus,
  ) {
    this.ledgerAnchor = config.ledgerAnchoring ? new LedgerAnchor(ledger, config.ledgerAnchoring) : undefined;
    status.attach({ holdsLease: () => this.holdsLease, lag: () => this.lag(), deadLetterDepth: () => this.deadLetters.depth() });
  }

  private readonly ledgerAnchor: LedgerAnchor | undefined;

  onApplicationBootstrap(): void {
    if (!this.ledgerAnchor) this.logger.warn('the disclosure ledger is not anchored outside the database: set LEDGER_ANCHOR_SECRET');
    this.loop = this.run();
  }

  /** How far the checkpoint is behind the feed's head (the active relay's, whichever process that is). */
  private async lag(): Promise<RelayLag> {
    const behind = await this.store.readAll(await this.checkpoints.load(RELAY_CHECKPOINT), RELAY_LAG_CAP);
    const oldest = behind[0] ? Date.parse(behind[0].recordedAt) : Date.now();
    return { events: behind.length, seconds: Math.max(0, (Date.now() - oldest) / 1000) };
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.subscription?.stop().catch(() => undefined);
    await this.loop;
    await this.leases.release(LEASE, this.instanceId).catch(() => undefined);
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      try {
        const lease = await this.leases.acquire(LEASE, this.instanceId, this.config.relayLeaseMs);
        if (lease) {
          this.logger.log(`relay ${this.instanceId} is active (fencing token ${lease.token})`);
          this.holdsLease = true;
          await this.followWhileLeased(lease).finally(() => (this.holdsLease = false));
        } else {
          await this.pause(this.config.relayLeaseMs / 3);
        }
      } catch (error) {
        if (error instanceof LeaseLostError) {
          this.logger.warn(`relay ${this.instanceId} steps down: its lease was taken over before it could write`);
          continue;
        }
        // The class only: a message could quote the data in flight.
        this.logger.warn(`relay failed (${error instanceof Error ? error.name : typeof error}); resuming from the checkpoint`);
        await this.pause(RETRY_DELAY_MS);
      }
    }
  }

  /** Relays until stopped, until the feed fails, or until the lease cannot be renewed: one tenure of the lease. */
  private async followWhileLeased(lease: Lease): Promise<void> {
    const { store, bus, checkpoints, ledger, deadLetters, facts } = this;
    const feedRelay = new FeedRelay({ store, bus, checkpoints, ledger, deadLetters, facts, topicNamespace: this.config.topicNamespace, fence: lease });
    const after = await this.checkpoints.load(RELAY_CHECKPOINT);
    const deliveries = await this.deliveriesAt(after, lease);
    const subscription = feedRelay.follow(deliveries, after);
    this.subscription = subscription;
    const renewal = setInterval(() => {
      this.leases.acquire(LEASE, this.instanceId, this.config.relayLeaseMs).then(
        (renewed) => lease.continuedBy(renewed) || this.stepDown(subscription, 'the lease passed to another relay'),
        () => this.stepDown(subscription, 'the lease could not be renewed'),
      );
    }, this.config.relayLeaseMs / 3);
    const replays = setInterval(() => {
      feedRelay.replayRequested(deliveries).catch((error: unknown) => {
        this.logger.warn(`dead-letter replay failed (${error instanceof Error ? error.name : typeof error}); it will be tried again`);
      });
      feedRelay.retractExpired(deliveries).catch((error: unknown) => {
        this.logger.warn(`retracting what expired consents granted failed (${error instanceof Error ? error.name : typeof error}); it will be tried again`);
      });
    }, DEAD_LETTER_POLL_MS);
    const anchoring = this.config.ledgerAnchoring && setInterval(() => void this.anchorLedger(), this.config.ledgerAnchoring.intervalMs);
    try {
      if (this.stopping.signal.aborted) await subscription.stop();
      await subscription.done;
    } finally {
      clearInterval(renewal);
      clearInterval(replays);
      clearInterval(anchoring);
      // The tenure's last head: a chain only grows, so it is true whoever holds the lease now.
      await this.anchorLedger();
    }
  }

  private async anchorLedger(): Promise<void> {
    await this.ledgerAnchor?.anchorHead().catch((error: unknown) => {
      this.logger.warn(`anchoring the ledger's head failed (${error instanceof Error ? error.name : typeof error}); it will be tried again`);
    });
  }

  private stepDown(subscription: FeedSubscription, why: string): void {
    this.logger.warn(`relay ${this.instanceId} steps down: ${why}`);
    subscription.stop().catch(() => undefined);
  }

  /** The state as it stood at the checkpoint: the directory read whole from the relay's facts, the records' facts left to be read as needed. */
  private async deliveriesAt(checkpoint: GlobalPosition | undefined, fence: Fence): Promise<Deliveries> {
    // With no checkpoint nothing is folded yet: whatever facts there are, from a feed relayed before, go.
    if (checkpoint === undefined || (await this.facts.at()) !== checkpoint) await this.rebuildFacts(checkpoint, fence);
    const started = performance.now();
    let loaded = 0;
    const directory: Partial<Record<(typeof DIRECTORY_FACTS)[number], PersistentMap<unknown>>> = {};
    for (const facts of DIRECTORY_FACTS) {
      const rows = await this.facts.loadAll(facts);
      directory[facts] = PersistentMap.empty<unknown>().withLoaded(rows.map(([key, value]) => [key, decodeFact(facts, value)] as const));
      loaded += rows.length;
    }
    // What a restart costs before the relay delivers again (bench/restart.bench.js waits for this line).
    this.logger.log(`relay state at checkpoint ${checkpoint ?? 'none'} loaded: ${loaded} directory facts in ${Math.round(performance.now() - started)} ms`);
    return Deliveries.windowed(this.config.topicNamespace, this.keys, directory);
  }

  /** Folds the feed up to the checkpoint, delivering nothing, and puts what it folded in place of the relay's facts. */
  private async rebuildFacts(checkpoint: GlobalPosition | undefined, fence: Fence): Promise<void> {
    const started = performance.now();
    const deliveries = new Deliveries(this.config.topicNamespace, this.keys);
    let after: GlobalPosition | undefined;
    let replayed = 0;
    while (checkpoint !== undefined && after !== checkpoint) {
      const page = await this.store.readAll(after, REPLAY_PAGE);
      if (page.length === 0) throw new Error('the relay checkpoint is not in the feed');
      for (const stored of page) {
        if (after === checkpoint) break;
        deliveries.replay(stored);
        after = stored.position;
        replayed++;
      }
    }
    const facts = deliveries.takeChanges().map((change) => ({ facts: change.facts, key: change.key, ...encodeFact(change) }));
    await this.facts.replace(facts, checkpoint, fence);
    this.logger.log(`relay state rebuilt up to checkpoint ${checkpoint ?? 'none'}: ${replayed} events replayed in ${Math.round(performance.now() - started)} ms`);
  }

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }
}
