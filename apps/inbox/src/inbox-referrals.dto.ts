import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CONSENT_PURPOSES, ConsentPurpose, GUARDIAN_RELATIONSHIPS, GuardianRelationship } from '@crescent/domain';
import { IsPlainText } from '@crescent/runtime';
import { INBOX_STATUSES, InboxStatus } from './inbox.store';

const SORTS = ['receivedAt', '-receivedAt'] as const;
export const MAX_PAGE_SIZE = 100;

export class InboxQueryDto {
  @IsOptional() @IsIn(INBOX_STATUSES) @ApiPropertyOptional({ enum: INBOX_STATUSES })
  status?: InboxStatus;
  @IsOptional() @IsISO8601({ strict: true }) @ApiPropertyOptional({ format: 'date-time', description: 'received at or after this instant' })
  receivedFrom?: string;
  @IsOptional() @IsISO8601({ strict: true }) @ApiPropertyOptional({ format: 'date-time', description: 'received before this instant' })
  receivedTo?: string;
  @IsOptional() @IsString() @MaxLength(200)
  @ApiPropertyOptional({ maxLength: 200, description: 'words, each looked for (case-insensitive) in the values this agency received of a referral, and nowhere else' })
  q?: string;
  @IsOptional() @IsIn(SORTS) @ApiPropertyOptional({ enum: SORTS, default: '-receivedAt' })
  sort?: (typeof SORTS)[number];
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 1 })
  page?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })
  pageSize?: number;
}

export class InboxItemDto {
  @ApiProperty() referralId!: string;
  @ApiProperty({ enum: INBOX_STATUSES }) status!: InboxStatus;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ nullable: true, type: String, description: 'the referring agency, when this agency received it (none once retracted)' })
  senderAgencyId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: "the referring agency's name, where the inbox knows it" })
  senderName!: string | null;
  @ApiPropertyOptional({ description: "the victim's given and family name, as far as received" })
  victimDisplayName?: string;
  @ApiPropertyOptional({ description: 'whether the victim is a minor, when received' })
  minor?: boolean;
  @ApiProperty({ description: 'its data was retracted: this agency may no longer hold it' })
  retracted!: boolean;
}

export class InboxPageDto {
  @ApiProperty({ type: [InboxItemDto] }) items!: InboxItemDto[];
  @ApiProperty({ description: 'referrals passing the filters, over all pages' }) total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'referrals of each status passing the other filters' })
  counts!: Record<string, number>;
}

export class StatusChangeDto {
  @ApiProperty({ enum: INBOX_STATUSES }) status!: InboxStatus;
  @ApiProperty({ format: 'date-time', description: 'when the inbox received the change' }) at!: string;
}

export class RetractionNoteDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ description: 'the same plain-language note whatever the cause' }) note!: string;
}

export class QuestionDto {
  @ApiProperty({ example: 'q1' }) questionId!: string;
  @ApiPropertyOptional() question?: string;
  @ApiPropertyOptional({ format: 'date-time' }) askedAt?: string;
  @ApiPropertyOptional() answer?: string;
  @ApiPropertyOptional({ format: 'date-time' }) answeredAt?: string;
}

export class DependentDto {
  @ApiProperty({ example: 'daughter' }) relationship!: string;
  @ApiProperty({ example: '0-11' }) ageBand!: string;
}

export class CallbackDto {
  @ApiPropertyOptional() name?: string;
  @ApiPropertyOptional() phone?: string;
}

export class SenderDto {
  @ApiProperty() agencyId!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
}

export class InboxConsentDto {
  @ApiProperty({ format: 'uuid' }) consentId!: string;
  @ApiProperty({ type: [String] }) recipients!: string[];
  @ApiProperty({ enum: CONSENT_PURPOSES, isArray: true }) purposes!: ConsentPurpose[];
  @ApiProperty({ type: [String] }) fields!: string[];
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) revokedAt?: string;
}

export class InboxDetailDto extends InboxItemDto {
  @ApiProperty({ description: 'the record version of the latest event applied' }) recordVersion!: number;
  @ApiProperty({ description: 'the sharing policy version the latest event was cut under' }) policyVersion!: number;
  @ApiProperty({ type: SenderDto, nullable: true }) sender!: SenderDto | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "everything this agency received of the referral, as its policy, consent and statute cut it: only what they grant; empty once retracted" })
  referral!: Record<string, unknown>;
  @ApiPropertyOptional({ type: [DependentDto], description: "each dependent's relationship and age band, when received" })
  dependents?: DependentDto[];
  @ApiPropertyOptional({ type: CallbackDto, description: "the referring officer's work contact, when this agency's policy grants it" })
  callback?: CallbackDto;
  @ApiProperty({ type: [StatusChangeDto], description: 'oldest first' }) history!: StatusChangeDto[];
  @ApiProperty({ type: [RetractionNoteDto] }) retractions!: RetractionNoteDto[];
  @ApiProperty({ type: [QuestionDto], description: 'the questions this agency asked the sender, with its answers' }) questions!: QuestionDto[];
  @ApiProperty({ type: [InboxConsentDto], description: "the victim's consents this inbox recorded for the referral" }) consents!: InboxConsentDto[];
}

function PlainText(maxLength: number): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    MinLength(1)(target, key);
    MaxLength(maxLength)(target, key);
    IsPlainText()(target, key);
    ApiProperty({ minLength: 1, maxLength })(target, key);
  };
}

export class DeclineDto {
  @PlainText(2000) reason!: string;
}

export class AskDto {
  @PlainText(2000) question!: string;
}

export class RevocationDto {
  @PlainText(2000) reason!: string;
}

export class GuardianDto {
  @PlainText(200) name!: string;
  @IsIn(GUARDIAN_RELATIONSHIPS) @ApiProperty({ enum: GUARDIAN_RELATIONSHIPS }) relationship!: GuardianRelationship;
}

const AGENCY_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
const FIELD_PATH = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;

/** The victim's written, informed consent as the caseworker records it: who may receive what, why, until when. */
export class NewConsentDto {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @ArrayUnique() @Matches(AGENCY_ID, { each: true, message: 'each recipient must be an agency id' })
  @ApiProperty({ type: [String], description: 'the agencies she names', example: ['hsi-new-orleans'] })
  recipients!: string[];
  @IsArray() @ArrayMinSize(1) @ArrayUnique() @IsIn(CONSENT_PURPOSES, { each: true }) @ApiProperty({ enum: CONSENT_PURPOSES, isArray: true })
  purposes!: ConsentPurpose[];
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ArrayUnique() @Matches(FIELD_PATH, { each: true, message: 'each field must be a field path such as victim.phone' })
  @ApiProperty({ type: [String], example: ['status'], description: 'field paths of the referral she releases; `status` releases what the shelter did with it' })
  fields!: string[];
  @IsISO8601({ strict: true }) @ApiProperty({ format: 'date-time', description: 'required: a consent without an end is refused' })
  expiresAt!: string;
  @IsOptional() @ValidateNested() @Type(() => GuardianDto) @ApiPropertyOptional({ type: GuardianDto, description: "a minor's parent or guardian, who consents too" })
  guardian?: GuardianDto;
}

export class CommandAcceptedDto {
  @ApiProperty({ description: 'the record the step was taken on: the referral, or the consent' }) recordId!: string;
  @ApiProperty({ description: "the record's version after it, as the exchange counts it" }) version!: number;
}
