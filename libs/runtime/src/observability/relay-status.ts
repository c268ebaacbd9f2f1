import { Injectable } from '@nestjs/common';
import { metrics } from '@crescent/observability';

/** The most events the relay's lag counts: counting them means reading them. */
export const RELAY_LAG_CAP = 1000;

/** How far the relay is behind the feed's head. */
export interface RelayLag {
  /** Events after the checkpoint, counted up to a cap: the cap means that many or more. */
  readonly events: number;
  /** How long the oldest event not yet relayed has waited; 0 when caught up. */
  readonly seconds: number;
}

/** What a relay running in this process tells about itself. */
export interface RelayProbe {
  holdsLease(): boolean;
  lag(): Promise<RelayLag>;
  deadLetterDepth(): Promise<number>;
}

/** The relay's state as /health/ready and /metrics report it, where a relay runs in the process. */
export interface RelayReport {
  readonly holdsLease: boolean;
  readonly lagEvents: number;
  readonly lagSeconds: number;
}

/**
 * Where the relay, when this process runs one, reports to readiness and metrics; the runtime cannot
 * see the relay app's providers, so the relay hands its probe over.
 */
@Injectable()
export class RelayStatus {
  private probe?: RelayProbe;

  attach(probe: RelayProbe): void {
    this.probe = probe;
    metrics.serveRelayGauges();
  }

  async report(): Promise<RelayReport | undefined> {
    if (!this.probe) return undefined;
    const { events, seconds } = await this.probe.lag();
    return { holdsLease: this.probe.holdsLease(), lagEvents: events, lagSeconds: seconds };
  }

  /** Sets the relay gauges from the store and the checkpoint as they are now. */
  async refreshMetrics(): Promise<void> {
    const probe = this.probe;
    if (!probe) return;
    metrics.relayLeaseHeld.set(probe.holdsLease() ? 1 : 0);
    const [lag, deadLetters] = await Promise.all([probe.lag(), probe.deadLetterDepth()]);
    metrics.relayLagEvents.set(lag.events);
    metrics.relayLagSeconds.set(lag.seconds);
    metrics.deadLetterDepth.set(deadLetters);
  }
}
