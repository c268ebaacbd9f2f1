import { CommandHandler } from '@nestjs/cqrs';
import { ReinstateAgency } from '@crescent/domain';
import { RecordWritten } from '@crescent/runtime';
import { AdminCommand, AdminCommandHandler } from './admin-command';

/** Reinstates a suspended agency: it is active again. A revoked one stays revoked. */
export class ReinstateAgencyCommand extends AdminCommand<ReinstateAgency['data']> {}

@CommandHandler(ReinstateAgencyCommand)
export class ReinstateAgencyHandler extends AdminCommandHandler<ReinstateAgencyCommand> {
  execute({ data }: ReinstateAgencyCommand): Promise<RecordWritten> {
    return this.write('agency', data.agencyId, { type: 'ReinstateAgency', data });
  }
}
