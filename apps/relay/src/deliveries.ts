import { StoredEvent } from '@crescent/event-store';
import { BusMessage, outboundTopic, toCloudEventMessage } from '@crescent/messaging';
import { agenciesOf, DisclosureState, evolveDisclosureState, FeedEvent, initialDisclosureState, PseudonymKeys, projectForRecipient } from '@crescent/policy';
import { toFeedEvent } from '@crescent/runtime';

export const RELAY_SOURCE = 'urn:crescent:relay';

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

  /** The messages for one event; the state includes the event, so a revocation or a seal applies to it too. */
  messagesFor(stored: StoredEvent): BusMessage[] {
    const feedEvent = toFeedEvent(stored);
    if (!feedEvent) return [];
    this.state = evolveDisclosureState(this.state, feedEvent);
    return agenciesOf(this.state).flatMap((recipient) => {
      const topic = outboundTopic(this.topicNamespace, recipient.id, feedEvent.recordType);
      const projection = topic && projectForRecipient(feedEvent, recipient, this.state, this.keys);
      return topic && projection ? [this.message(topic, stored, feedEvent, projection.policyVersion, projection.payload)] : [];
    });
  }

  private message(topic: string, stored: StoredEvent, { recordId, event }: FeedEvent, policyVersion: number, payload: object): BusMessage {
    const { type, metadata } = event;
    return toCloudEventMessage(
      topic,
      {
        id: stored.id,
        source: RELAY_SOURCE,
        type: `crescent.${type}.v${metadata.schemaVersion}`,
        subject: recordId,
        time: stored.recordedAt,
        dataschema: `urn:crescent:schema:${type}:${metadata.schemaVersion}`,
        extensions: {
          recordversion: String(stored.revision + 1),
          policyversion: String(policyVersion),
          correlationid: metadata.correlationId,
        },
      },
      payload,
    );
  }
}
