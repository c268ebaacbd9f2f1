import { Logger, OnModuleDestroy } from '@nestjs/common';
import { deciderFor } from '@crescent/domain';
import { CheckpointStore, EventStore, StoredEvent } from '@crescent/event-store';
import { DisclosureState, MATTER_LINK_EVENT_TYPES, MatterLink, matterLinksOf, referralMatterState } from '@crescent/policy';
import { insertRows, SchemaMigration, SqlClient } from '@crescent/sql';
import { FeedFollower, toFeedEvents } from '@crescent/runtime';

/** Which records are in which referral's matter: one row per link, added as the feed brings it. */
export const REFERRAL_MATTER_MIGRATIONS: readonly SchemaMigration[] = [
  {
    name: 'intake/003-referral-matters',
    up: async (tx) => {
      await tx.query('CREATE TABLE referral_matters (referral_id TEXT NOT NULL, record_type TEXT NOT NULL, record_id TEXT NOT NULL, PRIMARY KEY (referral_id, record_type, record_id))');
    },
  },
];

/** The feed checkpoint the links stand at. */
const CHECKPOINT = 'intake-referral-matters';

/**
 * The records of each referral's matter (her consents, the arrests naming her, the cases linking
 * her), kept in the database as the feed brings them, so that intake holds no record's facts in
 * memory and does not read the feed again when it starts: whether a referral's sender may learn its
 * status is read from her records when it is asked (`stateFor`).
 *
 * A link, once made, is never unmade, so any number of intake instances may add the same links in any
 * order; each saves the checkpoint with the links it added up to it, and one that starts from a
 * checkpoint another saved earlier only adds again what is there.
 */
export class ReferralMatters implements OnModuleDestroy {
  private follower?: FeedFollower;

  private constructor(
    private readonly sql: SqlClient,
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
  ) {}

  /** Caught up with the feed, then following it. The table comes from REFERRAL_MATTER_MIGRATIONS. */
  static async open(sql: SqlClient, store: EventStore, checkpoints: CheckpointStore): Promise<ReferralMatters> {
    const matters = new ReferralMatters(sql, store, checkpoints);
    const after = await checkpoints.load(CHECKPOINT);
    const follower = await FeedFollower.start(store, { name: 'referral matters', after, eventTypes: MATTER_LINK_EVENT_TYPES, onEvents: (events) => matters.add(events) });
    if (follower.position !== after) new Logger('referral-matters').log(`referral matters caught up from checkpoint ${after ?? 'none'} to ${follower.position}`);
    matters.follower = follower;
    return matters;
  }

  /** The same links and records, read in the transaction `tx` through `store` (its own); it follows no feed. */
  within(tx: SqlClient, store: EventStore): ReferralMatters {
    return new ReferralMatters(tx, store, this.checkpoints);
  }

  /** The disclosure state that answers `referralStatusReleasedTo` for the referral whose events are `referralEvents`, on `directory`'s agencies. */
  async stateFor(directory: DisclosureState, referralId: string, referralEvents: readonly StoredEvent[]): Promise<DisclosureState> {
    const links = await this.sql.query<{ record_type: MatterLink['recordType']; record_id: string }>(
      'SELECT record_type, record_id FROM referral_matters WHERE referral_id = $1',
      [referralId],
      'referral-matter-links',
    );
    return referralMatterState(
      directory,
      toFeedEvents(referralEvents),
      links.map((link) => ({ referralId, recordType: link.record_type, recordId: link.record_id })),
      async (recordType, recordId) => toFeedEvents(await this.store.readStream(deciderFor(recordType).streamId(recordId))),
    );
  }

  /** Before the app's database and store close. */
  onModuleDestroy(): Promise<void> {
    return this.close();
  }

  async close(): Promise<void> {
    await this.follower?.close();
  }

  /** Adds the events' links and moves the checkpoint past them, in one transaction. */
  private async add(events: readonly StoredEvent[]): Promise<void> {
    const links = new Map(toFeedEvents(events).flatMap(matterLinksOf).map((link) => [`${link.referralId}\n${link.recordType}\n${link.recordId}`, link]));
    const position = events[events.length - 1].position;
    await this.sql.transaction(async (tx) => {
      const rows = [...links.values()].map((link) => [link.referralId, link.recordType, link.recordId]);
      await insertRows(tx, 'referral_matters', ['referral_id', 'record_type', 'record_id'], rows, ['referral_id', 'record_type', 'record_id']);
      await this.checkpoints.within(tx).save(CHECKPOINT, position);
    });
  }
}
