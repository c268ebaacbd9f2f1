import { CommandHandler } from '@nestjs/cqrs';
import { DeclineVictimReferral } from '@crescent/domain';
import { Decidable, RecordWritten } from '@crescent/runtime';
import { ReasonDto } from '../commands/dto/shared.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';

/** The addressee declines the referral, with a reason. A victim service: its sender learns of it only under the victim's consent (VAWA). */
export class DeclineVictimReferralCommand extends intakeCommand('DeclineVictimReferral', 'victim-referral', ReasonDto, 'changes') {}

@CommandHandler(DeclineVictimReferralCommand)
export class DeclineVictimReferralHandler extends IntakeCommandHandler<DeclineVictimReferralCommand> {
  execute(command: DeclineVictimReferralCommand): Promise<RecordWritten> {
    return this.write(command, (referralId): Decidable<DeclineVictimReferral> => ({ type: 'DeclineVictimReferral', data: { referralId, ...command.body } }));
  }
}
