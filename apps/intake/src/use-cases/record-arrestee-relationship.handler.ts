import { CommandHandler } from '@nestjs/cqrs';
import { RecordArresteeRelationship } from '@crescent/domain';
import { Decidable, RecordWritten } from '@crescent/runtime';
import { ArresteeRelationshipDto } from '../commands/dto/arrest-record.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';

/** The arresting agency records a later finding that the arrestee is a relative or guardian of the victims (what tells a guardian turned suspect). */
export class RecordArresteeRelationshipCommand extends intakeCommand('RecordArresteeRelationship', 'arrest-record', ArresteeRelationshipDto, 'changes') {}

@CommandHandler(RecordArresteeRelationshipCommand)
export class RecordArresteeRelationshipHandler extends IntakeCommandHandler<RecordArresteeRelationshipCommand> {
  execute(command: RecordArresteeRelationshipCommand): Promise<RecordWritten> {
    return this.write(command, (arrestRecordId): Decidable<RecordArresteeRelationship> => ({ type: 'RecordArresteeRelationship', data: { arrestRecordId, ...command.body } }));
  }
}
