import { ArrayMaxSize, ArrayUnique, IsArray } from 'class-validator';
import { DateField, Nested, NestedList, Pattern, PlaceDto, RECORD_ID, Text } from './shared.dto';

class ArresteeDto {
  @Text(100) givenName!: string;
  @Text(100) familyName!: string;
  @DateField('birth date') dateOfBirth!: string;
}

class ChargeDto {
  /** A statute citation such as "La. R.S. 14:46.2". */
  @Text(100) statute!: string;
  @Text(500) description!: string;
}

export class ChargesDto {
  @NestedList(() => ChargeDto, 1, 50) charges!: ChargeDto[];
}

export class RecordArrestDto extends ChargesDto {
  @Nested(() => ArresteeDto) arrestee!: ArresteeDto;
  @Text(50) bookingNumber!: string;
  @DateField('date-time') arrestedAt!: string;
  @Nested(() => PlaceDto) place!: PlaceDto;
  @IsArray() @ArrayMaxSize(50) @ArrayUnique() @Pattern(RECORD_ID, 'each victimReferralId must be a record id', true)
  victimReferralIds!: string[];
}

export class CourtOrderDto {
  @Text(200) courtOrderReference!: string;
}
