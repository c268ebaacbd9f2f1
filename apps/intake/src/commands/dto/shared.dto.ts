import { GUARDIAN_RELATIONSHIPS } from '@crescent/domain';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';

export const PHONE = /^\+?[0-9][0-9 ().-]{5,24}$/;
export const CALENDAR_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
export const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
export const AGENCY_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
export const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Free text a person writes: required, bounded. */
export function Text(maxLength: number): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    IsNotEmpty()(target, key);
    MaxLength(maxLength)(target, key);
    ApiProperty({ type: String, minLength: 1, maxLength })(target, key);
  };
}

/** A nested object that must be valid, and present unless `optional`. */
export function Nested(type: () => new () => object, optional = false): PropertyDecorator {
  return (target, key) => {
    if (optional) IsOptional()(target, key);
    IsObject()(target, key);
    ValidateNested()(target, key);
    Type(type)(target, key);
    // Swagger takes a function as a lazy type only when it is named `type`, as an arrow written in the property is; another is read as a class, and an unnamed one as a schema with no name.
    ApiProperty({ type: () => type(), required: !optional })(target, key);
  };
}

/** A string that must match `pattern`; the message names the field and what it must be. */
export function Pattern(pattern: RegExp, message: string, each = false): PropertyDecorator {
  return (target, key) => {
    Matches(pattern, { message, each })(target, key);
    ApiProperty(each ? { type: [String], description: message } : { type: String, pattern: pattern.source, description: message })(target, key);
  };
}

/** How a person stands to a minor victim, from `GUARDIAN_RELATIONSHIPS`: a guardian's, an arrestee's. */
export function Relationship(optional = false): PropertyDecorator {
  return (target, key) => {
    if (optional) IsOptional()(target, key);
    IsIn(GUARDIAN_RELATIONSHIPS, { message: `${String(key)} must be one of ${GUARDIAN_RELATIONSHIPS.join(', ')}` })(target, key);
    ApiProperty({ enum: GUARDIAN_RELATIONSHIPS, required: !optional })(target, key);
  };
}

export class PlaceDto {
  @Text(500) description!: string;
  @Text(100) parish!: string;
}

export class OfficerDto {
  @Text(200) name!: string;
  @Text(50) badgeNumber!: string;
  @Pattern(PHONE, 'phone must be a telephone number') phone!: string;
}

export class ReasonDto {
  @Text(2000) reason!: string;
}

/** A command that needs nothing but the record it names. */
export class NoBodyDto {}
