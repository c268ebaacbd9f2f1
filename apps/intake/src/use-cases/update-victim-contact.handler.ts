import { CommandHandler } from '@nestjs/cqrs';
import { UpdateVictimContact } from '@crescent/domain';
import { Decidable, RecordWritten } from '@crescent/runtime';
import { UpdateVictimContactDto } from '../commands/dto/victim-referral.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';

/** The sender updates how to reach the victim; it answers an open question, and the referral goes back to the addressee. */
export class UpdateVictimContactCommand extends intakeCommand('UpdateVictimContact', 'victim-referral', UpdateVictimContactDto, 'changes') {}

@CommandHandler(UpdateVictimContactCommand)
export class UpdateVictimContactHandler extends IntakeCommandHandler<UpdateVictimContactCommand> {
  execute(command: UpdateVictimContactCommand): Promise<RecordWritten> {
    return this.write(command, (referralId): Decidable<UpdateVictimContact> => ({ type: 'UpdateVictimContact', data: { referralId, ...command.body } }));
  }
}
