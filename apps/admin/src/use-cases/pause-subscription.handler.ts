import { CommandHandler } from '@nestjs/cqrs';
import { PauseSubscription } from '@crescent/domain';
import { RecordWritten } from '@crescent/runtime';
import { AdminCommand, AdminCommandHandler } from './admin-command';

/** Pauses a subscription: nothing is delivered on it until it resumes. */
export class PauseSubscriptionCommand extends AdminCommand<PauseSubscription['data']> {}

@CommandHandler(PauseSubscriptionCommand)
export class PauseSubscriptionHandler extends AdminCommandHandler<PauseSubscriptionCommand> {
  execute({ data }: PauseSubscriptionCommand): Promise<RecordWritten> {
    return this.write('subscription', data.subscriptionId, { type: 'PauseSubscription', data });
  }
}
