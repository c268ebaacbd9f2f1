import { Logger } from '@nestjs/common';
import { EventStore, EventTypes, FeedSubscription, GlobalPosition, StoredEvent } from '@crescent/event-store';

const PAGE = 500;
const RESUME_DELAY_MS = 1000;

export interface FeedFollowing {
  /** Named in the warning a failed feed gives. */
  readonly name: string;
  /** Where to start: the events after it come first. */
  readonly after: GlobalPosition | undefined;
  /** Only events of these types; undefined follows the whole feed. */
  readonly eventTypes: EventTypes;
  /** Takes events in feed order; the follower moves past them once it resolves. */
  readonly onEvents: (events: readonly StoredEvent[]) => Promise<void>;
}

/**
 * Keeps what a process builds from the feed (a directory's state, a table) up with it: `start` reads
 * the events after `after` page by page and resolves once it has taken them all, then the follower
 * takes what the feed brings live, resuming where it stood a second after the feed fails, until closed.
 */
export class FeedFollower {
  private readonly logger = new Logger('feed');
  private subscription?: FeedSubscription;

  private constructor(
    private readonly store: EventStore,
    private readonly following: FeedFollowing,
    private taken: GlobalPosition | undefined,
  ) {}

  static async start(store: EventStore, following: FeedFollowing): Promise<FeedFollower> {
    const follower = new FeedFollower(store, following, following.after);
    for (let page = await follower.readAfter(); page.length > 0; page = await follower.readAfter()) await follower.take(page);
    follower.follow();
    return follower;
  }

  /** The position of the last event taken (`after` before any). */
  get position(): GlobalPosition | undefined {
    return this.taken;
  }

  async close(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop().catch(() => undefined);
  }

  private readAfter(): Promise<StoredEvent[]> {
    return this.store.readAll(this.taken, PAGE, this.following.eventTypes);
  }

  private async take(events: readonly StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.following.onEvents(events);
    this.taken = events[events.length - 1].position;
  }

  private follow(): void {
    const subscription = this.store.subscribeToAll({ after: this.taken, eventTypes: this.following.eventTypes, onEvents: (events) => this.take(events) });
    this.subscription = subscription;
    subscription.done.catch((error: unknown) => {
      // Closed meanwhile: nothing to resume.
      if (this.subscription !== subscription) return;
      this.logger.warn(`${this.following.name} feed failed (${error instanceof Error ? error.name : typeof error}); resuming`);
      setTimeout(() => this.subscription === subscription && this.follow(), RESUME_DELAY_MS).unref();
    });
  }
}
