import { FeedSubscription } from './event-store.port';

export const DEFAULT_BATCH_SIZE = 100;

/**
 * The lifecycle every adapter's subscription shares: `follow` runs until `stopping` aborts (then
 * resolves) or until the store or the handler fails (then rejects), and `done` reports which.
 */
export function startFeedSubscription(follow: (stopping: AbortSignal) => Promise<void>): FeedSubscription {
  const stopping = new AbortController();
  const done = follow(stopping.signal);
  return {
    done,
    stop: () => {
      stopping.abort();
      return done;
    },
  };
}

/**
 * A doorbell for a reader that has run out of events: `ring` marks news, `wait` returns at once if
 * news came since the last `reset`, or else at the next ring, timeout or stop. Resetting before the
 * read (not after) is what keeps a ring during the read from being missed.
 */
export class WakeUp {
  private rung = false;
  private wake: (() => void) | undefined;

  readonly ring = (): void => {
    this.rung = true;
    this.wake?.();
  };

  reset(): void {
    this.rung = false;
  }

  wait(stopping: AbortSignal, timeoutMs?: number): Promise<void> {
    if (this.rung || stopping.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => this.wake?.(), timeoutMs);
      this.wake = () => {
        clearTimeout(timer);
        stopping.removeEventListener('abort', this.ring);
        this.wake = undefined;
        resolve();
      };
      stopping.addEventListener('abort', this.ring);
    });
  }
}
