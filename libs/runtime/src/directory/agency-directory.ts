import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamicModule, SetMetadata, Type } from '@nestjs/common';
import { Agency, DomainError } from '@crescent/domain';
import { EventStore, EventTypes, StoredEvent } from '@crescent/event-store';
import { agenciesOf, agencyStatus, credentialHolder, DisclosureState, initialDisclosureState } from '@crescent/policy';
import { foldStoredEvent } from '../records/feed-event';
import { FeedFollower } from '../records/feed-follower';
import { moduleOf } from '../schema-migrations';

/** How long an unknown credential waits for the directory to catch up with the feed before it is refused, and how often it looks. */
const CATCH_UP_WAIT_MS = 2000;
const CATCH_UP_POLL_MS = 20;

const USES_AGENCY_DIRECTORY = 'crescent:uses-agency-directory';

/**
 * What a directory folds: some event types of the feed (at least DIRECTORY_EVENT_TYPES, which make up
 * the agencies, policies and subscriptions), or the whole feed for a feature that reads every record's
 * facts from it.
 */
export type DirectoryFold = readonly string[] | 'whole feed';

/**
 * Declares, on a feature module, that it serves agencies (authenticates them, reads their policies
 * or subscriptions), and what of the feed it needs folded: an exchange app builds the directory only
 * then, folding what its features need together. The relay keeps its own disclosure state, as of
 * each event it projects, and needs none.
 */
export const UsesAgencyDirectory = (folds: DirectoryFold) => SetMetadata(USES_AGENCY_DIRECTORY, folds);

/** What the app's directory folds for its features; undefined when none serves agencies. */
export function agencyDirectoryUsedBy(features: readonly (Type | DynamicModule)[]): DirectoryFold | undefined {
  const folds = features.flatMap((feature) => {
    const fold = Reflect.getMetadata(USES_AGENCY_DIRECTORY, moduleOf(feature)) as DirectoryFold | undefined;
    return fold === undefined ? [] : [fold];
  });
  if (folds.length === 0) return undefined;
  return folds.includes('whole feed') ? 'whole feed' : [...new Set(folds.flatMap((fold) => [...fold]))];
}

/**
 * Who takes part in the exchange, and what each may receive, as of the end of the feed: the
 * disclosure state folded from what the app's features need of the feed (`DirectoryFold`), caught up
 * before the app serves and then kept live. Its state holds only what those events say.
 */
export class AgencyDirectory {
  private state: DisclosureState = initialDisclosureState;
  private follower?: FeedFollower;
  private readonly changeListeners: Array<() => void> = [];

  private constructor(
    private readonly store: EventStore,
    private readonly eventTypes: EventTypes,
  ) {}

  static async open(store: EventStore, folds: DirectoryFold): Promise<AgencyDirectory> {
    const directory = new AgencyDirectory(store, folds === 'whole feed' ? undefined : folds);
    directory.follower = await FeedFollower.start(store, { name: 'directory', after: undefined, eventTypes: directory.eventTypes, onEvents: async (events) => directory.apply(events) });
    return directory;
  }

  agencies(): readonly Agency[] {
    return agenciesOf(this.state);
  }

  find(agencyId: string): Agency | undefined {
    return this.agencies().find((agency) => agency.id === agencyId);
  }

  /** Registered and neither suspended nor revoked. */
  isActive(agencyId: string): boolean {
    return agencyStatus(this.state, agencyId) === 'active';
  }

  /**
   * The agency whose token this is, if the token works now (a rotated-out one works until its grace
   * ends). The working token of a suspended or revoked agency is refused as forbidden, with a code
   * naming why: only someone holding that agency's token learns it. A token the directory does not
   * know is looked up again once the directory has caught up with the feed, so a credential the
   * admin API has just issued works at once instead of being refused (and counted against the
   * caller's lockout) until the feed brings it.
   */
  async authenticate(token: string): Promise<Agency | undefined> {
    const credentialSha256 = sha256Hex(token);
    const known = this.holderOf(credentialSha256);
    if (known) return known;
    await this.caughtUp();
    return this.holderOf(credentialSha256);
  }

  /** Calls `listener` after the feed changes the agencies or their subscriptions. */
  onChange(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  /** The disclosure state as the events it folds tell it (all of it on the whole feed, for a preview of what a recipient would receive now). */
  current(): DisclosureState {
    return this.state;
  }

  async close(): Promise<void> {
    await this.follower?.close();
  }

  private holderOf(credentialSha256: string): Agency | undefined {
    const holder = credentialHolder(this.state, credentialSha256, new Date().toISOString());
    if (!holder || holder.status === 'active') return holder?.agency;
    throw new AgencyNotActiveError(holder.agency.id, holder.status);
  }

  /**
   * Waits until the feed holds nothing this directory has not applied, or CATCH_UP_WAIT_MS has passed:
   * events an older transaction still holds back count too, as a credential just issued may be one.
   * A feed that cannot be read ends the wait: the directory answers from what it holds, as it would without it.
   */
  private async caughtUp(): Promise<void> {
    const deadline = Date.now() + CATCH_UP_WAIT_MS;
    const behind = () => this.store.hasCommittedAfter(this.follower?.position, this.eventTypes).catch(() => false);
    while ((await behind()) && Date.now() < deadline) await sleep(CATCH_UP_POLL_MS);
  }

  private apply(events: readonly StoredEvent[]): void {
    const { agencies, subscriptions } = this.state;
    for (const stored of events) this.state = foldStoredEvent(this.state, stored);
    // The state is immutable: a changed map is a new object.
    if (this.state.agencies !== agencies || this.state.subscriptions !== subscriptions) {
      for (const listener of this.changeListeners) listener();
    }
  }
}

export const AGENCY_DIRECTORY = Symbol('AgencyDirectory');

/** The working credential of a suspended or revoked agency: refused, and the audit knows whose it was. */
export class AgencyNotActiveError extends DomainError {
  constructor(
    readonly agencyId: string,
    status: 'suspended' | 'revoked',
  ) {
    super('forbidden', status === 'suspended' ? 'AUTH.AGENCY_SUSPENDED' : 'AUTH.AGENCY_REVOKED', `this agency is ${status}: the exchange refuses its requests`);
  }
}

export function sha256Hex(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
