import { CommandHandler } from '@nestjs/cqrs';
import { AuthorizeLawEnforcementDisclosure, DomainError, isLawEnforcement } from '@crescent/domain';
import { Decidable, RecordWritten } from '@crescent/runtime';
import { LawEnforcementDisclosureDto } from '../commands/dto/victim-referral.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';

/**
 * 8 U.S.C. 1367(b)(2): the DHS component that referred the victim authorizes a disclosure to a named
 * recipient, which must be a law enforcement agency of the exchange.
 */
export class AuthorizeLawEnforcementDisclosureCommand extends intakeCommand('AuthorizeLawEnforcementDisclosure', 'victim-referral', LawEnforcementDisclosureDto, 'changes') {}

@CommandHandler(AuthorizeLawEnforcementDisclosureCommand)
export class AuthorizeLawEnforcementDisclosureHandler extends IntakeCommandHandler<AuthorizeLawEnforcementDisclosureCommand> {
  execute(command: AuthorizeLawEnforcementDisclosureCommand): Promise<RecordWritten> {
    return this.write(command, (referralId, { directory }): Decidable<AuthorizeLawEnforcementDisclosure> => {
      if (!isLawEnforcement(directory.find(command.body.recipientAgencyId)?.kind ?? '')) {
        throw new DomainError('validation', 'REFERRAL.UNKNOWN_LAW_ENFORCEMENT_RECIPIENT', 'recipientAgencyId names no law enforcement agency in the exchange');
      }
      return { type: 'AuthorizeLawEnforcementDisclosure', data: { referralId, ...command.body } };
    });
  }
}
