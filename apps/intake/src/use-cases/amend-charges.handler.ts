import { CommandHandler } from '@nestjs/cqrs';
import { AmendCharges } from '@crescent/domain';
import { Decidable, RecordWritten } from '@crescent/runtime';
import { ChargesDto } from '../commands/dto/arrest-record.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';

/** The arresting agency replaces an arrest's charges, while the record is neither sealed nor expunged. */
export class AmendChargesCommand extends intakeCommand('AmendCharges', 'arrest-record', ChargesDto, 'changes') {}

@CommandHandler(AmendChargesCommand)
export class AmendChargesHandler extends IntakeCommandHandler<AmendChargesCommand> {
  execute(command: AmendChargesCommand): Promise<RecordWritten> {
    return this.write(command, (arrestRecordId): Decidable<AmendCharges> => ({ type: 'AmendCharges', data: { arrestRecordId, ...command.body } }));
  }
}
