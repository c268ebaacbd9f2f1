import { Command } from '@nestjs/cqrs';
import { DomainCommand, RecordType } from '@crescent/domain';
import { RecordWritten } from './write-record';

/** Carries one domain command through Nest's command bus; inside, routing is by record type and command `type`. */
export class ExecuteRecordCommand extends Command<RecordWritten> {
  constructor(
    readonly recordType: RecordType,
    readonly recordId: string,
    readonly command: DomainCommand,
    /** From `If-Match`: the write happens only if the record is still at this version. */
    readonly expectedVersion: number | undefined,
  ) {
    super();
  }
}
