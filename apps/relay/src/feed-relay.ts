import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { CheckpointStore, EventStore, FeedSubscription, Fence, GlobalPosition, StoredEvent } from '@crescent/event-store';
import { DisclosureEntry, DisclosureLedger } from '@crescent/ledger';
import { deadLetterTopic, MessageBus, toCloudEventMessage } from '@crescent/messaging';
import { SqlClient } from '@crescent/sql';
import { DeadLetterStore, toFeedEvents } from '@crescent/runtime';
import { deciderFor, DomainError } from '@crescent/domain';
import { FactsNotLoaded } from '@crescent/policy';
import { contextOf, metrics, SpanKind, SpanStatusCode, startSpan } from '@crescent/observability';
import { consentRetraction, decodeFact, Deliveries, encodeFact, FactChange, FactKey, FactName, isRetractedBy, RELAY_SOURCE, Relayed, Retraction } from './deliveries';
import { RelayFactStore } from './relay-fact-store';

export const RELAY_CHECKPOINT = 'relay';
/** Feed events a batch takes at most. */
export const RELAY_BATCH_SIZE = 200;
const PUBLISH_ATTEMPTS = 3;
/** Longer than any batch: after it, nothing more can be delivered under a consent that expired. */
const EXPIRY_SETTLED_MS = 5 * 60_000;

export interface FeedRelayDependencies {
  readonly store: EventStore;
  readonly bus: MessageBus;
  readonly checkpoints: CheckpointStore;
  readonly ledger: DisclosureLedger;
  readonly deadLetters: DeadLetterStore;
  /** Where what the relay folded is kept: written with the checkpoint, read as deliveries need it. */
  readonly facts: RelayFactStore;
  readonly topicNamespace: string;
  /** The relay's lease: its ledger, dead-letter and checkpoint writes happen only while it holds. */
  readonly fence: Fence;
}

/**
 * The relay's work on the feed. Each batch: project every event for every recipient (the retractions
 * a revocation or a seal calls for included), publish all of it in one batch, write the disclosures to
 * the ledger, then move the checkpoint, with the facts the batch changed. Three batches are at work at
 * once, each a stage further: one is projected while the one before is on the wire and the one before
 * that is being recorded. Batches are published in feed order, each once the one before is
 * acknowledged, and their writes follow one another, so the checkpoint never passes an event whose
 * messages the broker has not acknowledged or whose disclosures are not on record. An event that
 * cannot be projected, or whose messages the broker refuses for good, is dead-lettered with its reason
 * and the batch goes on; a broker that is merely unavailable, or a read the projection needs that
 * fails, fails the batch, which is retried from the checkpoint.
 */
export class FeedRelay {
  private readonly logger = new Logger('relay');
  /** The batch on the wire: resolved once the broker has acknowledged it (or refused it). */
  private sending: Promise<void> = Promise.resolve();
  /** The writes of the batches published so far, one after another... */
  private recording: Promise<void> = Promise.resolve();
  /** ...and those of all but the latest: a batch is sent only once these are done, so the writes never fall far behind. */
  private recordingBeforeLatest: Promise<void> = Promise.resolve();
  /** Set when a send or a write failed: nothing more is published until the relay restarts from the checkpoint. */
  private failure: { readonly error: unknown } | undefined;
  /** What the batches published but not yet on record delivered (their recipients hold it already), and the facts they changed. */
  private readonly unrecorded = new Set<{ entries: readonly DisclosureEntry[]; readonly facts: readonly FactChange[] }>();
  /** Ends the feed subscription `follow` started, if any. */
  private stopFollowing: () => void = () => undefined;

  constructor(private readonly deps: FeedRelayDependencies) {}

  /** Follows the feed after `after` (catching up, then live), batch after batch as above, until stopped or failed. */
  follow(deliveries: Deliveries, after: GlobalPosition | undefined): FeedSubscription {
    const subscription = this.deps.store.subscribeToAll({ after, batchSize: RELAY_BATCH_SIZE, onEvents: (events) => this.publishBatch(deliveries, events) });
    this.stopFollowing = () => void subscription.stop().catch(() => undefined);
    // Stopped or failed, the batches already projected are still sent and recorded (or fail) first.
    const done = subscription.done.finally(() => this.recorded());
    return { done, stop: () => subscription.stop().then(() => done, () => done) };
  }

  /** One batch, start to end: resolves once its disclosures are on record and the checkpoint has passed it. */
  async relayBatch(deliveries: Deliveries, events: readonly StoredEvent[]): Promise<void> {
    await this.publishBatch(deliveries, events);
    await this.recorded();
  }

  /** Waits for every batch in flight to be sent and recorded; a failure is thrown, and the relay can start over from the checkpoint. */
  private async recorded(): Promise<void> {
    try {
      await this.recording;
    } finally {
      this.sending = this.recording = this.recordingBeforeLatest = Promise.resolve();
      this.failure = undefined;
      this.unrecorded.clear();
    }
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }

  /**
   * Projects a batch, then, once the batch before is acknowledged and the writes before that are done,
   * puts it on the wire and queues its writes (dead letters, ledger, checkpoint) behind the previous
   * batch's. Returns without waiting for the broker, so the next batch is read and projected meanwhile.
   */
  private async publishBatch(deliveries: Deliveries, events: readonly StoredEvent[]): Promise<void> {
    this.throwIfFailed();
    deliveries.evict([...this.unrecorded].flatMap(({ facts }) => facts));
    // What the batch's events surely need, read ahead in two round trips (their records, then what those name) rather than one an event.
    const feedEvents = toFeedEvents(events);
    for (let round = 0; round < 2; round++) await this.load(deliveries, deliveries.wanted(feedEvents));
    const relayed: { stored: StoredEvent; relayed: Relayed }[] = [];
    const dead: { stored: StoredEvent; error: unknown }[] = [];
    const disclosures: DisclosureEntry[] = [];
    // One span per event, from its projection to its disclosures on record, in the trace its write carried.
    const spans = events.map((stored) => startSpan(`relay ${stored.type}`, { kind: SpanKind.PRODUCER, parent: contextOf(traceparentOf(stored)), attributes: { 'crescent.event_type': stored.type } }).span);
    const endSpans = () => {
      const deadIds = new Set(dead.map(({ stored }) => stored.id));
      events.forEach((stored, index) => {
        if (deadIds.has(stored.id)) spans[index].setStatus({ code: SpanStatusCode.ERROR, message: 'dead-lettered' });
        spans[index].end();
      });
    };
    const held = () => [...[...this.unrecorded].flatMap(({ entries }) => entries), ...disclosures];
    for (const stored of events) {
      try {
        const outcome = await this.withFacts(deliveries, () => deliveries.deliver(stored));
        const retracted = await this.consequences(deliveries, outcome, stored, held);
        relayed.push({ stored, relayed: retracted });
        disclosures.push(...retracted.disclosures);
      } catch (error) {
        if (error instanceof ReadFailed) {
          endSpans();
          throw error;
        }
        dead.push({ stored, error });
      }
    }
    // Until it is on the wire the recipients may hold all of it; once sent, what the broker took.
    const pending = { entries: disclosures as readonly DisclosureEntry[], facts: deliveries.takeChanges() };
    this.unrecorded.add(pending);
    await Promise.all([this.sending, this.recordingBeforeLatest]).catch(() => undefined);
    if (this.failure) {
      this.unrecorded.delete(pending);
      endSpans();
      this.throwIfFailed();
    }
    const sent = this.publish(relayed, dead).then((published) => (pending.entries = published.flatMap((item) => item.relayed.disclosures)));
    const position = events[events.length - 1].position;
    const written = Promise.all([sent, this.recording]).then(async ([entries]) => {
      await this.deadLetter(dead);
      // The checkpoint passes the batch, with the facts it changed, in the transaction that puts its disclosures on record (and checks the fence).
      await this.recordDisclosures(entries, async (tx) => {
        await this.deps.checkpoints.within(tx).save(RELAY_CHECKPOINT, position);
        await this.deps.facts.within(tx).save(pending.facts.map((change) => ({ facts: change.facts, key: change.key, ...encodeFact(change) })), position);
      });
    });
    const fail = (error: unknown) => {
      this.failure ??= { error };
      // Nothing more goes out until the relay starts over from the checkpoint: end the subscription now,
      // so `done` fails at once rather than at the next event, which a quiet feed may not bring for hours.
      this.stopFollowing();
    };
    this.sending = sent.then(() => undefined, fail);
    this.recordingBeforeLatest = this.recording;
    this.recording = written.finally(() => {
      this.unrecorded.delete(pending);
      endSpans();
    });
    this.recording.catch(fail);
  }

  /** Re-drives the dead letters an administrator asked for, with the disclosure state as it is now. */
  async replayRequested(deliveries: Deliveries): Promise<number> {
    const requested = await this.deps.deadLetters.list('replay-requested');
    for (const letter of requested) {
      const [stored] = await this.deps.store.readStream(letter.streamId, { fromRevision: letter.revision });
      if (!stored || stored.id !== letter.eventId) continue;
      const dead: { stored: StoredEvent; error: unknown }[] = [];
      let relayed: Relayed | undefined;
      try {
        relayed = await this.withFacts(deliveries, () => deliveries.redeliver(stored));
      } catch (error) {
        if (error instanceof ReadFailed) throw error;
        dead.push({ stored, error });
      }
      const published = relayed ? await this.publish([{ stored, relayed }], dead) : [];
      await this.deadLetter(dead);
      await this.recordDisclosures(published.flatMap(({ relayed: { disclosures } }) => disclosures));
      if (dead.length === 0) await this.deps.deadLetters.markReplayed(letter.eventId, this.deps.fence);
    }
    return requested.length;
  }

  /**
   * A consent that expires takes back what rested on it, as a revocation does: each holder once, by the
   * ledger (a restart repeats nothing), in the one shape every retraction has. Run by the active relay
   * at intervals. A consent is looked at again until it has been expired longer than any batch takes
   * (a batch begun before the expiry may still record a delivery under it), then no more: the relay's
   * facts have it due no more.
   */
  async retractExpired(deliveries: Deliveries, nowMs = Date.now()): Promise<number> {
    const handled: string[] = [];
    const retracted: Relayed[] = [];
    const due = await this.deps.facts.due('consents', nowMs);
    for (const { consentId, referralId, expiresAtMs } of await this.withFacts(deliveries, () => deliveries.expiredConsents(due, nowMs))) {
      const retraction = consentRetraction(referralId, consentId);
      const entries = (await this.deps.ledger.byRecord('victim-referral', referralId)).map((row) => row.entry);
      const taken = new Set(entries.filter((entry) => entry.kind === 'retraction' && entry.consentIds.includes(consentId)).map((entry) => entry.recipientAgencyId));
      const holders = [...new Set(entries.filter((entry) => isRetractedBy(retraction, entry) && !taken.has(entry.recipientAgencyId)).map((entry) => entry.recipientAgencyId))];
      retracted.push(await this.withFacts(deliveries, () => deliveries.retract(retraction, holders, `${consentId}:expired`)));
      if (expiresAtMs <= nowMs - EXPIRY_SETTLED_MS) handled.push(consentId);
    }
    await this.withRetries(() => this.deps.bus.publish(retracted.flatMap((relayed) => relayed.messages)));
    await this.recordDisclosures(retracted.flatMap((relayed) => relayed.disclosures));
    await this.deps.facts.settle('consents', handled, nowMs - EXPIRY_SETTLED_MS, this.deps.fence);
    return retracted.reduce((count, relayed) => count + relayed.disclosures.length, 0);
  }

  /** Runs `work` against the deliveries' state, loading first each fact it finds not loaded (see `Deliveries`). */
  private async withFacts<T>(deliveries: Deliveries, work: () => T): Promise<T> {
    for (;;) {
      try {
        return work();
      } catch (error) {
        if (!(error instanceof FactsNotLoaded)) throw error;
        const facts = error.facts as FactName;
        if (error.key !== undefined) await this.load(deliveries, [{ facts, key: error.key }]);
        else {
          const generation = deliveries.generation;
          const rows = await reading(this.deps.facts.loadAll(facts));
          deliveries.loadWhole(facts, rows.map(([key, value]) => [key, decodeFact(facts, value)] as const), generation);
        }
      }
    }
  }

  /** Reads these facts from the store into the deliveries' windows. */
  private async load(deliveries: Deliveries, wanted: readonly FactKey[]): Promise<void> {
    if (wanted.length === 0) return;
    const generation = deliveries.generation;
    const found = new Map((await reading(this.deps.facts.load(wanted))).map((row) => [`${row.facts}/${row.key}`, row]));
    for (const facts of new Set(wanted.map((fact) => fact.facts))) {
      const loaded = wanted.filter((fact) => fact.facts === facts).map(({ key }) => {
        const row = found.get(`${facts}/${key}`);
        return [key, row && decodeFact(facts, row.value)] as const;
      });
      deliveries.load(facts, loaded, generation);
    }
  }

  /** Writes what was published to the ledger (fenced), then counts it: a delivery counts once it is on record. */
  private async recordDisclosures(entries: readonly DisclosureEntry[], alongside?: (tx: SqlClient) => Promise<void>): Promise<void> {
    await this.deps.ledger.record(entries, this.deps.fence, alongside);
    for (const { kind, recipientAgencyId, recordType } of entries) {
      (kind === 'retraction' ? metrics.retractions : metrics.deliveries).inc({ recipient_agency: recipientAgencyId, record_type: recordType });
    }
  }

  /**
   * Adds to an event's deliveries what else it calls for: the retractions, sent to whoever holds what
   * each takes back; for each reassessed agency, every record of the type it holds, retracted first
   * where its entitlement may have narrowed, then sent again as it stands; and the snapshots asked for.
   */
  private async consequences(deliveries: Deliveries, outcome: Relayed, cause: StoredEvent, pending: () => readonly DisclosureEntry[]): Promise<Relayed> {
    if (!outcome.retractions?.length && !outcome.reassessments?.length && !outcome.snapshots?.length) return outcome;
    const parts = [outcome];
    const held = [...pending(), ...outcome.disclosures];
    for (const retraction of outcome.retractions ?? []) {
      const holders = await this.holders(retraction, held);
      parts.push(await this.withFacts(deliveries, () => deliveries.retract(retraction, holders, cause.id)));
    }
    const snapshots = [...(outcome.snapshots ?? [])];
    // An agency reassessed for several record types (a jurisdiction changed) has its ledger read once.
    const ledgers = new Map<string, Promise<DisclosureEntry[]>>();
    for (const { agencyId, recordType, narrowed } of outcome.reassessments ?? []) {
      if (!ledgers.has(agencyId)) ledgers.set(agencyId, this.receivedBy(agencyId, held));
      for (const recordId of heldOf(await ledgers.get(agencyId)!, agencyId, recordType)) {
        const record = { recordType, recordId };
        if (narrowed) parts.push(await this.withFacts(deliveries, () => deliveries.retract({ ...record, heldIn: record, recipientAgencyIds: [agencyId] }, [agencyId], cause.id)));
        snapshots.push({ ...record, recipientAgencyIds: [agencyId] });
      }
    }
    for (const request of snapshots) {
      const stream = await reading(this.deps.store.readStream(deciderFor(request.recordType).streamId(request.recordId)));
      parts.push(await this.withFacts(deliveries, () => deliveries.snapshot(request, stream, cause.id)));
    }
    return { messages: parts.flatMap((part) => part.messages), disclosures: parts.flatMap((part) => part.disclosures) };
  }

  /** What an agency received: by the ledger, and by the entries not yet in it. */
  private async receivedBy(agencyId: string, pending: readonly DisclosureEntry[]): Promise<DisclosureEntry[]> {
    return [...(await reading(this.deps.ledger.byRecipient(agencyId))).map((row) => row.entry), ...pending];
  }

  /** Who holds deliveries the retraction takes back: by the ledger, and by the entries not yet in it. */
  private async holders(retraction: Retraction, pending: readonly DisclosureEntry[]): Promise<string[]> {
    const { recordType, recordId } = retraction.heldIn;
    const entries = [...(await reading(this.deps.ledger.byRecord(recordType, recordId))).map((row) => row.entry), ...pending];
    return [...new Set(entries.filter((entry) => isRetractedBy(retraction, entry)).map((entry) => entry.recipientAgencyId))];
  }

  /** Publishes everything in one batch; when the broker refuses it for good, event by event. Returns what was published. */
  private async publish<T extends { stored: StoredEvent; relayed: Relayed }>(items: T[], dead: { stored: StoredEvent; error: unknown }[]): Promise<T[]> {
    try {
      await this.withRetries(() => this.deps.bus.publish(items.flatMap(({ relayed }) => relayed.messages)));
      return items;
    } catch (error) {
      if (isRetriable(error)) throw error;
    }
    const published: T[] = [];
    for (const item of items) {
      try {
        await this.deps.bus.publish(item.relayed.messages);
        published.push(item);
      } catch (error) {
        if (isRetriable(error)) throw error;
        dead.push({ stored: item.stored, error });
      }
    }
    return published;
  }

  private async deadLetter(dead: readonly { stored: StoredEvent; error: unknown }[]): Promise<void> {
    if (dead.length === 0) return;
    const deadAt = new Date().toISOString();
    const letters = dead.map(({ stored, error }) => ({ eventId: stored.id, streamId: stored.streamId, revision: stored.revision, reason: reasonOf(error), deadAt }));
    await this.deps.deadLetters.add(letters, this.deps.fence);
    // Identifiers and the reason only: a dead letter carries no field of the record.
    await this.deps.bus.publish(
      letters.map((letter) =>
        toCloudEventMessage(
          deadLetterTopic(this.deps.topicNamespace),
          {
            id: `${letter.eventId}:dead-letter`,
            source: RELAY_SOURCE,
            type: 'crescent.DeliveryDeadLettered.v1',
            subject: letter.eventId,
            time: deadAt,
            dataschema: 'urn:crescent:schema:DeliveryDeadLettered:1',
            extensions: {},
          },
          letter,
        ),
      ),
    );
    for (const letter of letters) this.logger.warn(`dead-lettered event ${letter.eventId}: ${letter.reason}`);
  }

  private async withRetries(publish: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await publish();
      } catch (error) {
        if (attempt >= PUBLISH_ATTEMPTS || !isRetriable(error)) throw error;
        await sleep(100 * 2 ** attempt);
      }
    }
  }
}

/**
 * A read the projection of a batch depends on failed (the relay's facts, the ledger, a record's
 * stream: the database, most likely). Not the event's fault: the batch fails and is retried from the
 * checkpoint, and no event of it is dead-lettered.
 */
class ReadFailed extends Error {
  override readonly name = 'ReadFailed';

  constructor(cause: unknown) {
    super('a read the batch depends on failed', { cause });
  }
}

function reading<T>(read: Promise<T>): Promise<T> {
  return read.catch((error: unknown) => {
    throw new ReadFailed(error);
  });
}

/** The records of a type an agency holds among these entries: delivered or sent whole to it. */
function heldOf(entries: readonly DisclosureEntry[], agencyId: string, recordType: string): string[] {
  const holds = (entry: DisclosureEntry) => entry.recipientAgencyId === agencyId && entry.recordType === recordType && entry.kind !== 'retraction';
  return [...new Set(entries.filter(holds).map((entry) => entry.recordId))];
}

/** The W3C traceparent the event's write carried in its metadata, if any. */
function traceparentOf(stored: StoredEvent): string | undefined {
  const traceparent = (stored.metadata as { traceparent?: unknown } | null)?.traceparent;
  return typeof traceparent === 'string' ? traceparent : undefined;
}

/** kafkajs marks errors a retry cannot fix (a message too large, an invalid record) as not retriable. */
function isRetriable(error: unknown): boolean {
  return (error as { retriable?: unknown } | null)?.retriable !== false;
}

function reasonOf(error: unknown): string {
  if (error instanceof DomainError) return error.code;
  return error instanceof Error ? error.name : typeof error;
}
