import { CommandHandler } from '@nestjs/cqrs';
import { AcceptVictimReferral } from '@crescent/domain';
import { Decidable, RecordWritten } from '@crescent/runtime';
import { NoBodyDto } from '../commands/dto/shared.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';

/** The addressee takes the victim on. A victim service: its sender learns of it only under the victim's consent (VAWA). */
export class AcceptVictimReferralCommand extends intakeCommand('AcceptVictimReferral', 'victim-referral', NoBodyDto, 'changes') {}

@CommandHandler(AcceptVictimReferralCommand)
export class AcceptVictimReferralHandler extends IntakeCommandHandler<AcceptVictimReferralCommand> {
  execute(command: AcceptVictimReferralCommand): Promise<RecordWritten> {
    return this.write(command, (referralId): Decidable<AcceptVictimReferral> => ({ type: 'AcceptVictimReferral', data: { referralId } }));
  }
}
