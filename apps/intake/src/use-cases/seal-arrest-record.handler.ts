import { CommandHandler } from '@nestjs/cqrs';
import { SealArrestRecord } from '@crescent/domain';
import { Decidable, RecordWritten } from '@crescent/runtime';
import { CourtOrderDto } from '../commands/dto/arrest-record.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';

/** The arresting agency seals an arrest record under a court order: it is no longer disclosed. */
export class SealArrestRecordCommand extends intakeCommand('SealArrestRecord', 'arrest-record', CourtOrderDto, 'changes') {}

@CommandHandler(SealArrestRecordCommand)
export class SealArrestRecordHandler extends IntakeCommandHandler<SealArrestRecordCommand> {
  execute(command: SealArrestRecordCommand): Promise<RecordWritten> {
    return this.write(command, (arrestRecordId): Decidable<SealArrestRecord> => ({ type: 'SealArrestRecord', data: { arrestRecordId, ...command.body } }));
  }
}
