import { IMMIGRATION_RELIEF_STATUSES, ImmigrationReliefStatus, REFERRAL_NEEDS, ReferralNeed } from '@crescent/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsObject,
  IsOptional,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { AGENCY_ID, DateField, LANGUAGE_TAG, Nested, NestedList, OfficerDto, Pattern, PHONE, PlaceDto, Text } from './shared.dto';

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
  @DateField('birth date') dateOfBirth!: string;
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
class VictimServicesConsentDto {
  @DateField('date-time') writtenConsentObtainedAt!: string;
}

export class VictimReferralContentDto {
  @Nested(() => VictimDto) victim!: VictimDto;
  @IsIn(IMMIGRATION_RELIEF_STATUSES) @ApiProperty({ enum: IMMIGRATION_RELIEF_STATUSES }) immigrationReliefStatus!: ImmigrationReliefStatus;
  @IsArray() @ArrayMinSize(1) @ArrayUnique() @IsIn(REFERRAL_NEEDS, { each: true })
  @ApiProperty({ enum: REFERRAL_NEEDS, isArray: true })
  needs!: ReferralNeed[];
  @NestedList(() => DependentDto, 0, 20) dependents!: DependentDto[];
  @Nested(() => PlaceDto) foundAt!: PlaceDto;
  @Nested(() => OfficerDto) referringOfficer!: OfficerDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => VictimServicesConsentDto)
  @ApiPropertyOptional({
    type: VictimServicesConsentDto,
    description:
      "8 U.S.C. 1367(b)(7): when the victim applied for or holds immigration relief (immigrationReliefStatus not none), her prior written consent to this referral to the shelter. Required then; it reaches no agency outside DHS, DOJ and State but the addressee.",
  })
  victimServicesConsent?: VictimServicesConsentDto;
}

export class SubmitVictimReferralDto extends VictimReferralContentDto {
  @Pattern(AGENCY_ID, 'referredToAgencyId must be an agency id') referredToAgencyId!: string;
}

export class RequestInformationDto {
  @Text(2000) question!: string;
}

export class AnswerInformationRequestDto {
  @Pattern(/^q[1-9][0-9]{0,5}$/, 'questionId must be the id of a question, such as q1') questionId!: string;
  @Text(2000) answer!: string;
}

export class UpdateVictimContactDto {
  @Pattern(PHONE, 'phone must be a telephone number') phone!: string;
  @Languages() preferredLanguages!: string[];
}

/** 8 U.S.C. 1367(b)(2): the DHS component that referred the victim names the law enforcement agency and the purpose. */
export class LawEnforcementDisclosureDto {
  @Pattern(AGENCY_ID, 'recipientAgencyId must be an agency id') recipientAgencyId!: string;
  @Text(500) purpose!: string;
  @Text(200) authorizingOfficial!: string;
}

/** 8 U.S.C. 1367(b)(4): when the adult victim waived the section in writing. */
export class ImmigrationWaiverDto {
  @DateField('date-time') waivedInWritingAt!: string;
}

/** 8 U.S.C. 1367(a)(2): the day the application was finally denied, all appeals exhausted. */
export class ImmigrationReliefDenialDto {
  @DateField('date') finallyDeniedOn!: string;
}
