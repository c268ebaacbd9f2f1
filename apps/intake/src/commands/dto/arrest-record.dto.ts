import { GuardianRelationship } from '@crescent/domain';
import { ArrayMaxSize, ArrayUnique, IsArray } from 'class-validator';
import { DateField, Nested, NestedList, Pattern, PlaceDto, RECORD_ID, Relationship, Text } from './shared.dto';

class ArresteeDto {
  @Text(100) givenName!: string;
  @Text(100) familyName!: string;
  @DateField('birth date') dateOfBirth!: string;
  /** When known: the arrestee is the victims' mother, uncle, guardian (a minor's consent by a guardian of that relationship then stops). */
  @Relationship(true) relationshipToVictim?: GuardianRelationship;
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

/** The arresting agency's later finding of how the arrestee stands to the victims. */
export class ArresteeRelationshipDto {
  @Relationship() relationshipToVictim!: GuardianRelationship;
}

export class CourtOrderDto {
  @Text(200) courtOrderReference!: string;
}
