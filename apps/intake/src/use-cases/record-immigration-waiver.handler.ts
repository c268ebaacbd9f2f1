import { CommandHandler } from '@nestjs/cqrs';
import { RecordImmigrationWaiver } from '@crescent/domain';
import { Decidable, RecordWritten } from '@crescent/runtime';
import { ImmigrationWaiverDto } from '../commands/dto/victim-referral.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';

/** 8 U.S.C. 1367(b)(4): an adult victim's written waiver of the section's protection. */
export class RecordImmigrationWaiverCommand extends intakeCommand('RecordImmigrationWaiver', 'victim-referral', ImmigrationWaiverDto, 'changes') {}

@CommandHandler(RecordImmigrationWaiverCommand)
export class RecordImmigrationWaiverHandler extends IntakeCommandHandler<RecordImmigrationWaiverCommand> {
  execute(command: RecordImmigrationWaiverCommand): Promise<RecordWritten> {
    return this.write(command, (referralId): Decidable<RecordImmigrationWaiver> => ({ type: 'RecordImmigrationWaiver', data: { referralId, ...command.body } }));
  }
}
