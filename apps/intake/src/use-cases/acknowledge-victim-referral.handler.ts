import { CommandHandler } from '@nestjs/cqrs';
import { AcknowledgeVictimReferral } from '@crescent/domain';
import { Decidable, RecordWritten } from '@crescent/runtime';
import { NoBodyDto } from '../commands/dto/shared.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';

/** The addressee says it received the referral. A victim service: its sender learns of it only under the victim's consent (VAWA). */
export class AcknowledgeVictimReferralCommand extends intakeCommand('AcknowledgeVictimReferral', 'victim-referral', NoBodyDto, 'changes') {}

@CommandHandler(AcknowledgeVictimReferralCommand)
export class AcknowledgeVictimReferralHandler extends IntakeCommandHandler<AcknowledgeVictimReferralCommand> {
  execute(command: AcknowledgeVictimReferralCommand): Promise<RecordWritten> {
    return this.write(command, (referralId): Decidable<AcknowledgeVictimReferral> => ({ type: 'AcknowledgeVictimReferral', data: { referralId } }));
  }
}
