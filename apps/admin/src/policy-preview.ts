import { Inject, Injectable } from '@nestjs/common';
import { deciderFor, DomainError, RecordType, SharingPolicy, validateSharingPolicy } from '@crescent/domain';
import { EVENT_STORE, EventStore } from '@crescent/event-store';
import { agenciesOf, evolveDisclosureState, FeedEvent, PseudonymKeys, ProjectionCache, projectForRecipient, Projection } from '@crescent/policy';
import { ADMIN_ACTOR, AGENCY_DIRECTORY, AgencyDirectory, PSEUDONYM_KEYS, toFeedEvent } from '@crescent/runtime';
import { contractProblems } from '../../../contracts/events/event-contracts';
import { PreviewDto, SharingPolicyDto } from './admin.dto';

export interface PreviewedEvent {
  readonly eventId?: string;
  readonly type: string;
  /** What the recipient would receive, with the rule or statute behind each field; null: nothing at all. */
  readonly projection: Projection | null;
}

/**
 * What a recipient would receive of a stored record or a sample, now, under its current policy or a
 * draft: the very function the relay calls, on the same disclosure state.
 */
@Injectable()
export class PolicyPreview {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AGENCY_DIRECTORY) private readonly directory: AgencyDirectory,
    @Inject(PSEUDONYM_KEYS) private readonly keys: PseudonymKeys,
  ) {}

  async preview(request: PreviewDto): Promise<{ recipientAgencyId: string; events: PreviewedEvent[] }> {
    let state = this.directory.current();
    const recipient = agenciesOf(state).find((agency) => agency.id === request.recipientAgencyId);
    if (!recipient) throw new DomainError('not-found', 'AGENCY.NOT_FOUND', 'recipientAgencyId names no registered agency');
    if (Boolean(request.record) === Boolean(request.sample)) {
      throw new DomainError('validation', 'PREVIEW.ONE_SOURCE', 'name either a stored record or a sample, not both');
    }
    const draft = request.draft && draftPolicy(request.draft);
    const events = request.record ? await this.storedEvents(request.record.recordType, request.record.recordId) : [this.sampleEvent(request)];
    if (request.sample) state = evolveDisclosureState(state, events[0].feedEvent);
    const cache = new ProjectionCache();
    return {
      recipientAgencyId: recipient.id,
      events: events.map(({ eventId, feedEvent }) => ({
        eventId,
        type: feedEvent.event.type,
        projection: projectForRecipient(feedEvent, recipient, state, this.keys, { draft, cache }) ?? null,
      })),
    };
  }

  private async storedEvents(recordType: RecordType, recordId: string) {
    const stored = await this.store.readStream(deciderFor(recordType).streamId(recordId));
    if (stored.length === 0) throw new DomainError('not-found', 'RECORD.NOT_FOUND', 'no such record');
    return stored.flatMap((event) => {
      const feedEvent = toFeedEvent(event);
      return feedEvent ? [{ eventId: event.id, feedEvent }] : [];
    });
  }

  private sampleEvent({ sample }: PreviewDto): { eventId?: string; feedEvent: FeedEvent } {
    const { recordType, recordId, originAgencyId, event } = sample!;
    const origin = this.directory.find(originAgencyId);
    if (!origin) throw new DomainError('not-found', 'AGENCY.NOT_FOUND', 'originAgencyId names no registered agency');
    const decider = deciderFor(recordType);
    const versions: readonly number[] | undefined = (decider.eventSchemaVersions as Record<string, readonly number[]>)[event.type];
    if (!versions) throw new DomainError('validation', 'PREVIEW.UNKNOWN_EVENT', `a ${recordType} has no event of type ${event.type}`);
    const schemaVersion = versions[versions.length - 1];
    // A sample is read as the current version of its type, so it must fit that version's contract first.
    const problems = contractProblems(`${event.type}.v${schemaVersion}`, event.data);
    if (problems.length > 0) {
      throw new DomainError('validation', 'PREVIEW.SAMPLE_INVALID', `the sample's data does not fit ${event.type} version ${schemaVersion}: ${problems.join('; ')}`);
    }
    const metadata = { agencyId: origin.id, agencyKind: origin.kind, now: new Date().toISOString(), correlationId: ADMIN_ACTOR.agencyId, schemaVersion };
    const read = decider.readEvent({ type: event.type, data: event.data, metadata });
    if (!read) throw new DomainError('validation', 'PREVIEW.UNKNOWN_EVENT', `a ${recordType} has no event of type ${event.type}`);
    return { feedEvent: { recordType, recordId, event: read } as FeedEvent };
  }
}

/** A draft is checked by the same rules as a published version, so a preview never runs an invalid policy. */
function draftPolicy(draft: SharingPolicyDto): SharingPolicy {
  const policy = { policyId: 'draft', ...draft } as SharingPolicy;
  validateSharingPolicy(policy);
  return policy;
}
