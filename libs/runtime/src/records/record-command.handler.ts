import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore } from '@crescent/event-store';
import { ExecuteRecordCommand } from './record-command';
import { RecordWritten, writeRecord } from './write-record';

@CommandHandler(ExecuteRecordCommand)
export class RecordCommandHandler implements ICommandHandler<ExecuteRecordCommand, RecordWritten> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ recordType, recordId, command, expectedVersion }: ExecuteRecordCommand): Promise<RecordWritten> {
    return writeRecord(this.store, recordType, recordId, command, expectedVersion);
  }
}
