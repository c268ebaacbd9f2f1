import { CommandHandler } from '@nestjs/cqrs';
import { SuspendAgency } from '@crescent/domain';
import { RecordWritten } from '@crescent/runtime';
import { AdminCommand, AdminCommandHandler } from './admin-command';

/** Suspends an agency, with a reason: its requests are refused and it receives nothing until reinstated. */
export class SuspendAgencyCommand extends AdminCommand<SuspendAgency['data']> {}

@CommandHandler(SuspendAgencyCommand)
export class SuspendAgencyHandler extends AdminCommandHandler<SuspendAgencyCommand> {
  execute({ data }: SuspendAgencyCommand): Promise<RecordWritten> {
    return this.write('agency', data.agencyId, { type: 'SuspendAgency', data });
  }
}
