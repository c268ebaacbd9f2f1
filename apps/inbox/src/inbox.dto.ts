import { ApiProperty } from '@nestjs/swagger';
import { INBOX_STATUSES, InboxReferral, InboxStatus } from './inbox.store';

/** One referral of the inbox, as the API documents it. */
export class InboxReferralDto implements InboxReferral {
  @ApiProperty()
  readonly referralId!: string;
  @ApiProperty({ format: 'date-time', description: 'when the referral was received' })
  readonly receivedAt!: string;
  @ApiProperty({ format: 'date-time', description: 'when its last change was received; receivedAt until one is' })
  readonly updatedAt!: string;
  @ApiProperty({ enum: INBOX_STATUSES, description: 'where the referral stands, as far as this agency has been told' })
  readonly status!: InboxStatus;
  @ApiProperty({ description: 'the record version of the latest event applied: a repeated or older delivery changes nothing' })
  readonly recordVersion!: number;
  @ApiProperty({ description: 'the sharing policy version the latest event was cut under' })
  readonly policyVersion!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "the referral as this agency's policy, consent and statute cut it: only what they grant" })
  readonly referral!: Record<string, unknown>;
}

export class InboxListDto {
  @ApiProperty({ type: [InboxReferralDto], description: 'newest first' })
  readonly referrals!: InboxReferralDto[];
}
