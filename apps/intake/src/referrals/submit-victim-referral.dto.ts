import {
  IMMIGRATION_RELIEF_STATUSES,
  ImmigrationReliefStatus,
  REFERRAL_NEEDS,
  ReferralNeed,
} from '@crescent/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsNotEmpty,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

const PHONE = /^\+?[0-9][0-9 ().-]{5,24}$/;
const CALENDAR_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const AGENCY_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

class VictimDto {
  @IsString() @IsNotEmpty() @MaxLength(200)
  name!: string;

  @Matches(CALENDAR_DATE, { message: 'dateOfBirth must be a date as YYYY-MM-DD' })
  dateOfBirth!: string;

  @IsISO31661Alpha2({ message: 'nationality must be an ISO 3166-1 alpha-2 country code' })
  nationality!: string;

  @Matches(PHONE, { message: 'phone must be a telephone number' })
  phone!: string;

  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(10) @ArrayUnique()
  @Matches(LANGUAGE_TAG, { each: true, message: 'each language must be a language tag such as "es" or "pt-BR"' })
  languages!: string[];
}

class DependentDto {
  @IsString() @IsNotEmpty() @MaxLength(50)
  relationship!: string;

  @IsInt() @Min(0) @Max(120)
  age!: number;
}

class PlaceDto {
  @IsString() @IsNotEmpty() @MaxLength(500)
  description!: string;

  @IsString() @IsNotEmpty() @MaxLength(100)
  parish!: string;
}

class ReferringOfficerDto {
  @IsString() @IsNotEmpty() @MaxLength(200)
  name!: string;

  @IsString() @IsNotEmpty() @MaxLength(50)
  badgeNumber!: string;

  @Matches(PHONE, { message: 'phone must be a telephone number' })
  phone!: string;
}

export class SubmitVictimReferralDto {
  @Matches(AGENCY_ID, { message: 'referredToAgencyId must be an agency id' })
  referredToAgencyId!: string;

  @IsObject() @ValidateNested() @Type(() => VictimDto)
  victim!: VictimDto;

  @IsIn(IMMIGRATION_RELIEF_STATUSES)
  immigrationReliefStatus!: ImmigrationReliefStatus;

  @IsArray() @ArrayMinSize(1) @ArrayUnique() @IsIn(REFERRAL_NEEDS, { each: true })
  needs!: ReferralNeed[];

  @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => DependentDto)
  dependents!: DependentDto[];

  @IsObject() @ValidateNested() @Type(() => PlaceDto)
  foundAt!: PlaceDto;

  @IsObject() @ValidateNested() @Type(() => ReferringOfficerDto)
  referringOfficer!: ReferringOfficerDto;
}
