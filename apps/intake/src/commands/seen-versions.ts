import { Agency, DomainError, RecordType, VICTIM_SERVICE_EVENT_TYPES, deciderFor } from '@crescent/domain';
import { EventStore } from '@crescent/event-store';
import { referralStatusReleasedTo } from '@crescent/policy';
import { AgencyDirectory } from '@crescent/runtime';
import { ReferralMatters } from './referral-matters';

const SERVICE_EVENT_TYPES: ReadonlySet<string> = new Set(VICTIM_SERVICE_EVENT_TYPES);

/**
 * A record's versions as one agency sees them. VAWA, 34 U.S.C. 12291(b)(2): a referral's sender
 * without the victim's consent to status updates must not learn what the provider did with it, so
 * the version it is told (ETag, a write's answer, a receipt) and names back (`If-Match`,
 * `ce_expectedversion`) counts only the events it may know of; the provider's steps add nothing.
 */
export interface SeenVersions {
  /** The record's version now, as the store counts it. */
  readonly current: number;
  /** The version the agency sees at `version` (at most `current`). */
  seen(version: number): number;
}

/** Undefined when the agency sees every event of the record: every record but a referral whose steps it may not know. */
export async function versionsSeenBy(
  store: EventStore,
  directory: AgencyDirectory,
  matters: ReferralMatters,
  agency: Agency,
  recordType: RecordType,
  recordId: string,
): Promise<SeenVersions | undefined> {
  if (recordType !== 'victim-referral') return undefined;
  const events = await store.readStream(deciderFor(recordType).streamId(recordId));
  const sender = (events[0]?.metadata as { agencyId?: unknown } | undefined)?.agencyId;
  if (sender !== agency.id) return undefined;
  // The directory holds the agencies; her consents and the rest of her matter are read with her own events.
  if (referralStatusReleasedTo(await matters.stateFor(directory.current(), recordId, events), recordId, agency.id, Date.now())) return undefined;
  return {
    current: events.length,
    seen: (version) => events.slice(0, version).filter((event) => !SERVICE_EVENT_TYPES.has(event.type)).length,
  };
}

/** The store's version a change the agency meant for the version it saw applies to; the same conflict as any other when it saw an older one. */
export function currentVersionFor(versions: SeenVersions, seenVersion: number): number {
  if (versions.seen(versions.current) !== seenVersion) throw new DomainError('conflict', 'RECORD.VERSION_CONFLICT', 'the record changed since the version you sent');
  return versions.current;
}
