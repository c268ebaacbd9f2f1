import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { deciderFor } from '@crescent/domain';
import { EVENT_STORE, EventStore, WrongExpectedRevisionError } from '@crescent/event-store';
import { ExecuteRecordCommand, RecordWritten } from './record-command';
import { loadRecord } from './record-history';

/**
 * Read the stream, decide, append at the revision read. Without `If-Match` a lost race is
 * retried once against the new state; with it, the conflict is the caller's to see (409).
 */
@CommandHandler(ExecuteRecordCommand)
export class RecordCommandHandler implements ICommandHandler<ExecuteRecordCommand, RecordWritten> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(request: ExecuteRecordCommand): Promise<RecordWritten> {
    try {
      return await this.decideAndAppend(request);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || request.expectedVersion !== undefined) throw error;
      return this.decideAndAppend(request);
    }
  }

  private async decideAndAppend({ recordType, recordId, command, expectedVersion }: ExecuteRecordCommand): Promise<RecordWritten> {
    const decider = deciderFor(recordType);
    const { state, version } = await loadRecord(this.store, recordType, recordId);
    if (expectedVersion !== undefined && expectedVersion !== version) {
      throw new WrongExpectedRevisionError(decider.streamId(recordId), expectedVersion - 1, version - 1);
    }
    const events = decider.decide(command, state);
    const { nextExpectedRevision } = await this.store.append(
      decider.streamId(recordId),
      events.map((event) => ({ id: randomUUID(), ...event })),
      version === 0 ? 'no-stream' : version - 1,
    );
    return { recordId, version: nextExpectedRevision + 1 };
  }
}
