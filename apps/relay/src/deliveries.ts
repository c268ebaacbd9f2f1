import { StoredEvent } from '@crescent/event-store';
import { Delivery, disclosureEntryFor, DisclosureEntry } from '@crescent/ledger';
import { BusMessage, CloudEventAttributes, outboundTopic, toCloudEventMessage } from '@crescent/messaging';
import { agenciesOf, DisclosureState, evolveDisclosureState, FeedEvent, initialDisclosureState, PseudonymKeys, projectForRecipient } from '@crescent/policy';
import { RecordType } from '@crescent/domain';
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

  /** A neutral retraction naming the record: it must not say why (a seal is itself protected). */
  retractionMessage(recipientAgencyId: string, retraction: Retraction, cause: StoredEvent): BusMessage | undefined {
    const topic = outboundTopic(this.topicNamespace, recipientAgencyId, retraction.recordType);
    if (!topic) return undefined;
    return toCloudEventMessage(
      topic,
      envelope(`${cause.id}:retraction`, retraction.recordId, cause, 'RecordRetracted', 1, { correlationid: correlationOf(cause) }),
      { recordType: retraction.recordType, recordId: retraction.recordId },
    );
  }

  private project(stored: StoredEvent, feedEvent: FeedEvent): Relayed {
    const { recordType, recordId, event } = feedEvent;
    const delivery: Delivery = { eventId: stored.id, recordType, recordId, kind: 'delivery', deliveredAt: new Date().toISOString() };
    const relayed: Relayed = { messages: [], disclosures: [] };
    for (const recipient of agenciesOf(this.state)) {
      const topic = outboundTopic(this.topicNamespace, recipient.id, recordType);
      const projection = topic && projectForRecipient(feedEvent, recipient, this.state, this.keys);
      if (!topic || !projection) continue;
      const { schemaVersion, correlationId, traceparent } = event.metadata;
      const extensions = {
        recordversion: String(stored.revision + 1),
        policyversion: String(projection.policyVersion),
        correlationid: correlationId,
        ...(traceparent ? { traceparent } : {}),
      };
      relayed.messages.push(toCloudEventMessage(topic, envelope(stored.id, recordId, stored, event.type, schemaVersion, extensions), projection.payload));
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
