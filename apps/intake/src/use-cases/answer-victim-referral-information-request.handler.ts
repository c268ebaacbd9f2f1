import { CommandHandler } from '@nestjs/cqrs';
import { AnswerVictimReferralInformationRequest } from '@crescent/domain';
import { Decidable, RecordWritten } from '@crescent/runtime';
import { AnswerInformationRequestDto } from '../commands/dto/victim-referral.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';

/** The sender answers one of the addressee's questions, by its id; the answer reaches the addressee like any later event. */
export class AnswerVictimReferralInformationRequestCommand extends intakeCommand('AnswerVictimReferralInformationRequest', 'victim-referral', AnswerInformationRequestDto, 'changes') {}

@CommandHandler(AnswerVictimReferralInformationRequestCommand)
export class AnswerVictimReferralInformationRequestHandler extends IntakeCommandHandler<AnswerVictimReferralInformationRequestCommand> {
  execute(command: AnswerVictimReferralInformationRequestCommand): Promise<RecordWritten> {
    return this.write(command, (referralId): Decidable<AnswerVictimReferralInformationRequest> => ({ type: 'AnswerVictimReferralInformationRequest', data: { referralId, ...command.body } }));
  }
}
