import { CommandHandler } from '@nestjs/cqrs';
import { EndSubscription } from '@crescent/domain';
import { RecordWritten } from '@crescent/runtime';
import { AdminCommand, AdminCommandHandler } from './admin-command';

/** Ends a subscription for good. */
export class EndSubscriptionCommand extends AdminCommand<EndSubscription['data']> {}

@CommandHandler(EndSubscriptionCommand)
export class EndSubscriptionHandler extends AdminCommandHandler<EndSubscriptionCommand> {
  execute({ data }: EndSubscriptionCommand): Promise<RecordWritten> {
    return this.write('subscription', data.subscriptionId, { type: 'EndSubscription', data });
  }
}
