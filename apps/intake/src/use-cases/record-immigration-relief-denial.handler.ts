import { CommandHandler } from '@nestjs/cqrs';
import { RecordImmigrationReliefDenial } from '@crescent/domain';
import { Decidable, RecordWritten } from '@crescent/runtime';
import { ImmigrationReliefDenialDto } from '../commands/dto/victim-referral.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';

/** 8 U.S.C. 1367(a)(2): a DHS, DOJ or State component records that the victim's application was finally denied; the protection ends. */
export class RecordImmigrationReliefDenialCommand extends intakeCommand('RecordImmigrationReliefDenial', 'victim-referral', ImmigrationReliefDenialDto, 'changes') {}

@CommandHandler(RecordImmigrationReliefDenialCommand)
export class RecordImmigrationReliefDenialHandler extends IntakeCommandHandler<RecordImmigrationReliefDenialCommand> {
  execute(command: RecordImmigrationReliefDenialCommand): Promise<RecordWritten> {
    return this.write(command, (referralId): Decidable<RecordImmigrationReliefDenial> => ({ type: 'RecordImmigrationReliefDenial', data: { referralId, ...command.body } }));
  }
}
