import { GUARDIAN_RELATIONSHIPS, isBirthDate, isCalendarDate, isInstant, isPlausibleDate, PLAIN_TEXT_RULE, PLAUSIBLE_DATE_RULE } from '@crescent/domain';
import { IsPlainText } from '@crescent/runtime';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateBy, ValidateNested } from 'class-validator';

export const PHONE = /^\+?[0-9][0-9 ().-]{5,24}$/;
export const CALENDAR_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
export const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
export const AGENCY_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
export const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Text a person writes, a name or a note: required, bounded, plain (the domain's rule, said in the contract). */
export function Text(maxLength: number): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    MaxLength(maxLength)(target, key);
    IsPlainText()(target, key);
    ApiProperty({ type: String, minLength: 1, maxLength, description: `Text: ${PLAIN_TEXT_RULE}.` })(target, key);
  };
}

const DATES = {
  date: { pattern: CALENDAR_DATE, format: 'date', says: `a date as YYYY-MM-DD, ${PLAUSIBLE_DATE_RULE}`, is: (value: unknown, now: string) => isCalendarDate(value) && isPlausibleDate(value, now) },
  'birth date': { pattern: CALENDAR_DATE, format: 'date', says: 'a date as YYYY-MM-DD, from 1900 to today', is: isBirthDate },
  'date-time': { pattern: INSTANT, format: 'date-time', says: `an ISO 8601 date-time with an offset, ${PLAUSIBLE_DATE_RULE}`, is: (value: unknown, now: string) => isInstant(value) && isPlausibleDate(value, now) },
} as const;

/** A date or date-time the domain finds plausible, checked here too so the field is named in the answer. */
export function DateField(kind: keyof typeof DATES, description?: string): PropertyDecorator {
  const { pattern, format, says, is } = DATES[kind];
  return (target, key) => {
    ValidateBy({ name: 'plausibleDate', validator: { validate: (value) => is(value, new Date().toISOString()), defaultMessage: (args) => `${args?.property} must be ${says}` } })(
      target,
      key,
    );
    ApiProperty({ type: String, format, pattern: pattern.source, description: description ? `${description}; ${says}` : says })(target, key);
  };
}

/** A list of objects, each an object of `type` and valid: an element that is a list, text or null is refused where it is. */
export function NestedList(type: () => new () => object, minSize: number, maxSize: number): PropertyDecorator {
  return (target, key) => {
    IsArray()(target, key);
    ArrayMinSize(minSize)(target, key);
    ArrayMaxSize(maxSize)(target, key);
    IsObject({ each: true })(target, key);
    ValidateNested({ each: true })(target, key);
    Type(type)(target, key);
    ApiProperty({ type: [type()], minItems: minSize, maxItems: maxSize })(target, key);
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
