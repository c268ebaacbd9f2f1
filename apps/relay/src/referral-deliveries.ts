import { Agency, DECIDERS } from '@crescent/domain';
import { StoredEvent } from '@crescent/event-store';
import { BusMessage, outboundTopic, toCloudEventMessage } from '@crescent/messaging';
import { compileReferralProjector, ReferralProjector, SharingPolicy } from '@crescent/policy';

export const RELAY_SOURCE = 'urn:crescent:relay';

interface Recipient {
  readonly agency: Agency;
  readonly project: ReferralProjector;
}

/** Turns events of the feed into one message per entitled recipient, each cut by that recipient's policy. */
export class ReferralDeliveries {
  private readonly recipients: readonly Recipient[];

  constructor(
    private readonly topicNamespace: string,
    agencies: readonly Agency[],
    policyFor: (agencyId: string) => SharingPolicy | undefined,
  ) {
    this.recipients = agencies.map((agency) => ({ agency, project: compileReferralProjector(agency, policyFor(agency.id)) }));
  }

  messagesFor(stored: StoredEvent): BusMessage[] {
    const event = DECIDERS['victim-referral'].readEvent(stored);
    // Only submissions are shared so far; the other records' events stay inside the exchange.
    if (event?.type !== 'VictimReferralSubmitted') return [];
    return this.recipients.flatMap(({ agency, project }) => {
      const projection = project(event);
      if (!projection) return [];
      const topic = outboundTopic(this.topicNamespace, agency.id, 'victim-referrals', event.metadata.schemaVersion);
      return [
        toCloudEventMessage(
          topic,
          {
            id: stored.id,
            source: RELAY_SOURCE,
            type: `crescent.${event.type}.v${event.metadata.schemaVersion}`,
            subject: event.data.referralId,
            time: stored.recordedAt,
            dataschema: `urn:crescent:schema:${event.type}:${event.metadata.schemaVersion}`,
            extensions: {
              recordversion: String(stored.revision + 1),
              policyversion: String(projection.policyVersion),
              correlationid: event.metadata.correlationId,
            },
          },
          projection.payload,
        ),
      ];
    });
  }
}
