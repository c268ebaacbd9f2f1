import { SHARABLE_RECORD_TYPES, SharableRecordType, SUBSCRIPTION_STATUSES, SubscriptionStatus } from '@crescent/domain';
import { SubscriptionFacts } from '@crescent/policy';
import { ApiProperty } from '@nestjs/swagger';
import { SubscriptionFiltersDto } from './admin.dto';

class SubscriptionDto implements SubscriptionFacts {
  @ApiProperty({ format: 'uuid' })
  subscriptionId!: string;
  @ApiProperty()
  agencyId!: string;
  @ApiProperty({ enum: SHARABLE_RECORD_TYPES })
  recordType!: SharableRecordType;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'the record schema version the agency receives' })
  schemaVersion!: number;
  @ApiProperty({ type: SubscriptionFiltersDto, description: 'empty: every record of the type the agency may receive' })
  filters!: SubscriptionFiltersDto;
  @ApiProperty()
  backfill!: boolean;
  @ApiProperty({ enum: SUBSCRIPTION_STATUSES, description: 'only an active subscription delivers' })
  status!: SubscriptionStatus;
}

export class SubscriptionListDto {
  @ApiProperty({ type: [SubscriptionDto] })
  subscriptions!: SubscriptionDto[];
}
