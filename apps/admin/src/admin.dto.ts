import { AGENCY_KINDS, AgencyKind, CONSENT_PURPOSES, ConsentPurpose, FEDERAL_DEPARTMENTS, FederalDepartment, GENERALIZATIONS, MAX_AGENCY_REASON_LENGTH, MAX_CREDENTIAL_GRACE_SECONDS, MAX_JURISDICTION_PARISHES, PLAIN_TEXT_RULE, RECORD_TYPES, RecordType, SHARABLE_RECORD_TYPES, SharableRecordType } from '@crescent/domain';
import { AGENCY_LIFECYCLES, AgencyLifecycle } from '@crescent/policy';
import { applyDecorators } from '@nestjs/common';
import { IsPlainText } from '@crescent/runtime';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export const AGENCY_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
const FIELD_PATH = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;
const ACTIONS = ['include', 'mask', 'pseudonymize', 'generalize', 'drop'] as const;

export class RegisterAgencyDto {
  @Matches(AGENCY_ID, { message: 'agencyId must be lower-case letters, digits and dashes' }) @ApiProperty({ pattern: AGENCY_ID.source })
  agencyId!: string;
  @IsString() @IsPlainText() @MaxLength(200) @ApiProperty({ description: `Text: ${PLAIN_TEXT_RULE}.` })
  name!: string;
  @IsIn(AGENCY_KINDS) @ApiProperty({ enum: AGENCY_KINDS })
  kind!: AgencyKind;
  @IsOptional() @IsIn(FEDERAL_DEPARTMENTS)
  @ApiPropertyOptional({ enum: FEDERAL_DEPARTMENTS, description: 'the federal department a federal law enforcement agency or prosecutor is a component of; only these hold 8 U.S.C. 1367 information' })
  department?: FederalDepartment;
  @Jurisdiction()
  jurisdiction!: string[];
}

/** The parishes an agency serves, validated and described once for registration and for a change. */
function Jurisdiction(): PropertyDecorator {
  return applyDecorators(
    IsArray(),
    ArrayMaxSize(MAX_JURISDICTION_PARISHES),
    ArrayUnique(),
    IsString({ each: true }),
    IsPlainText({ each: true }),
    MaxLength(100, { each: true }),
    ApiProperty({
      type: [String],
      maxItems: MAX_JURISDICTION_PARISHES,
      description: `the parishes the agency serves: a criminal justice agency receives a case's records when the case is in one of them or it is on the case's team (28 CFR Part 23). Each name: ${PLAIN_TEXT_RULE}.`,
    }),
  );
}

export class AgencyJurisdictionDto {
  @Jurisdiction()
  jurisdiction!: string[];
}

export class RotateCredentialDto {
  @IsInt() @Min(0) @Max(MAX_CREDENTIAL_GRACE_SECONDS)
  @ApiProperty({ minimum: 0, maximum: MAX_CREDENTIAL_GRACE_SECONDS, description: 'how many seconds the credentials held until now keep working; 0 stops them at once' })
  graceSeconds!: number;
}

/** Why an agency is suspended or revoked: kept in its record for audits. */
export class AgencyReasonDto {
  @IsString() @IsPlainText() @MaxLength(MAX_AGENCY_REASON_LENGTH)
  @ApiProperty({ minLength: 1, maxLength: MAX_AGENCY_REASON_LENGTH, description: `Text: ${PLAIN_TEXT_RULE}.` })
  reason!: string;
}

export class AgencyRegisteredDto {
  @ApiProperty()
  agencyId!: string;
  @ApiProperty({ description: "the agency's bearer token, shown this once: the exchange keeps only its SHA-256" })
  token!: string;
}

export class CredentialIssuedDto {
  @ApiProperty()
  agencyId!: string;
  @ApiProperty({ description: 'the new bearer token, shown this once: the exchange keeps only its SHA-256' })
  token!: string;
  @ApiProperty({ format: 'date-time', description: 'when the credentials held before stop working' })
  previousCredentialsValidUntil!: string;
}

export class AgencyStatusDto {
  @ApiProperty()
  agencyId!: string;
  @ApiProperty({ enum: AGENCY_LIFECYCLES })
  status!: AgencyLifecycle;
}

export class AgencyDto {
  @ApiProperty()
  id!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty({ enum: AGENCY_KINDS })
  kind!: AgencyKind;
  @ApiPropertyOptional({ enum: FEDERAL_DEPARTMENTS })
  department?: FederalDepartment;
  @ApiProperty({ type: [String] })
  jurisdiction!: readonly string[];
  @ApiProperty({ enum: AGENCY_LIFECYCLES, description: 'only an active agency is authenticated and receives deliveries' })
  status!: AgencyLifecycle;
}

export class AgencyListDto {
  @ApiProperty({ type: [AgencyDto] })
  agencies!: AgencyDto[];
}

/** When one credential works; the credential itself is never shown. */
export class CredentialWindowDto {
  @ApiProperty({ format: 'date-time' })
  issuedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'it works until just before this instant; null: until a rotation ends it' })
  validUntil!: string | null;
}

export class AgencyDetailDto extends AgencyDto {
  @ApiProperty({ type: [CredentialWindowDto], description: 'every credential issued to the agency, oldest first' })
  credentials!: CredentialWindowDto[];
}

class RuleConditionDto {
  @IsOptional() @IsArray() @IsIn(AGENCY_KINDS, { each: true }) @ApiPropertyOptional({ enum: AGENCY_KINDS, isArray: true })
  recipientKinds?: AgencyKind[];
  @IsOptional() @IsArray() @IsIn(AGENCY_KINDS, { each: true }) @ApiPropertyOptional({ enum: AGENCY_KINDS, isArray: true })
  originKinds?: AgencyKind[];
  @IsOptional() @IsBoolean() @ApiPropertyOptional()
  requiresConsent?: boolean;
}

export class FieldRuleDto {
  @Matches(FIELD_PATH, { message: 'path must be a field path such as victim.phone' }) @ApiProperty({ pattern: FIELD_PATH.source })
  path!: string;
  @IsIn(ACTIONS) @ApiProperty({ enum: ACTIONS })
  action!: (typeof ACTIONS)[number];
  @IsOptional() @IsInt() @Min(0) @Max(20) @ApiPropertyOptional({ description: 'mask: characters kept at the end' })
  keepLast?: number;
  @IsOptional() @IsIn(GENERALIZATIONS) @ApiPropertyOptional({ enum: GENERALIZATIONS })
  to?: (typeof GENERALIZATIONS)[number];
  @IsOptional() @IsObject() @ValidateNested() @Type(() => RuleConditionDto) @ApiPropertyOptional({ type: RuleConditionDto })
  when?: RuleConditionDto;
}

class AppliesToDto {
  @IsOptional() @Matches(AGENCY_ID, { message: 'agencyId must be an agency id' }) @ApiPropertyOptional()
  agencyId?: string;
  @IsOptional() @IsIn(AGENCY_KINDS) @ApiPropertyOptional({ enum: AGENCY_KINDS })
  agencyKind?: AgencyKind;
}

/** A sharing policy version as an administrator writes it; its id is in the path. */
export class SharingPolicyDto {
  @IsObject() @ValidateNested() @Type(() => AppliesToDto) @ApiProperty({ type: AppliesToDto, description: 'exactly one of agencyId or agencyKind' })
  appliesTo!: AppliesToDto;
  @IsIn(RECORD_TYPES) @ApiProperty({ enum: RECORD_TYPES })
  recordType!: RecordType;
  @IsIn(CONSENT_PURPOSES) @ApiProperty({ enum: CONSENT_PURPOSES })
  purpose!: ConsentPurpose;
  @IsBoolean() @ApiProperty({ description: 'grants apply only to records addressed to the recipient' })
  addresseeOnly!: boolean;
  @IsArray() @ArrayMaxSize(200) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => FieldRuleDto) @ApiProperty({ type: [FieldRuleDto] })
  rules!: FieldRuleDto[];
}

class SampleEventDto {
  @IsString() @IsNotEmpty() @ApiProperty({ example: 'VictimReferralSubmitted' })
  type!: string;
  @IsObject() @ApiProperty({ type: Object })
  data!: Record<string, unknown>;
}

class RecordRefDto {
  @IsIn(RECORD_TYPES) @ApiProperty({ enum: RECORD_TYPES })
  recordType!: RecordType;
  @IsString() @IsNotEmpty() @ApiProperty()
  recordId!: string;
}

class SampleRecordDto extends RecordRefDto {
  @Matches(AGENCY_ID, { message: 'originAgencyId must be an agency id' }) @ApiProperty({ description: 'the agency the sample record comes from' })
  originAgencyId!: string;
  @IsObject() @ValidateNested() @Type(() => SampleEventDto) @ApiProperty({ type: SampleEventDto })
  event!: SampleEventDto;
}

/** Which disclosure state a stored record's events are previewed under: each event's own, as it was sent, or today's. */
export const PREVIEW_AS_OF = ['event', 'now'] as const;
export type PreviewAsOf = (typeof PREVIEW_AS_OF)[number];

/** Preview: a stored record (every event of it) or a sample event, under the recipient's policy or a draft. */
export class PreviewDto {
  @Matches(AGENCY_ID, { message: 'recipientAgencyId must be an agency id' }) @ApiProperty()
  recipientAgencyId!: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => RecordRefDto) @ApiPropertyOptional({ type: RecordRefDto })
  record?: RecordRefDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => SampleRecordDto) @ApiPropertyOptional({ type: SampleRecordDto })
  sample?: SampleRecordDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => SharingPolicyDto) @ApiPropertyOptional({ type: SharingPolicyDto })
  draft?: SharingPolicyDto;
  @IsOptional() @IsIn(PREVIEW_AS_OF)
  @ApiPropertyOptional({
    enum: PREVIEW_AS_OF,
    // Not `default`: the generated client types would make the field required.
    description:
      "for a stored record: 'event' (the default) previews each event under the disclosure state at its place in the feed (consents, policy versions, seals, " +
      "case teams and 1367 exceptions as they stood) at the event's own time, which is what the recipient was sent; 'now' under the state today. " +
      'A sample is always previewed under the state today.',
  })
  asOf?: PreviewAsOf;
}

export class SubscriptionFiltersDto {
  @IsOptional() @IsArray() @ArrayMaxSize(64) @IsString({ each: true }) @IsPlainText({ each: true }) @ApiPropertyOptional({ type: [String], example: ['Orleans'] })
  parishes?: string[];
  @IsOptional() @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) @IsNotEmpty({ each: true }) @ApiPropertyOptional({ type: [String] })
  caseIds?: string[];
}

export class CreateSubscriptionDto {
  @Matches(AGENCY_ID, { message: 'agencyId must be an agency id' }) @ApiProperty()
  agencyId!: string;
  @IsIn(SHARABLE_RECORD_TYPES) @ApiProperty({ enum: SHARABLE_RECORD_TYPES })
  recordType!: SharableRecordType;
  @IsOptional() @IsInt() @Min(1) @ApiPropertyOptional({ description: 'the record schema version to receive; the newest when absent' })
  schemaVersion?: number;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => SubscriptionFiltersDto) @ApiPropertyOptional({ type: SubscriptionFiltersDto })
  filters?: SubscriptionFiltersDto;
  @IsOptional() @IsBoolean() @ApiPropertyOptional({ description: 'also deliver every record the agency would have received had it subscribed earlier, each as one RecordSnapshot of the record as it stands now; false when absent' })
  backfill?: boolean;
}
