import { CommandHandler } from '@nestjs/cqrs';
import { CorrectVictimReferral } from '@crescent/domain';
import { Decidable, RecordWritten } from '@crescent/runtime';
import { VictimReferralContentDto } from '../commands/dto/victim-referral.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';

/** The sender corrects its referral: everything but the addressee, as a different addressee is a new referral. */
export class CorrectVictimReferralCommand extends intakeCommand('CorrectVictimReferral', 'victim-referral', VictimReferralContentDto, 'changes') {}

@CommandHandler(CorrectVictimReferralCommand)
export class CorrectVictimReferralHandler extends IntakeCommandHandler<CorrectVictimReferralCommand> {
  execute(command: CorrectVictimReferralCommand): Promise<RecordWritten> {
    return this.write(command, (referralId): Decidable<CorrectVictimReferral> => ({ type: 'CorrectVictimReferral', data: { referralId, ...command.body } }));
  }
}
