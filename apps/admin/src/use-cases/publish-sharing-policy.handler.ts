import { CommandHandler } from '@nestjs/cqrs';
import { DomainError, SharingPolicy } from '@crescent/domain';
import { RecordWritten } from '@crescent/runtime';
import { SharingPolicyDto } from '../admin.dto';
import { AdminCommand, AdminCommandHandler } from './admin-command';

/** What names a policy: lower-case letters, digits and dashes, 2 to 63. */
export const POLICY_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** Publishes the next version of a sharing policy (the first creates it); the relay applies it to what it delivers from then on. */
export class PublishSharingPolicyCommand extends AdminCommand<SharingPolicyDto & { readonly policyId: string }> {}

@CommandHandler(PublishSharingPolicyCommand)
export class PublishSharingPolicyHandler extends AdminCommandHandler<PublishSharingPolicyCommand> {
  execute({ data }: PublishSharingPolicyCommand): Promise<RecordWritten> {
    if (!POLICY_ID.test(data.policyId)) throw new DomainError('validation', 'POLICY.INVALID_ID', 'a policy id is lower-case letters, digits and dashes');
    // The body leaves appliesTo's one key open; the decider refuses anything but exactly one (SHARING_POLICY.INVALID_APPLIES_TO).
    return this.write('sharing-policy', data.policyId, { type: 'PublishSharingPolicy', data: data as SharingPolicy });
  }
}
