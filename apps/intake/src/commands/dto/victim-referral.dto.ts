import { IMMIGRATION_RELIEF_STATUSES, ImmigrationReliefStatus, REFERRAL_NEEDS, ReferralNeed } from '@crescent/domain';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { AGENCY_ID, CALENDAR_DATE, LANGUAGE_TAG, Nested, OfficerDto, Pattern, PHONE, PlaceDto, Text } from './shared.dto';

function Languages(): PropertyDecorator {
  return (target, key) => {
    IsArray()(target, key);
    ArrayMinSize(1)(target, key);
    ArrayMaxSize(10)(target, key);
    ArrayUnique()(target, key);
    Pattern(LANGUAGE_TAG, 'each language must be a language tag such as "es" or "pt-BR"', true)(target, key);
  };
}

class VictimDto {
  @Text(100) givenName!: string;
  @Text(100) familyName!: string;
  @Pattern(CALENDAR_DATE, 'dateOfBirth must be a date as YYYY-MM-DD') dateOfBirth!: string;
  @IsISO31661Alpha2({ message: 'nationality must be an ISO 3166-1 alpha-2 country code' })
  @ApiProperty({ type: String, example: 'HN', description: 'ISO 3166-1 alpha-2 country code' })
  nationality!: string;
  @Pattern(PHONE, 'phone must be a telephone number') phone!: string;
  @Languages() preferredLanguages!: string[];
}

class DependentDto {
  @Text(50) relationship!: string;
  @IsInt() @Min(0) @Max(120) @ApiProperty({ type: Number, minimum: 0, maximum: 120 }) age!: number;
}

/** What a referral says about the victim: submitted once, corrected later by the sender. */
export class VictimReferralContentDto {
  @Nested(() => VictimDto) victim!: VictimDto;
  @IsIn(IMMIGRATION_RELIEF_STATUSES) @ApiProperty({ enum: IMMIGRATION_RELIEF_STATUSES }) immigrationReliefStatus!: ImmigrationReliefStatus;
  @IsArray() @ArrayMinSize(1) @ArrayUnique() @IsIn(REFERRAL_NEEDS, { each: true })
  @ApiProperty({ enum: REFERRAL_NEEDS, isArray: true })
  needs!: ReferralNeed[];
  @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => DependentDto)
  @ApiProperty({ type: [DependentDto] })
  dependents!: DependentDto[];
  @Nested(() => PlaceDto) foundAt!: PlaceDto;
  @Nested(() => OfficerDto) referringOfficer!: OfficerDto;
}

export class SubmitVictimReferralDto extends VictimReferralContentDto {
  @Pattern(AGENCY_ID, 'referredToAgencyId must be an agency id') referredToAgencyId!: string;
}

export class RequestInformationDto {
  @Text(2000) question!: string;
}

export class UpdateVictimContactDto {
  @Pattern(PHONE, 'phone must be a telephone number') phone!: string;
  @Languages() preferredLanguages!: string[];
}
