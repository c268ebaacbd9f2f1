import { CommandHandler } from '@nestjs/cqrs';
import { DomainError, SubmitVictimReferral } from '@crescent/domain';
import { Decidable, RecordWritten } from '@crescent/runtime';
import { SubmitVictimReferralDto } from '../commands/dto/victim-referral.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';

/**
 * Law enforcement or a prosecutor refers a victim to a victim service provider, which becomes the
 * referral's addressee: it must be one in the exchange, a lookup the pure decider cannot make.
 */
export class SubmitVictimReferralCommand extends intakeCommand('SubmitVictimReferral', 'victim-referral', SubmitVictimReferralDto, 'creates') {}

@CommandHandler(SubmitVictimReferralCommand)
export class SubmitVictimReferralHandler extends IntakeCommandHandler<SubmitVictimReferralCommand> {
  execute(command: SubmitVictimReferralCommand): Promise<RecordWritten> {
    const { referredToAgencyId } = command.body;
    return this.write(command, (referralId, { directory }): Decidable<SubmitVictimReferral> => {
      if (directory.find(referredToAgencyId)?.kind !== 'victim-service-provider') {
        throw new DomainError('validation', 'REFERRAL.UNKNOWN_ADDRESSEE', 'referredToAgencyId names no victim service provider in the exchange');
      }
      return { type: 'SubmitVictimReferral', data: { referralId, ...command.body } };
    });
  }
}
