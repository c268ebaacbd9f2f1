import { StoredEvent } from '@crescent/event-store';
import { Delivery, disclosureEntryFor, DisclosureEntry } from '@crescent/ledger';
import { BusMessage, CloudEventAttributes, outboundTopic, toCloudEventMessage } from '@crescent/messaging';
import { agenciesOf, DisclosureState, evolveDisclosureState, FeedEvent, initialDisclosureState, PseudonymKeys, projectForRecipient, subscriptionsFor, subscriptionsOf } from '@crescent/policy';
import { downcastSubmissionDataToV1, RecordType, SHARABLE_RECORD_TYPES, SharableRecordType } from '@crescent/domain';
import { toFeedEvent } from '@crescent/runtime';

export const RELAY_SOURCE = 'urn:crescent:relay';

/** What relaying one event yields: the messages, the ledger's account of them, and a record to retract, if any. */
export interface Relayed {
  readonly messages: BusMessage[];
  readonly disclosures: DisclosureEntry[];
  /** A consent revocation or a sealing: recipients who hold data of this record may no longer keep it. */
  readonly retract?: Retraction;
}

export interface Retraction {
  readonly recordType: RecordType;
  readonly recordId: string;
  /** Only deliveries that rested on this consent are retracted; none given: every delivery of the record. */
  readonly consentId?: string;
}

/**
 * Walks the feed in order, keeping the disclosure state (agencies, policies, consents, seals) as of
 * each event, and turns each event into one message per entitled recipient, cut by the engine.
 */
export class Deliveries {
  private state: DisclosureState = initialDisclosureState;

  constructor(
    private readonly topicNamespace: string,
    private readonly keys: PseudonymKeys,
  ) {}

  /** Takes an event into the state without delivering it: replaying the feed up to the checkpoint. */
  replay(stored: StoredEvent): void {
    const feedEvent = toFeedEvent(stored);
    if (feedEvent) this.state = evolveDisclosureState(this.state, feedEvent);
  }

  /** Delivers one event; the state includes the event, so a revocation or a seal applies to it too. */
  deliver(stored: StoredEvent): Relayed {
    const feedEvent = toFeedEvent(stored);
    if (!feedEvent) return { messages: [], disclosures: [] };
    const retract = this.retractionFor(feedEvent);
    this.state = evolveDisclosureState(this.state, feedEvent);
    return { ...this.project(stored, feedEvent), retract };
  }

  /** Delivers an event again with the state as it is now, leaving the state alone: a dead letter's replay. */
  redeliver(stored: StoredEvent): Relayed {
    const feedEvent = toFeedEvent(stored);
    return feedEvent ? this.project(stored, feedEvent) : { messages: [], disclosures: [] };
  }

  /**
   * A neutral retraction naming the record, on every topic the recipient has subscribed to for its
   * record type: it must not say why (a seal is itself protected).
   */
  retractionMessages(recipientAgencyId: string, retraction: Retraction, cause: StoredEvent): BusMessage[] {
    const versions = new Set(
      subscriptionsOf(this.state)
        .filter((subscription) => subscription.agencyId === recipientAgencyId && subscription.recordType === retraction.recordType)
        .map((subscription) => subscription.schemaVersion),
    );
    return [...versions].flatMap((version) => {
      const topic = outboundTopic(this.topicNamespace, recipientAgencyId, retraction.recordType, version);
      if (!topic) return [];
      const attributes = envelope(`${cause.id}:retraction`, retraction.recordId, cause, 'RecordRetracted', 1, { correlationid: correlationOf(cause) });
      return [toCloudEventMessage(topic, attributes, { recordType: retraction.recordType, recordId: retraction.recordId })];
    });
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
      const projection = versions.size > 0 ? projectForRecipient(feedEvent, recipient, this.state, this.keys, { disclosedAt: delivery.deliveredAt }) : undefined;
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

  private retractionFor({ recordType, recordId, event }: FeedEvent): Retraction | undefined {
    switch (event.type) {
      case 'ConsentRevoked': {
        const consent = this.state.consents.get(event.data.consentId);
        return consent && { recordType: 'victim-referral', recordId: consent.referralId, consentId: consent.consentId };
      }
      case 'ArrestRecordSealed':
      case 'ArrestRecordExpunged':
        return { recordType, recordId };
      default:
        return undefined;
    }
  }
}

function isSharable(recordType: RecordType): recordType is SharableRecordType {
  return (SHARABLE_RECORD_TYPES as readonly RecordType[]).includes(recordType);
}

/**
 * The projection as a subscriber pinned to an older record version reads it: only
 * VictimReferralSubmitted has had a breaking change (v2), so only it is ever downcast.
 */
function atPinnedVersion({ event }: FeedEvent, payload: Record<string, unknown>, pinned: number): { schemaVersion: number; payload: Record<string, unknown> } {
  if (event.metadata.schemaVersion <= pinned) return { schemaVersion: event.metadata.schemaVersion, payload };
  if (event.type === 'VictimReferralSubmitted') return { schemaVersion: 1, payload: downcastSubmissionDataToV1(payload) };
  throw new Error(`no downcaster from ${event.type} v${event.metadata.schemaVersion} to record version ${pinned}`);
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

function correlationOf(stored: StoredEvent): string {
  return String((stored.metadata as { correlationId?: unknown }).correlationId ?? stored.id);
}
