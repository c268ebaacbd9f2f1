import { WindowLimit } from '../config';

interface Window {
  readonly startedAt: number;
  hits: number;
}

/**
 * Counts hits per key in fixed windows, each starting at its key's first hit. Memory stays bounded:
 * ended windows are dropped as new ones start, and beyond `maxKeys` the oldest window goes first
 * (forgiving that key early rather than growing without end).
 */
export class FixedWindowLimiter {
  // In the order the windows started: all last equally long, so the ended ones are at the front.
  private readonly windows = new Map<string, Window>();
  private readonly windowMs: number;

  constructor(
    private readonly limit: WindowLimit,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {
    this.windowMs = limit.windowSeconds * 1000;
  }

  /** Whole seconds until `key`'s window ends once it has used its limit; undefined while it may go on. */
  retryAfterSeconds(key: string): number | undefined {
    const window = this.currentWindow(key);
    if (!window || window.hits < this.limit.limit) return undefined;
    return Math.max(1, Math.ceil((window.startedAt + this.windowMs - this.now()) / 1000));
  }

  count(key: string): void {
    const window = this.currentWindow(key);
    if (window) {
      window.hits += 1;
      return;
    }
    this.dropEndedAndOldest();
    this.windows.set(key, { startedAt: this.now(), hits: 1 });
  }

  private currentWindow(key: string): Window | undefined {
    const window = this.windows.get(key);
    return window && this.now() < window.startedAt + this.windowMs ? window : undefined;
  }

  private dropEndedAndOldest(): void {
    for (const [key, window] of this.windows) {
      if (this.windows.size < this.maxKeys && this.now() < window.startedAt + this.windowMs) return;
      this.windows.delete(key);
    }
  }
}
