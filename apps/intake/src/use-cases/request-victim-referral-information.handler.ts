import { CommandHandler } from '@nestjs/cqrs';
import { RequestVictimReferralInformation } from '@crescent/domain';
import { Decidable, RecordWritten } from '@crescent/runtime';
import { RequestInformationDto } from '../commands/dto/victim-referral.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';

/** The addressee asks the sender a question; the sender's contact update answers it. */
export class RequestVictimReferralInformationCommand extends intakeCommand('RequestVictimReferralInformation', 'victim-referral', RequestInformationDto, 'changes') {}

@CommandHandler(RequestVictimReferralInformationCommand)
export class RequestVictimReferralInformationHandler extends IntakeCommandHandler<RequestVictimReferralInformationCommand> {
  execute(command: RequestVictimReferralInformationCommand): Promise<RecordWritten> {
    return this.write(command, (referralId): Decidable<RequestVictimReferralInformation> => ({ type: 'RequestVictimReferralInformation', data: { referralId, ...command.body } }));
  }
}
