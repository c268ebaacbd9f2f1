import { CommandHandler } from '@nestjs/cqrs';
import { SetAgencyJurisdiction } from '@crescent/domain';
import { RecordWritten } from '@crescent/runtime';
import { AdminCommand, AdminCommandHandler } from './admin-command';

/**
 * Replaces the parishes an agency serves. The relay takes back what rested on a parish dropped and
 * sends, as one snapshot each, the records a parish added gives it a need to know.
 */
export class SetAgencyJurisdictionCommand extends AdminCommand<SetAgencyJurisdiction['data']> {}

@CommandHandler(SetAgencyJurisdictionCommand)
export class SetAgencyJurisdictionHandler extends AdminCommandHandler<SetAgencyJurisdictionCommand> {
  execute({ data }: SetAgencyJurisdictionCommand): Promise<RecordWritten> {
    return this.write('agency', data.agencyId, { type: 'SetAgencyJurisdiction', data });
  }
}
