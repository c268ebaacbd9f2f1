import { EventStore, SqlEventStore } from '@crescent/event-store';
import { IdempotencyStore } from './idempotency.store';

/**
 * Where one command's writes go: its idempotency key's record and its events. When the event store keeps
 * its events in the database the keys are kept in, all of them commit in one transaction, or none does;
 * otherwise (EventStoreDB) each write commits on its own, and the key's claim is what makes a retry of a
 * half-done command resume it instead of writing twice.
 */
export abstract class CommandWrites {
  static for(store: EventStore, keys: IdempotencyStore): CommandWrites {
    return store instanceof SqlEventStore ? CommandWrites.oneTransaction(store, keys) : CommandWrites.stepByStep(store, keys);
  }

  /** The keys must be kept in the store's database. */
  static oneTransaction(store: SqlEventStore, keys: IdempotencyStore): CommandWrites {
    return new OneTransaction(store, keys);
  }

  static stepByStep(store: EventStore, keys: IdempotencyStore): CommandWrites {
    return new StepByStep(store, keys);
  }

  /** Runs `work` with the store and keys to read and write through: the work's own, in a transaction. */
  abstract run<T>(work: (store: EventStore, keys: IdempotencyStore) => Promise<T>): Promise<T>;
}

class OneTransaction extends CommandWrites {
  constructor(
    private readonly store: SqlEventStore,
    private readonly keys: IdempotencyStore,
  ) {
    super();
  }

  run<T>(work: (store: EventStore, keys: IdempotencyStore) => Promise<T>): Promise<T> {
    return this.store.transaction((store, tx) => work(store, this.keys.within(tx)));
  }
}

class StepByStep extends CommandWrites {
  constructor(
    private readonly store: EventStore,
    private readonly keys: IdempotencyStore,
  ) {
    super();
  }

  run<T>(work: (store: EventStore, keys: IdempotencyStore) => Promise<T>): Promise<T> {
    return work(this.store, this.keys);
  }
}
