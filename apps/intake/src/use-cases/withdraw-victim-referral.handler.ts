import { CommandHandler } from '@nestjs/cqrs';
import { WithdrawVictimReferral } from '@crescent/domain';
import { Decidable, RecordWritten } from '@crescent/runtime';
import { ReasonDto } from '../commands/dto/shared.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';

/** The sender withdraws its referral, with a reason; no consent is taken under a withdrawn referral. */
export class WithdrawVictimReferralCommand extends intakeCommand('WithdrawVictimReferral', 'victim-referral', ReasonDto, 'changes') {}

@CommandHandler(WithdrawVictimReferralCommand)
export class WithdrawVictimReferralHandler extends IntakeCommandHandler<WithdrawVictimReferralCommand> {
  execute(command: WithdrawVictimReferralCommand): Promise<RecordWritten> {
    return this.write(command, (referralId): Decidable<WithdrawVictimReferral> => ({ type: 'WithdrawVictimReferral', data: { referralId, ...command.body } }));
  }
}
