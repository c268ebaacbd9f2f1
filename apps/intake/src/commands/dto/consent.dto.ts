import { CONSENT_PURPOSES, ConsentPurpose, GuardianRelationship } from '@crescent/domain';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, Equals, IsArray, IsBoolean, IsIn } from 'class-validator';
import { AGENCY_ID, DateField, Nested, Pattern, RECORD_ID, Relationship, Text } from './shared.dto';

class GuardianDto {
  @Text(200) name!: string;
  @Relationship() relationship!: GuardianRelationship;
}

const FIELD_PATH = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;

export class RecordConsentDto {
  @ApiProperty({ description: "the victim's referral: the recording agency is its addressee or its sender" })
  @Pattern(RECORD_ID, 'referralId must be a record id')
  referralId!: string;
  @IsBoolean() @ApiProperty({ type: Boolean }) victimIsMinor!: boolean;
  @Nested(() => GuardianDto, true) guardian?: GuardianDto;
  @IsArray() @ArrayMinSize(1) @ArrayUnique() @Pattern(AGENCY_ID, 'each recipientAgencyId must be an agency id', true)
  recipientAgencyIds!: string[];
  @IsArray() @ArrayMinSize(1) @ArrayUnique() @IsIn(CONSENT_PURPOSES, { each: true })
  @ApiProperty({ enum: CONSENT_PURPOSES, isArray: true })
  purposes!: ConsentPurpose[];
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ArrayUnique() @Pattern(FIELD_PATH, 'each field must be a field path such as victim.phone', true)
  fields!: string[];
  @Equals(true, { message: 'written must be true: consent is given in writing' }) @ApiProperty({ type: Boolean, enum: [true] }) written!: true;
  @Equals(true, { message: 'informed must be true: consent is informed' }) @ApiProperty({ type: Boolean, enum: [true] }) informed!: true;
  /** Required: a consent without an expiry is refused. */
  @DateField('date-time', "after now, and at most the exchange's CONSENT_MAX_DAYS (365 unless set) days later")
  expiresAt!: string;
}
