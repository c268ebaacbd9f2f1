import { CommandHandler } from '@nestjs/cqrs';
import { RecordArrest } from '@crescent/domain';
import { Decidable, RecordWritten } from '@crescent/runtime';
import { RecordArrestDto } from '../commands/dto/arrest-record.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';

/** A law enforcement agency records an arrest, with its charges; it owns the record from then on. */
export class RecordArrestCommand extends intakeCommand('RecordArrest', 'arrest-record', RecordArrestDto, 'creates') {}

@CommandHandler(RecordArrestCommand)
export class RecordArrestHandler extends IntakeCommandHandler<RecordArrestCommand> {
  execute(command: RecordArrestCommand): Promise<RecordWritten> {
    return this.write(command, (arrestRecordId): Decidable<RecordArrest> => ({ type: 'RecordArrest', data: { arrestRecordId, ...command.body } }));
  }
}
