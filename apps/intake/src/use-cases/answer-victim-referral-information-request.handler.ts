import { CommandHandler } from '@nestjs/cqrs';
import { AnswerVictimReferralInformationRequest } from '@crescent/domain';
import { Decidable, RecordWritten } from '@crescent/runtime';
import { AnswerInformationRequestDto } from '../commands/dto/victim-referral.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';

/** The sender answers a question the addressee asked about the referral; the answer reaches the addressee. */
export class AnswerVictimReferralInformationRequestCommand extends intakeCommand(
  'AnswerVictimReferralInformationRequest',
  'victim-referral',
  AnswerInformationRequestDto,
  'changes',
) {}

@CommandHandler(AnswerVictimReferralInformationRequestCommand)
export class AnswerVictimReferralInformationRequestHandler extends IntakeCommandHandler<AnswerVictimReferralInformationRequestCommand> {
  execute(command: AnswerVictimReferralInformationRequestCommand): Promise<RecordWritten> {
    return this.write(command, (referralId): Decidable<AnswerVictimReferralInformationRequest> => ({
      type: 'AnswerVictimReferralInformationRequest',
      data: { referralId, ...command.body },
    }));
  }
}
