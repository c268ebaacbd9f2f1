import { CommandHandler } from '@nestjs/cqrs';
import { AddCaseTeamMember, DomainError, isCriminalJustice } from '@crescent/domain';
import { Decidable, RecordWritten } from '@crescent/runtime';
import { CaseTeamMemberDto } from '../commands/dto/case.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';

/**
 * The case's originator adds a partner to its team, who then has a need to know the case's records
 * (28 CFR 23.20(e)). Only a law enforcement agency or a prosecutor of the exchange can be one.
 */
export class AddCaseTeamMemberCommand extends intakeCommand('AddCaseTeamMember', 'case', CaseTeamMemberDto, 'changes') {}

@CommandHandler(AddCaseTeamMemberCommand)
export class AddCaseTeamMemberHandler extends IntakeCommandHandler<AddCaseTeamMemberCommand> {
  execute(command: AddCaseTeamMemberCommand): Promise<RecordWritten> {
    return this.write(command, (caseId, { directory }): Decidable<AddCaseTeamMember> => {
      const { agencyId } = command.body;
      if (!isCriminalJustice(directory.find(agencyId)?.kind ?? '')) {
        throw new DomainError('validation', 'CASE.UNKNOWN_TEAM_MEMBER', 'agencyId names no law enforcement agency or prosecutor in the exchange');
      }
      return { type: 'AddCaseTeamMember', data: { caseId, agencyId } };
    });
  }
}
