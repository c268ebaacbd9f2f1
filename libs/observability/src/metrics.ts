import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus instruments, one set per process (as the process metrics are), served at
 * GET /metrics. Labels are route templates, methods, status codes, agency ids, record types and
 * consumer groups: never a value of a record.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequestDuration = new Histogram({
    name: 'crescent_http_request_duration_seconds',
    help: 'HTTP requests by method, route template (unmatched when no route served it) and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly eventsAppended = new Counter({
    name: 'crescent_events_appended_total',
    help: 'Events appended to the event store, by record type',
    labelNames: ['record_type'] as const,
    registers: [this.registry],
  });

  readonly appendConflicts = new Counter({
    name: 'crescent_append_conflicts_total',
    help: "Appends refused because the record's stream had moved past the expected version, by record type",
    labelNames: ['record_type'] as const,
    registers: [this.registry],
  });

  readonly deliveries = new Counter({
    name: 'crescent_relay_deliveries_total',
    help: 'Projections delivered by the relay and recorded in the ledger (snapshots included), by recipient agency and record type',
    labelNames: ['recipient_agency', 'record_type'] as const,
    registers: [this.registry],
  });

  readonly retractions = new Counter({
    name: 'crescent_relay_retractions_total',
    help: 'Retractions sent by the relay and recorded in the ledger, by recipient agency and record type',
    labelNames: ['recipient_agency', 'record_type'] as const,
    registers: [this.registry],
  });

  readonly relayLeaseHeld = relayGauge('crescent_relay_lease_held', '1 while this process is the active relay (holds the lease), 0 otherwise');

  readonly relayLagEvents = relayGauge('crescent_relay_lag_events', 'Events in the feed after the relay checkpoint, counted up to a cap (see docs/operations.md)');

  readonly relayLagSeconds = relayGauge('crescent_relay_lag_seconds', 'Age of the oldest event in the feed not yet relayed; 0 when the relay is caught up');

  readonly deadLetterDepth = relayGauge('crescent_relay_dead_letters', 'Dead letters not yet replayed (open or replay requested)');

  readonly consumerLag = new Gauge({
    name: 'crescent_consumer_lag_messages',
    help: "Messages on a Kafka consumer group's partitions after its position, summed, as of its last batch",
    labelNames: ['group'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Serves the relay's gauges from now on: only a process that runs a relay has them, so no other reports a lag of 0. */
  serveRelayGauges(): void {
    const gauges = { crescent_relay_lease_held: this.relayLeaseHeld, crescent_relay_lag_events: this.relayLagEvents, crescent_relay_lag_seconds: this.relayLagSeconds, crescent_relay_dead_letters: this.deadLetterDepth };
    for (const [name, gauge] of Object.entries(gauges)) if (!this.registry.getSingleMetric(name)) this.registry.registerMetric(gauge);
  }
}

/** A gauge of the relay's, registered only where a relay runs (`serveRelayGauges`). */
function relayGauge(name: string, help: string): Gauge {
  return new Gauge({ name, help, registers: [] });
}

/** This process's instruments. */
export const metrics = new Metrics();
