import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { deciderFor, DomainError, RecordType, SharingPolicy, validateSharingPolicy } from '@crescent/domain';
import { EVENT_STORE, EventStore, GlobalPosition } from '@crescent/event-store';
import { agencyById, DisclosureState, evolveDisclosureState, FeedEvent, initialDisclosureState, PseudonymKeys, ProjectionCache, projectForRecipient, Projection } from '@crescent/policy';
import { ADMIN_ACTOR, AGENCY_DIRECTORY, AgencyDirectory, MAX_REPORTED_PROBLEMS, PSEUDONYM_KEYS, toFeedEvent } from '@crescent/runtime';
import { contractProblems } from '../../../contracts/events/event-contracts';
import { PreviewAsOf, PreviewDto, SharingPolicyDto } from './admin.dto';

const PAGE = 500;
/** How long a preview waits for the record's events while the feed holds them back behind an older open transaction, and how often it looks. */
const HELD_BACK_WAIT_MS = 5000;
const HELD_BACK_POLL_MS = 20;

export interface PreviewedEvent {
  readonly eventId?: string;
  readonly type: string;
  /** What the recipient would receive, with the rule or statute behind each field; null: nothing at all. */
  readonly projection: Projection | null;
}

/** An event to preview and the disclosure state to preview it under (the state after the event). */
interface PreviewSource {
  readonly eventId?: string;
  readonly feedEvent: FeedEvent;
  readonly state: DisclosureState;
}

/**
 * What a recipient receives of a stored record or a sample, under its policy or a draft: the very
 * function the relay calls. A stored record's events are previewed as they were sent, each under the
 * disclosure state at its place in the feed, or under the state now when asked; a sample, now.
 */
@Injectable()
export class PolicyPreview {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AGENCY_DIRECTORY) private readonly directory: AgencyDirectory,
    @Inject(PSEUDONYM_KEYS) private readonly keys: PseudonymKeys,
  ) {}

  async preview(request: PreviewDto): Promise<{ recipientAgencyId: string; events: PreviewedEvent[] }> {
    const now = this.directory.current();
    const recipientAgencyId = request.recipientAgencyId;
    if (!agencyById(now, recipientAgencyId)) throw new DomainError('not-found', 'AGENCY.NOT_FOUND', 'recipientAgencyId names no registered agency');
    if (Boolean(request.record) === Boolean(request.sample)) {
      throw new DomainError('validation', 'PREVIEW.ONE_SOURCE', 'name either a stored record or a sample, not both');
    }
    const draft = request.draft && draftPolicy(request.draft);
    const sources = request.record ? await this.storedEvents(request.record.recordType, request.record.recordId, request.asOf ?? 'event') : [this.sampleEvent(request)];
    const cache = new ProjectionCache();
    return {
      recipientAgencyId,
      events: sources.map(({ eventId, feedEvent, state }) => {
        // The recipient as it stood then: one not yet registered was sent nothing.
        const recipient = agencyById(state, recipientAgencyId);
        return { eventId, type: feedEvent.event.type, projection: (recipient && projectForRecipient(feedEvent, recipient, state, this.keys, { draft, cache })) ?? null };
      }),
    };
  }

  private async storedEvents(recordType: RecordType, recordId: string, asOf: PreviewAsOf): Promise<PreviewSource[]> {
    const stored = await this.store.readStream(deciderFor(recordType).streamId(recordId));
    if (stored.length === 0) throw new DomainError('not-found', 'RECORD.NOT_FOUND', 'no such record');
    if (asOf === 'event') return this.asSent(stored.map((event) => event.id));
    const now = this.directory.current();
    return stored.flatMap((event) => {
      const feedEvent = toFeedEvent(event);
      return feedEvent ? [{ eventId: event.id, feedEvent, state: now }] : [];
    });
  }

  /**
   * The record's events, each with the state after it: the feed folded once, from its start up to
   * the record's last event (an admin's occasional read, so the whole prefix is read each time). The
   * record's events are recognised by id: feed positions are opaque. Events just stored may not be in
   * the feed yet (on PostgreSQL it holds back what commits behind an older transaction still open):
   * the preview waits for them a while, then answers that it cannot preview them yet.
   */
  private async asSent(eventIds: readonly string[]): Promise<PreviewSource[]> {
    const pending = new Set(eventIds);
    const sources: PreviewSource[] = [];
    let state = initialDisclosureState;
    let after: GlobalPosition | undefined;
    const deadline = Date.now() + HELD_BACK_WAIT_MS;
    while (pending.size > 0) {
      const page = await this.store.readAll(after, PAGE);
      if (page.length === 0) {
        if (!(await this.store.hasCommittedAfter(after))) throw new Error('the feed ends before the record does');
        if (Date.now() >= deadline) throw new DomainError('unavailable', 'PREVIEW.FEED_BEHIND', "the record's latest events are not in the feed yet (an older transaction holds them back): try again in a moment");
        await sleep(HELD_BACK_POLL_MS);
        continue;
      }
      for (const stored of page) {
        const feedEvent = toFeedEvent(stored);
        if (feedEvent) state = evolveDisclosureState(state, feedEvent);
        if (pending.delete(stored.id) && feedEvent) sources.push({ eventId: stored.id, feedEvent, state });
        if (pending.size === 0) break;
      }
      after = page[page.length - 1].position;
    }
    return sources;
  }

  private sampleEvent({ sample }: PreviewDto): PreviewSource {
    const { recordType, recordId, originAgencyId, event } = sample!;
    const origin = this.directory.find(originAgencyId);
    if (!origin) throw new DomainError('not-found', 'AGENCY.NOT_FOUND', 'originAgencyId names no registered agency');
    const decider = deciderFor(recordType);
    const versions: readonly number[] | undefined = (decider.eventSchemaVersions as Record<string, readonly number[]>)[event.type];
    if (!versions) throw new DomainError('validation', 'PREVIEW.UNKNOWN_EVENT', `sample.event.type names no event of a ${recordType}`);
    const schemaVersion = versions[versions.length - 1];
    // A sample is read as the current version of its type, so it must fit that version's contract first.
    const problems = contractProblems(`${event.type}.v${schemaVersion}`, event.data);
    if (problems.length > 0) {
      throw new DomainError('validation', 'PREVIEW.SAMPLE_INVALID', `the sample's data does not fit ${event.type} version ${schemaVersion}: ${problems.slice(0, MAX_REPORTED_PROBLEMS).join('; ')}`);
    }
    const metadata = { agencyId: origin.id, agencyKind: origin.kind, now: new Date().toISOString(), correlationId: ADMIN_ACTOR.agencyId, schemaVersion };
    const read = decider.readEvent({ type: event.type, data: event.data, metadata });
    if (!read) throw new DomainError('validation', 'PREVIEW.UNKNOWN_EVENT', `sample.event.type names no event of a ${recordType}`);
    const feedEvent = { recordType, recordId, event: read } as FeedEvent;
    return { feedEvent, state: evolveDisclosureState(this.directory.current(), feedEvent) };
  }
}

/** A draft is checked by the same rules as a published version, so a preview never runs an invalid policy. */
function draftPolicy(draft: SharingPolicyDto): SharingPolicy {
  const policy = { policyId: 'draft', ...draft } as SharingPolicy;
  validateSharingPolicy(policy);
  return policy;
}
