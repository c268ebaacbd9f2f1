import { createHmac } from 'node:crypto';
import { StoredEvent } from '@crescent/event-store';
import { Delivery, disclosureEntryFor, DisclosureEntry } from '@crescent/ledger';
import { BusMessage, CloudEventAttributes, outboundTopic, toCloudEventMessage } from '@crescent/messaging';
import {
  agenciesOf,
  agencyById,
  consentsLosingTheirGuardian,
  ConsentFacts,
  DisclosureState,
  evolveDisclosureState,
  FactsNotLoaded,
  FeedEvent,
  initialDisclosureState,
  narrows,
  needToKnowHolds,
  PersistentMap,
  policyFor,
  Projection,
  PseudonymKeys,
  ProjectionCache,
  projectForRecipient,
  pseudonymize,
  RecordFacts,
  recordIdsOf,
  recordKey,
  subscriptionsFor,
  subscriptionsOf,
} from '@crescent/policy';
import { deciderFor, RecordType, SHARABLE_RECORD_TYPES, SharableRecordType } from '@crescent/domain';
import { toFeedEvent } from '@crescent/runtime';

export const RELAY_SOURCE = 'urn:crescent:relay';

/** What relaying one event yields: the messages, the ledger's account of them, and what it takes back, if anything. */
export interface Relayed {
  readonly messages: BusMessage[];
  readonly disclosures: DisclosureEntry[];
  /** What recipients holding these deliveries may no longer keep: a revocation, a seal, an entitlement narrowed. */
  readonly retractions?: readonly Retraction[];
  /** Records to send whole, as they stand now, to recipients newly entitled to them: a consent recorded, a subscription with backfill. */
  readonly snapshots?: readonly SnapshotRequest[];
  /** Agencies whose entitlement to a record type changed: a policy published, a subscription ended. */
  readonly reassessments?: readonly Reassessment[];
}

/** A record to send whole, as it stands now (one `RecordSnapshot` each), to these recipients. */
export interface SnapshotRequest {
  readonly recordType: SharableRecordType;
  readonly recordId: string;
  readonly recipientAgencyIds: readonly string[];
  /** Only on this subscription's topic (a backfill); otherwise on every topic the recipient takes the record on. */
  readonly subscriptionId?: string;
}

/**
 * An agency whose entitlement to a record type changed. Each record of the type it holds is sent
 * again as it stands now (a snapshot, where anything is left for it); where the entitlement may have
 * narrowed, a retraction goes first, so the recipient keeps only what the snapshot gives.
 */
export interface Reassessment {
  readonly agencyId: string;
  readonly recordType: SharableRecordType;
  readonly narrowed: boolean;
}

export interface RecordRef {
  readonly recordType: RecordType;
  readonly recordId: string;
}

/**
 * A record recipients may no longer keep, and which deliveries that reaches. Each filter left out
 * narrows nothing: `{ ...record, heldIn: record }` takes back every delivery of the record from everyone.
 */
export interface Retraction extends RecordRef {
  /** The record whose deliveries carried it, and whose topics and key the retraction takes: the record itself, or a case linking to it. */
  readonly heldIn: RecordRef;
  /** Only deliveries that rested on this consent. */
  readonly consentId?: string;
  /** Only these deliveries (events) of `heldIn`: the links that name the record. */
  readonly eventIds?: readonly string[];
  /** The case's link naming the record: the retraction names it as that link gave it to each recipient (a pseudonym, say). */
  readonly link?: FeedEvent;
  /** Only these recipients: an entitlement narrowed for them alone. */
  readonly recipientAgencyIds?: readonly string[];
}

/** What a consent released of its victim's referral: revoked, expired, or its minor's guardian now a suspect. */
export function consentRetraction(referralId: string, consentId: string): Retraction {
  const referral: RecordRef = { recordType: 'victim-referral', recordId: referralId };
  return { ...referral, heldIn: referral, consentId };
}

/**
 * Whether a ledger entry is a delivery the retraction takes back. A snapshot holds every event of its
 * record it was given, so a retraction of some events (a link) reaches it whichever those were.
 */
export function isRetractedBy(retraction: Retraction, entry: DisclosureEntry): boolean {
  return (
    (entry.kind === 'delivery' || entry.kind === 'snapshot') &&
    entry.recordType === retraction.heldIn.recordType &&
    entry.recordId === retraction.heldIn.recordId &&
    (retraction.consentId === undefined || entry.consentIds.includes(retraction.consentId)) &&
    (retraction.eventIds === undefined || entry.kind === 'snapshot' || retraction.eventIds.includes(entry.eventId)) &&
    (retraction.recipientAgencyIds === undefined || retraction.recipientAgencyIds.includes(entry.recipientAgencyId))
  );
}

/** A case's link naming an arrest record. */
interface ArrestLink {
  readonly caseId: string;
  readonly eventId: string;
  readonly link: FeedEvent;
}

/** All the relay has folded from the feed up to one place in it. Immutable. */
export interface Folded {
  readonly state: DisclosureState;
  /** The case links naming each arrest record: what points at it, should it be sealed. */
  readonly arrestLinks: PersistentMap<readonly ArrestLink[]>;
  /** Each record's newest revision the relay has reached (`<recordType>/<recordId>`): how far a snapshot of it goes. */
  readonly reached: PersistentMap<number>;
}

/** What decides who takes part and by which rules: few, and held whole. */
export const DIRECTORY_FACTS = ['agencies', 'agencyIdByCredential', 'policies', 'policyIndex', 'subscriptions'] as const;
/** What grows with the records: held in windows, as much as the work at hand needs (`Deliveries.windowed`). */
const RECORD_FACTS = ['records', 'consents', 'consentIdsByReferral', 'arrestIdsByReferral', 'caseIdsByReferral', 'arrestLinks', 'reached'] as const;
export const FACT_NAMES = [...DIRECTORY_FACTS, ...RECORD_FACTS] as const;
export type FactName = (typeof FACT_NAMES)[number];
type FactMaps = Record<FactName, PersistentMap<unknown>>;

/** One key of one of the relay's maps. */
export interface FactKey {
  readonly facts: FactName;
  readonly key: string;
}

/** A key's new value: what a batch writes to the relay's facts. */
export interface FactChange extends FactKey {
  readonly value: unknown;
}

function mapsOf({ state, arrestLinks, reached }: Folded): FactMaps {
  return { ...state, arrestLinks, reached };
}

function foldedOf({ arrestLinks, reached, ...state }: FactMaps): Folded {
  return { state: state as unknown as DisclosureState, arrestLinks: arrestLinks as Folded['arrestLinks'], reached: reached as Folded['reached'] };
}

const NOTHING_FOLDED: Folded = { state: initialDisclosureState, arrestLinks: PersistentMap.empty(), reached: PersistentMap.empty() };

/** Records' facts held at most (loaded or set since the last eviction) by a windowed relay, before it lets go of those on record. */
export const FACTS_HELD_AT_MOST = 20_000;

/** A fact as its row keeps it: JSON, a consent's sets as lists; a consent in force falls due when it expires. */
export function encodeFact({ facts, value }: FactChange): { value: string; dueMs: number | null } {
  if (facts !== 'consents') return { value: JSON.stringify(value), dueMs: null };
  const consent = value as ConsentFacts;
  const text = JSON.stringify({ ...consent, recipientAgencyIds: [...consent.recipientAgencyIds], purposes: [...consent.purposes] });
  return { value: text, dueMs: consent.revoked ? null : consent.expiresAtMs };
}

export function decodeFact(facts: FactName, text: string): unknown {
  const value = JSON.parse(text);
  return facts === 'consents' ? { ...value, recipientAgencyIds: new Set(value.recipientAgencyIds), purposes: new Set(value.purposes) } : value;
}

/**
 * Walks the feed in order, keeping the disclosure state (agencies, policies, consents, seals) as of
 * each event, and turns each event into one message per entitled recipient, cut by the engine.
 *
 * Held whole, it folds everything in memory (a rebuild from the feed, and the tests). Windowed, it
 * holds the directory whole and of the records' facts only what was loaded into it or set since:
 * a read of anything else throws `FactsNotLoaded`, leaving the state as it was, and the caller
 * loads what it names (`load`, `loadWhole`) and asks again.
 */
export class Deliveries {
  private state: DisclosureState;
  private arrestLinks: Folded['arrestLinks'];
  private reached: Folded['reached'];
  /** The state as it was when its changes were last taken, with what was loaded since: what `takeChanges` compares with. */
  private taken: Folded;
  /** Bumped by each eviction: facts read before it may be older than what it let go of, and are not loaded. */
  private evictions = 0;
  /** Keys loaded or set since the last eviction, at least as many as the windows hold. */
  private held = 0;
  /** The policies compiled and looked up, event after event. */
  private readonly cache = new ProjectionCache();

  /** `from`: what was folded up to the place in the feed where this walk begins (by default, its start). */
  constructor(
    private readonly topicNamespace: string,
    private readonly keys: PseudonymKeys,
    from: Folded = NOTHING_FOLDED,
    private readonly heldAtMost = Infinity,
  ) {
    ({ state: this.state, arrestLinks: this.arrestLinks, reached: this.reached } = from);
    this.taken = from;
  }

  /** Holding the directory given (whole) and of the records' facts nothing yet; letting go of those on record beyond `heldAtMost`. */
  static windowed(topicNamespace: string, keys: PseudonymKeys, directory: Partial<Record<FactName, PersistentMap<unknown>>>, heldAtMost = FACTS_HELD_AT_MOST): Deliveries {
    const maps = { ...mapsOf(NOTHING_FOLDED), ...directory } as FactMaps;
    for (const facts of RECORD_FACTS) maps[facts] = PersistentMap.window(facts);
    return new Deliveries(topicNamespace, keys, foldedOf(maps), heldAtMost);
  }

  /** What it has folded so far: every event replayed or delivered. */
  folded(): Folded {
    return { state: this.state, arrestLinks: this.arrestLinks, reached: this.reached };
  }

  private restore({ state, arrestLinks, reached }: Folded): void {
    [this.state, this.arrestLinks, this.reached] = [state, arrestLinks, reached];
  }

  /** Counts evictions: what is loaded must have been read after the last (see `load`). */
  get generation(): number {
    return this.evictions;
  }

  /**
   * Adds facts read from the relay's store, each key with its value or as absent, unless an eviction
   * came after `generation` (they may be older than what it let go of). A key held keeps its value.
   */
  load(facts: FactName, loaded: readonly (readonly [key: string, value: unknown])[], generation: number): void {
    if (generation !== this.evictions) return;
    this.changeBoth(facts, (map) => map.withLoaded(loaded));
    this.held += loaded.length;
  }

  /** Adds every fact of `facts` the store keeps (as `load`), and holds that map whole until the next eviction. */
  loadWhole(facts: FactName, loaded: readonly (readonly [key: string, value: unknown])[], generation: number): void {
    this.load(facts, loaded, generation);
    if (generation !== this.evictions) return;
    this.changeBoth(facts, (map) => map.whole());
  }

  /** Changes one map alike in the state and in what `takeChanges` compares with: loading is no change to write. */
  private changeBoth(facts: FactName, change: (map: PersistentMap<unknown>) => PersistentMap<unknown>): void {
    const changed = (folded: Folded) => {
      const maps = mapsOf(folded);
      return foldedOf({ ...maps, [facts]: change(maps[facts]) });
    };
    this.restore(changed(this.folded()));
    this.taken = changed(this.taken);
  }

  /** What the state holds that changed since they were last taken: what the batch that changed them writes. */
  takeChanges(): FactChange[] {
    const [now, then] = [mapsOf(this.folded()), mapsOf(this.taken)];
    this.taken = this.folded();
    const changes = FACT_NAMES.flatMap((facts) => now[facts].changesSince(then[facts]).map(([key, value]): FactChange => ({ facts, key, value })));
    this.held += changes.length;
    return changes;
  }

  /**
   * Beyond `heldAtMost`, lets go of the records' facts but those in `unrecorded` (the changes of
   * batches not yet on record, which the store does not have yet). Only between batches: whatever
   * changed must have been taken.
   */
  evict(unrecorded: readonly FactKey[]): void {
    if (this.held <= this.heldAtMost) return;
    const maps = mapsOf(this.folded());
    const kept = { ...maps };
    for (const facts of RECORD_FACTS) kept[facts] = PersistentMap.window(facts);
    for (const { facts, key } of unrecorded) {
      if (RECORD_FACTS.includes(facts as (typeof RECORD_FACTS)[number])) kept[facts] = kept[facts].set(key, maps[facts].get(key));
    }
    this.restore(foldedOf(kept));
    this.taken = this.folded();
    this.evictions++;
    this.held = unrecorded.length;
  }

  /**
   * The facts these events (as `toFeedEvent` reads them) will surely be read against that the windows do not hold: each event's
   * record, and the matter of the victims it concerns as far as what is held names it. Loading them
   * first spares a round trip per event; anything else is loaded when a read asks for it.
   */
  wanted(feedEvents: readonly FeedEvent[]): FactKey[] {
    const maps = mapsOf(this.folded());
    const wanted = new Map<string, FactKey>();
    const peek = (facts: FactName, key: string): unknown => (maps[facts].holds(key) ? maps[facts].get(key) : undefined);
    const want = (facts: FactName, key: string) => {
      if (!maps[facts].holds(key)) wanted.set(`${facts}/${key}`, { facts, key });
    };
    for (const { recordType, recordId, event } of feedEvents) {
      const own = recordKey(recordType, recordId);
      want('records', own);
      want('reached', own);
      const data = event.data as { consentId?: unknown; referralId?: unknown; victimReferralIds?: unknown; recordType?: unknown; recordId?: unknown };
      if (typeof data.consentId === 'string') want('consents', data.consentId);
      if (recordType === 'arrest-record') want('arrestLinks', recordId);
      const referralIds = new Set<string>((peek('records', own) as RecordFacts | undefined)?.victimReferralIds ?? []);
      if (recordType === 'victim-referral') referralIds.add(recordId);
      if (typeof data.referralId === 'string') referralIds.add(data.referralId);
      if (Array.isArray(data.victimReferralIds)) data.victimReferralIds.forEach((referralId) => referralIds.add(String(referralId)));
      if (data.recordType === 'victim-referral' && typeof data.recordId === 'string') referralIds.add(data.recordId);
      for (const referralId of referralIds) {
        want('records', recordKey('victim-referral', referralId));
        want('consentIdsByReferral', referralId);
        want('arrestIdsByReferral', referralId);
        want('caseIdsByReferral', referralId);
        for (const consentId of (peek('consentIdsByReferral', referralId) as string[] | undefined) ?? []) want('consents', consentId);
        for (const arrestId of (peek('arrestIdsByReferral', referralId) as string[] | undefined) ?? []) want('records', recordKey('arrest-record', arrestId));
        for (const caseId of (peek('caseIdsByReferral', referralId) as string[] | undefined) ?? []) want('records', recordKey('case', caseId));
      }
    }
    return [...wanted.values()];
  }

  /** Takes an event into the state without delivering it: replaying the feed up to the checkpoint. */
  replay(stored: StoredEvent): void {
    const feedEvent = toFeedEvent(stored);
    if (feedEvent) this.evolve(stored, feedEvent);
  }

  /**
   * Delivers one event; the state includes the event, so a revocation or a seal applies to it too.
   * A fact not loaded (`FactsNotLoaded`) leaves the state as it was, to deliver the event again once
   * it is; any other failure leaves the event folded in, as every event is, delivered or not.
   */
  deliver(stored: StoredEvent): Relayed {
    const feedEvent = toFeedEvent(stored);
    if (!feedEvent) return { messages: [], disclosures: [] };
    const before = this.folded();
    try {
      const retractions = this.retractionsFor(feedEvent);
      this.evolve(stored, feedEvent);
      const narrowed = [...this.guardianRetractions(before.state, feedEvent), ...this.teamRetractions(feedEvent)];
      return {
        ...this.project(stored, feedEvent),
        retractions: [...retractions, ...narrowed],
        snapshots: this.snapshotsFor(before.state, feedEvent),
        reassessments: this.reassessmentsFor(before.state, feedEvent),
      };
    } catch (error) {
      if (error instanceof FactsNotLoaded) this.restore(before);
      throw error;
    }
  }

  /**
   * Those of the consents named (those the store has due by `nowMs`) that stood until they expired:
   * what rested on them goes back (a revoked one went back already).
   */
  expiredConsents(consentIds: readonly string[], nowMs: number): { readonly consentId: string; readonly referralId: string; readonly expiresAtMs: number }[] {
    return consentIds
      .map((consentId) => this.state.consents.get(consentId))
      .filter((consent) => consent !== undefined && !consent.revoked && consent.expiresAtMs <= nowMs)
      .map((consent) => ({ consentId: consent!.consentId, referralId: consent!.referralId, expiresAtMs: consent!.expiresAtMs }));
  }

  /** Delivers an event again with the state as it is now, leaving the state alone: a dead letter's replay. */
  redeliver(stored: StoredEvent): Relayed {
    const feedEvent = toFeedEvent(stored);
    return feedEvent ? this.project(stored, feedEvent) : { messages: [], disclosures: [] };
  }

  /**
   * Takes a record back from the recipients named: a `RecordRetracted` message on every topic each
   * one subscribed to for the holding record's type, and a ledger entry. One shape whatever the
   * cause (a cause may itself be protected): the same type and data, no correlation id, the time it
   * is produced, and an id no recipient can link to the cause.
   */
  retract(retraction: Retraction, recipientAgencyIds: readonly string[], causeId: string): Relayed {
    const { heldIn } = retraction;
    const relayed: Relayed = { messages: [], disclosures: [] };
    const producedAt = new Date().toISOString();
    for (const recipientAgencyId of recipientAgencyIds) {
      const topics = [
        ...new Set(
          subscriptionsOf(this.state)
            .filter((subscription) => subscription.agencyId === recipientAgencyId && subscription.recordType === heldIn.recordType)
            .map((subscription) => outboundTopic(this.topicNamespace, recipientAgencyId, heldIn.recordType, subscription.schemaVersion)),
        ),
      ].filter((topic) => topic !== undefined);
      if (topics.length === 0) continue;
      const id = messageId(this.keys(recipientAgencyId).secret, ['retraction', heldIn.recordType, heldIn.recordId, retraction.recordType, retraction.recordId, causeId]);
      const attributes: CloudEventAttributes = {
        id,
        source: RELAY_SOURCE,
        type: 'crescent.RecordRetracted.v1',
        subject: heldIn.recordId,
        time: producedAt,
        dataschema: 'urn:crescent:schema:RecordRetracted:1',
        extensions: {},
      };
      const recordId = retraction.link ? this.linkedIdAsGiven(retraction.link, recipientAgencyId) : retraction.recordId;
      const data = { recordType: retraction.recordType, recordId };
      relayed.messages.push(...topics.map((topic) => toCloudEventMessage(topic, attributes, data)));
      relayed.disclosures.push({
        recipientAgencyId,
        eventId: id,
        recordType: heldIn.recordType,
        recordId: heldIn.recordId,
        policyId: 'retraction',
        policyVersion: 0,
        consentIds: retraction.consentId ? [retraction.consentId] : [],
        disclosedFields: [],
        withheldFields: [],
        kind: 'retraction',
        deliveredAt: producedAt,
      });
    }
    return relayed;
  }

  /**
   * A record as it stands now, for each recipient named: every event of it the relay has reached
   * (`stream` is the record's stream as read; what lies beyond is delivered in its turn) projected
   * under the disclosure state now, in one `RecordSnapshot` message per subscribed schema version, and
   * one ledger entry. A recipient left nothing receives nothing.
   */
  snapshot(request: SnapshotRequest, stream: readonly StoredEvent[], causeId: string): Relayed {
    const { recordType, recordId } = request;
    const relayed: Relayed = { messages: [], disclosures: [] };
    const producedAt = new Date().toISOString();
    const reached = this.reached.get(`${recordType}/${recordId}`) ?? -1;
    const feedEvents = stream.flatMap((stored) => {
      const feedEvent = stored.revision <= reached ? toFeedEvent(stored) : undefined;
      return feedEvent ? [{ stored, feedEvent }] : [];
    });
    for (const recipientAgencyId of request.recipientAgencyIds) {
      const recipient = agencyById(this.state, recipientAgencyId);
      const subscriptions = subscriptionsFor(this.state, recipientAgencyId, recordType, recordId).filter(
        (subscription) => request.subscriptionId === undefined || subscription.subscriptionId === request.subscriptionId,
      );
      const versions = new Set(subscriptions.map((subscription) => subscription.schemaVersion));
      if (!recipient || versions.size === 0) continue;
      const projected = feedEvents.flatMap(({ stored, feedEvent }) => {
        const projection = projectForRecipient(feedEvent, recipient, this.state, this.keys, { disclosedAt: producedAt, cache: this.cache });
        return projection ? [{ stored, feedEvent, projection }] : [];
      });
      const last = projected.at(-1);
      if (!last) continue;
      const id = messageId(this.keys(recipientAgencyId).secret, ['snapshot', recordType, recordId, causeId]);
      const attributes: CloudEventAttributes = {
        id,
        source: RELAY_SOURCE,
        type: 'crescent.RecordSnapshot.v1',
        subject: recordId,
        time: producedAt,
        dataschema: 'urn:crescent:schema:RecordSnapshot:1',
        extensions: { recordversion: String(last.stored.revision + 1), policyversion: String(last.projection.policyVersion) },
      };
      for (const version of versions) {
        const snapshotEvents = projected.map(({ stored, feedEvent, projection }) => {
          const { schemaVersion, payload } = atPinnedVersion(feedEvent, projection.payload, version);
          return { id: stored.id, type: `crescent.${feedEvent.event.type}.v${schemaVersion}`, time: stored.recordedAt, recordversion: stored.revision + 1, data: payload };
        });
        const topic = outboundTopic(this.topicNamespace, recipientAgencyId, recordType, version)!;
        relayed.messages.push(toCloudEventMessage(topic, attributes, { recordType, recordId, events: snapshotEvents }));
      }
      const union = (paths: (projection: Projection) => readonly string[]) => [...new Set(projected.flatMap(({ projection }) => paths(projection)))].sort();
      relayed.disclosures.push({
        recipientAgencyId,
        eventId: id,
        recordType,
        recordId,
        policyId: last.projection.policyId,
        policyVersion: last.projection.policyVersion,
        consentIds: union((projection) => projection.consentIds),
        disclosedFields: union((projection) => projection.disclosedFields),
        withheldFields: union((projection) => projection.withheldFields),
        kind: 'snapshot',
        deliveredAt: producedAt,
      });
    }
    return relayed;
  }

  /** One message per recipient and subscribed schema version; one ledger entry per recipient. */
  private project(stored: StoredEvent, feedEvent: FeedEvent): Relayed {
    const { recordType, recordId, event } = feedEvent;
    const relayed: Relayed = { messages: [], disclosures: [] };
    if (!isSharable(recordType)) return relayed;
    const delivery: Delivery = { eventId: stored.id, recordType, recordId, kind: 'delivery', deliveredAt: new Date().toISOString() };
    const { correlationId, traceparent } = event.metadata;
    for (const recipient of agenciesOf(this.state)) {
      const versions = new Set(subscriptionsFor(this.state, recipient.id, recordType, recordId).map((subscription) => subscription.schemaVersion));
      const projection = versions.size > 0 ? projectForRecipient(feedEvent, recipient, this.state, this.keys, { disclosedAt: delivery.deliveredAt, cache: this.cache }) : undefined;
      if (!projection) continue;
      const extensions = {
        recordversion: String(stored.revision + 1),
        policyversion: String(projection.policyVersion),
        correlationid: correlationId,
        ...(traceparent ? { traceparent } : {}),
      };
      for (const version of versions) {
        const topic = outboundTopic(this.topicNamespace, recipient.id, recordType, version)!;
        // At the event's own version the projection's JSON text goes as it is; only a downcast needs the payload object.
        if (event.metadata.schemaVersion <= version && projection.payloadJson !== undefined) {
          const attributes = envelope(stored.id, recordId, stored, event.type, event.metadata.schemaVersion, extensions);
          relayed.messages.push(toCloudEventMessage(topic, attributes, undefined, projection.payloadJson));
          continue;
        }
        const { schemaVersion, payload } = atPinnedVersion(feedEvent, projection.payload, version);
        relayed.messages.push(toCloudEventMessage(topic, envelope(stored.id, recordId, stored, event.type, schemaVersion, extensions), payload));
      }
      relayed.disclosures.push(disclosureEntryFor(projection, delivery));
    }
    return relayed;
  }

  /**
   * The linked record's id as the recipient's policy gives it in the link, so a retraction never names
   * an id the recipient was only given as a pseudonym; the pseudonym where the policy now gives nothing.
   */
  private linkedIdAsGiven(link: FeedEvent, recipientAgencyId: string): string {
    const recipient = agencyById(this.state, recipientAgencyId);
    const given = recipient && projectForRecipient(link, recipient, this.state, this.keys, { cache: this.cache })?.payload.recordId;
    if (typeof given === 'string') return given;
    return pseudonymize((link.event.data as { recordId: string }).recordId, 'recordId', this.keys(recipientAgencyId))!;
  }

  private evolve(stored: StoredEvent, feedEvent: FeedEvent): void {
    this.state = evolveDisclosureState(this.state, feedEvent);
    const { recordType, recordId, event } = feedEvent;
    if (isSharable(recordType)) this.reached = this.reached.set(`${recordType}/${recordId}`, stored.revision);
    if (event.type === 'RecordLinkedToCase' && event.data.recordType === 'arrest-record') {
      const link = { caseId: event.data.caseId, eventId: stored.id, link: feedEvent };
      this.arrestLinks = this.arrestLinks.update(event.data.recordId, (links = []) => [...links, link]);
    }
  }

  /** An arrest (recorded, given a relationship, or linked to her case) that makes a minor's guardian a suspect takes back what her consent with that guardian released. */
  private guardianRetractions(before: DisclosureState, feedEvent: FeedEvent): Retraction[] {
    return consentsLosingTheirGuardian(before, this.state, feedEvent).map((consent) => consentRetraction(consent.referralId, consent.consentId));
  }

  /** A partner that leaves a case's team takes back the case and what is linked to it, unless it still has a need to know them. */
  private teamRetractions({ recordId, event }: FeedEvent): Retraction[] {
    if (event.type !== 'CaseTeamMemberRemoved') return [];
    const partner = agencyById(this.state, event.data.agencyId);
    if (!partner) return [];
    return this.caseAndLinked(recordId)
      .filter((record) => !needToKnowHolds(this.state, record.recordType, record.recordId, partner))
      .map((record) => ({ ...record, heldIn: record, recipientAgencyIds: [partner.id] }));
  }

  /** A case and the records linked to it, as the state has them now. */
  private caseAndLinked(caseId: string): { readonly recordType: SharableRecordType; readonly recordId: string }[] {
    const facts = this.state.records.getJoined('case', '/', caseId);
    if (!facts) return [];
    return [
      { recordType: 'case', recordId: caseId },
      ...facts.linkedArrestIds.map((arrestId) => ({ recordType: 'arrest-record' as const, recordId: arrestId })),
      ...facts.victimReferralIds.map((referralId) => ({ recordType: 'victim-referral' as const, recordId: referralId })),
    ];
  }

  /** A consent in force names its recipients; a subscription with backfill asks for every record it matches; a parish added to a jurisdiction or a partner added to a case's team, for the records it now has a need to know. */
  private snapshotsFor(before: DisclosureState, { event }: FeedEvent): SnapshotRequest[] {
    switch (event.type) {
      case 'ConsentRecorded': {
        const consent = this.state.consents.get(event.data.consentId);
        if (!consent?.writtenAndInformed || consent.expiresAtMs <= Date.now()) return [];
        return [{ recordType: 'victim-referral', recordId: consent.referralId, recipientAgencyIds: [...consent.recipientAgencyIds] }];
      }
      case 'SubscriptionCreated': {
        const { subscriptionId, agencyId, recordType, backfill } = event.data;
        if (!backfill) return [];
        return recordIdsOf(this.state, recordType)
          .filter((recordId) => subscriptionsFor(this.state, agencyId, recordType, recordId).some((subscription) => subscription.subscriptionId === subscriptionId))
          .map((recordId) => ({ recordType, recordId, recipientAgencyIds: [agencyId], subscriptionId }));
      }
      case 'AgencyJurisdictionSet': {
        const records = SHARABLE_RECORD_TYPES.flatMap((recordType) => recordIdsOf(this.state, recordType).map((recordId) => ({ recordType, recordId })));
        return this.newlyNeededToKnow(before, event.data.agencyId, records);
      }
      case 'CaseTeamMemberAdded':
        return this.newlyNeededToKnow(before, event.data.agencyId, this.caseAndLinked(event.data.caseId));
      default:
        return [];
    }
  }

  /** Those of the records the agency now has a need to know (28 CFR 23.20(e)) and had not before, that its subscriptions match. */
  private newlyNeededToKnow(before: DisclosureState, agencyId: string, records: readonly { recordType: SharableRecordType; recordId: string }[]): SnapshotRequest[] {
    const [was, is] = [agencyById(before, agencyId), agencyById(this.state, agencyId)];
    if (!was || !is) return [];
    return records
      .filter(({ recordType, recordId }) => subscriptionsFor(this.state, is.id, recordType, recordId).length > 0)
      .filter(({ recordType, recordId }) => needToKnowHolds(this.state, recordType, recordId, is) && !needToKnowHolds(before, recordType, recordId, was))
      .map((record) => ({ ...record, recipientAgencyIds: [is.id] }));
  }

  /** A policy published changes what each agency it now governs (or governed) receives; a subscription ended or a parish dropped, what its agency may keep. */
  private reassessmentsFor(before: DisclosureState, { event }: FeedEvent): Reassessment[] {
    switch (event.type) {
      case 'SharingPolicyPublished': {
        const { recordType } = event.data;
        return agenciesOf(this.state).flatMap((agency) => {
          const from = policyFor(before, agency, recordType);
          const to = policyFor(this.state, agency, recordType);
          if (from === to || !to) return [];
          return [{ agencyId: agency.id, recordType, narrowed: from !== undefined && narrows(from, to) }];
        });
      }
      case 'SubscriptionEnded': {
        const subscription = this.state.subscriptions.get(event.data.subscriptionId);
        return subscription ? [{ agencyId: subscription.agencyId, recordType: subscription.recordType, narrowed: true }] : [];
      }
      case 'AgencyJurisdictionSet': {
        // A parish it no longer serves: what it holds may rest on it (28 CFR 23.20(e)).
        const { agencyId, jurisdiction } = event.data;
        const narrowed = (before.agencies.get(agencyId)?.jurisdiction ?? []).some((parish) => !jurisdiction.includes(parish));
        return narrowed ? SHARABLE_RECORD_TYPES.map((recordType) => ({ agencyId, recordType, narrowed })) : [];
      }
      default:
        return [];
    }
  }

  private retractionsFor({ recordType, recordId, event }: FeedEvent): Retraction[] {
    switch (event.type) {
      case 'ConsentRevoked': {
        const consent = this.state.consents.get(event.data.consentId);
        return consent ? [consentRetraction(consent.referralId, consent.consentId)] : [];
      }
      case 'ArrestRecordSealed':
      case 'ArrestRecordExpunged': {
        const arrest: RecordRef = { recordType, recordId };
        // A case's link names the arrest: the link is taken back from whoever received it, on the case's topic.
        const links = (this.arrestLinks.get(recordId) ?? []).map(
          ({ caseId, eventId, link }): Retraction => ({ ...arrest, heldIn: { recordType: 'case', recordId: caseId }, eventIds: [eventId], link }),
        );
        return [{ ...arrest, heldIn: arrest }, ...links];
      }
      default:
        return [];
    }
  }
}

/**
 * The id of a message the relay makes (a retraction, a snapshot): the same for one recipient and the
 * same parts (what it is, its records, its cause), so a repeated batch repeats it (consumers drop
 * duplicates by id); keyed with the recipient's secret, so a recipient that knows the cause's event id
 * (a consent topic carries it) cannot link the two. A UUID (version 8).
 */
function messageId(secret: Uint8Array, parts: readonly string[]): string {
  const hex = createHmac('sha256', secret).update(JSON.stringify(parts)).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function isSharable(recordType: RecordType): recordType is SharableRecordType {
  return (SHARABLE_RECORD_TYPES as readonly RecordType[]).includes(recordType);
}

/** The projection as a subscriber pinned to an older record version reads it, downcast by the record's decider. */
function atPinnedVersion({ recordType, event }: FeedEvent, payload: Record<string, unknown>, pinned: number): { schemaVersion: number; payload: Record<string, unknown> } {
  if (event.metadata.schemaVersion <= pinned) return { schemaVersion: event.metadata.schemaVersion, payload };
  const downcast = deciderFor(recordType).downcastData(event.type, payload, pinned);
  if (downcast === undefined) throw new Error(`no downcaster from ${event.type} v${event.metadata.schemaVersion} to record version ${pinned}`);
  return { schemaVersion: pinned, payload: downcast };
}

function envelope(
  id: string,
  subject: string,
  stored: StoredEvent,
  type: string,
  schemaVersion: number,
  extensions: Record<string, string>,
): CloudEventAttributes {
  return {
    id,
    source: RELAY_SOURCE,
    type: `crescent.${type}.v${schemaVersion}`,
    subject,
    time: stored.recordedAt,
    dataschema: `urn:crescent:schema:${type}:${schemaVersion}`,
    extensions,
  };
}
