import { CommandHandler } from '@nestjs/cqrs';
import { OpenCase } from '@crescent/domain';
import { Decidable, RecordWritten } from '@crescent/runtime';
import { OpenCaseDto } from '../commands/dto/case.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';

/** A criminal justice agency opens a case in its parish, naming its lead investigator; it becomes the case's originator. */
export class OpenCaseCommand extends intakeCommand('OpenCase', 'case', OpenCaseDto, 'creates') {}

@CommandHandler(OpenCaseCommand)
export class OpenCaseHandler extends IntakeCommandHandler<OpenCaseCommand> {
  execute(command: OpenCaseCommand): Promise<RecordWritten> {
    return this.write(command, (caseId): Decidable<OpenCase> => ({ type: 'OpenCase', data: { caseId, ...command.body } }));
  }
}
