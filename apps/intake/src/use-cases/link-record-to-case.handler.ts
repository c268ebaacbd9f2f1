import { CommandHandler } from '@nestjs/cqrs';
import { deciderFor, DomainError, LinkRecordToCase } from '@crescent/domain';
import { Decidable, loadRecord, RecordWritten } from '@crescent/runtime';
import { LinkRecordToCaseDto } from '../commands/dto/case.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';

/**
 * Links a record to a case. An agency links only a record of its own, or a referral addressed to it;
 * to it any other record does not exist. The pure decider reads no other record, so the handler does.
 */
export class LinkRecordToCaseCommand extends intakeCommand('LinkRecordToCase', 'case', LinkRecordToCaseDto, 'changes') {}

@CommandHandler(LinkRecordToCaseCommand)
export class LinkRecordToCaseHandler extends IntakeCommandHandler<LinkRecordToCaseCommand> {
  execute(command: LinkRecordToCaseCommand): Promise<RecordWritten> {
    return this.write(command, async (caseId, { store }): Promise<Decidable<LinkRecordToCase>> => {
      const { recordType, recordId } = command.body;
      const view = deciderFor(recordType).view((await loadRecord(store, recordType, recordId)).state);
      const addressee = recordType === 'victim-referral' ? view?.record.referredToAgencyId : undefined;
      if (!view || (view.originatorAgencyId !== command.agency.id && addressee !== command.agency.id)) {
        throw new DomainError('not-found', 'CASE.LINKED_RECORD_NOT_FOUND', 'no such record of yours to link');
      }
      return { type: 'LinkRecordToCase', data: { caseId, recordType, recordId } };
    });
  }
}
