import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandResult } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { DomainCommand, RecordType } from '@crescent/domain';
import { EVENT_STORE, EventStore } from '@crescent/event-store';
import { ADMIN_ACTOR, Decidable, RecordWritten, writeRecord } from '@crescent/runtime';

/** An administrator's command on Nest's command bus: each use case has its own subclass (this folder), named after the command. */
export abstract class AdminCommand<Data, Result = RecordWritten> extends Command<Result> {
  constructor(readonly data: Data) {
    super();
  }
}

/** The handler of one administrator's use case; the steps every such change shares are `write`'s. */
@Injectable()
export abstract class AdminCommandHandler<Submitted extends AdminCommand<unknown, unknown>> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  abstract execute(command: Submitted): Promise<CommandResult<Submitted>>;

  /** The exchange's administration as the actor, then load, decide and append; `now` when the use case answers with a time it set. */
  protected write(recordType: RecordType, recordId: string, decidable: Decidable, now = new Date().toISOString()): Promise<RecordWritten> {
    return writeRecord(this.store, recordType, recordId, { ...decidable, metadata: { ...ADMIN_ACTOR, now, correlationId: randomUUID() } } as DomainCommand);
  }
}
