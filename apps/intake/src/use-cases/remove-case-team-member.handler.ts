import { CommandHandler } from '@nestjs/cqrs';
import { RemoveCaseTeamMember } from '@crescent/domain';
import { Decidable, RecordWritten } from '@crescent/runtime';
import { CaseTeamMemberDto } from '../commands/dto/case.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';

/** The case's originator takes a partner off its team; the decider refuses an agency the team does not hold. */
export class RemoveCaseTeamMemberCommand extends intakeCommand('RemoveCaseTeamMember', 'case', CaseTeamMemberDto, 'changes') {}

@CommandHandler(RemoveCaseTeamMemberCommand)
export class RemoveCaseTeamMemberHandler extends IntakeCommandHandler<RemoveCaseTeamMemberCommand> {
  execute(command: RemoveCaseTeamMemberCommand): Promise<RecordWritten> {
    return this.write(command, (caseId): Decidable<RemoveCaseTeamMember> => ({ type: 'RemoveCaseTeamMember', data: { caseId, ...command.body } }));
  }
}
