import { CommandHandler } from '@nestjs/cqrs';
import { CloseCase } from '@crescent/domain';
import { Decidable, RecordWritten } from '@crescent/runtime';
import { ReasonDto } from '../commands/dto/shared.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';

/** The case's originator closes it, with a reason. */
export class CloseCaseCommand extends intakeCommand('CloseCase', 'case', ReasonDto, 'changes') {}

@CommandHandler(CloseCaseCommand)
export class CloseCaseHandler extends IntakeCommandHandler<CloseCaseCommand> {
  execute(command: CloseCaseCommand): Promise<RecordWritten> {
    return this.write(command, (caseId): Decidable<CloseCase> => ({ type: 'CloseCase', data: { caseId, ...command.body } }));
  }
}
