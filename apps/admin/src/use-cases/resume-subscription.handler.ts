import { CommandHandler } from '@nestjs/cqrs';
import { ResumeSubscription } from '@crescent/domain';
import { RecordWritten } from '@crescent/runtime';
import { AdminCommand, AdminCommandHandler } from './admin-command';

/** Resumes a paused subscription. */
export class ResumeSubscriptionCommand extends AdminCommand<ResumeSubscription['data']> {}

@CommandHandler(ResumeSubscriptionCommand)
export class ResumeSubscriptionHandler extends AdminCommandHandler<ResumeSubscriptionCommand> {
  execute({ data }: ResumeSubscriptionCommand): Promise<RecordWritten> {
    return this.write('subscription', data.subscriptionId, { type: 'ResumeSubscription', data });
  }
}
