import { CommandHandler } from '@nestjs/cqrs';
import { ExpungeArrestRecord } from '@crescent/domain';
import { Decidable, RecordWritten } from '@crescent/runtime';
import { CourtOrderDto } from '../commands/dto/arrest-record.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';

/** The arresting agency expunges an arrest record under a court order, sealed or not: final. */
export class ExpungeArrestRecordCommand extends intakeCommand('ExpungeArrestRecord', 'arrest-record', CourtOrderDto, 'changes') {}

@CommandHandler(ExpungeArrestRecordCommand)
export class ExpungeArrestRecordHandler extends IntakeCommandHandler<ExpungeArrestRecordCommand> {
  execute(command: ExpungeArrestRecordCommand): Promise<RecordWritten> {
    return this.write(command, (arrestRecordId): Decidable<ExpungeArrestRecord> => ({ type: 'ExpungeArrestRecord', data: { arrestRecordId, ...command.body } }));
  }
}
