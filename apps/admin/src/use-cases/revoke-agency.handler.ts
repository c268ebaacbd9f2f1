import { CommandHandler } from '@nestjs/cqrs';
import { RevokeAgency } from '@crescent/domain';
import { RecordWritten } from '@crescent/runtime';
import { AdminCommand, AdminCommandHandler } from './admin-command';

/** Revokes an agency for good, with a reason: its requests are refused and nothing about it can change any more. */
export class RevokeAgencyCommand extends AdminCommand<RevokeAgency['data']> {}

@CommandHandler(RevokeAgencyCommand)
export class RevokeAgencyHandler extends AdminCommandHandler<RevokeAgencyCommand> {
  execute({ data }: RevokeAgencyCommand): Promise<RecordWritten> {
    return this.write('agency', data.agencyId, { type: 'RevokeAgency', data });
  }
}
