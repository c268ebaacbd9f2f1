import { EventStore, SqlEventStore } from '@crescent/event-store';
import { IdempotencyStore } from './idempotency.store';
import { ReferralMatters } from './referral-matters';

/**
 * Where one command's writes go: its idempotency key's record and its events, and where it reads the
 * referral matters from. When the event store keeps its events in the database the keys are kept in,
 * all of them commit in one transaction, or none does, and the command reads in that transaction;
 * otherwise (EventStoreDB) each write commits on its own, and the key's claim is what makes a retry of a
 * half-done command resume it instead of writing twice.
 */
export abstract class CommandWrites {
  static for(store: EventStore, keys: IdempotencyStore, matters: ReferralMatters): CommandWrites {
    return store instanceof SqlEventStore ? CommandWrites.oneTransaction(store, keys, matters) : CommandWrites.stepByStep(store, keys, matters);
  }

  /** The keys and the matters must be kept in the store's database. */
  static oneTransaction(store: SqlEventStore, keys: IdempotencyStore, matters: ReferralMatters): CommandWrites {
    return new OneTransaction(store, keys, matters);
  }

  static stepByStep(store: EventStore, keys: IdempotencyStore, matters: ReferralMatters): CommandWrites {
    return new StepByStep(store, keys, matters);
  }

  /**
   * Runs `work` with the store, keys and matters to read and write through: the work's own, in a
   * transaction. (On one connection, as SQLite's, a read outside it would wait for it to end.)
   */
  abstract run<T>(work: (store: EventStore, keys: IdempotencyStore, matters: ReferralMatters) => Promise<T>): Promise<T>;
}

class OneTransaction extends CommandWrites {
  constructor(
    private readonly store: SqlEventStore,
    private readonly keys: IdempotencyStore,
    private readonly matters: ReferralMatters,
  ) {
    super();
  }

  run<T>(work: (store: EventStore, keys: IdempotencyStore, matters: ReferralMatters) => Promise<T>): Promise<T> {
    return this.store.transaction((store, tx) => work(store, this.keys.within(tx), this.matters.within(tx, store)));
  }
}

class StepByStep extends CommandWrites {
  constructor(
    private readonly store: EventStore,
    private readonly keys: IdempotencyStore,
    private readonly matters: ReferralMatters,
  ) {
    super();
  }

  run<T>(work: (store: EventStore, keys: IdempotencyStore, matters: ReferralMatters) => Promise<T>): Promise<T> {
    return work(this.store, this.keys, this.matters);
  }
}
