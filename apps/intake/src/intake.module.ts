import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ReferralController } from './referrals/referral.controller';
import { VictimReferralCommandHandler } from './referrals/victim-referral-command.handler';

/** Records in: HTTP commands become events in the store. */
@Module({
  imports: [CqrsModule],
  controllers: [ReferralController],
  providers: [VictimReferralCommandHandler],
})
export class IntakeModule {}
