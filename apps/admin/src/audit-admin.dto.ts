import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';
import {
  ACCESS_CATEGORIES,
  ACCESS_OUTCOMES,
  AccessAuditRow,
  AccessCategory,
  AccessEntry,
  AccessOutcome,
  PERSON_REFERENCE,
  Principal,
  PRINCIPAL,
  RECORD_ID,
} from '@crescent/audit';
import { RECORD_TYPES, RecordType } from '@crescent/domain';
import { ChainedRowDto } from './hash-chain.dto';

const MAX_AUDIT_ROWS = 1000;

/** Every filter is optional and they combine. */
export class AccessAuditQueryDto {
  @IsOptional() @Matches(PRINCIPAL, { message: 'principal must be agency:<id>, person:<uuid>, admin or anonymous' })
  @ApiPropertyOptional({ description: '`agency:<id>`, `person:<uuid>`, `admin` or `anonymous`', example: 'agency:hsi-new-orleans', pattern: PRINCIPAL.source })
  principal?: string;
  @IsOptional() @Matches(RECORD_ID, { message: 'recordId must be a record id' }) @ApiPropertyOptional({ pattern: RECORD_ID.source })
  recordId?: string;
  @IsOptional() @IsIn(ACCESS_CATEGORIES) @ApiPropertyOptional({ enum: ACCESS_CATEGORIES })
  category?: AccessCategory;
  @IsOptional() @IsISO8601({ strict: true }) @ApiPropertyOptional({ description: 'ISO 8601, inclusive' })
  from?: string;
  @IsOptional() @IsISO8601({ strict: true }) @ApiPropertyOptional({ description: 'ISO 8601, exclusive' })
  to?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'the `next` of the previous page: only entries older than it' })
  before?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_AUDIT_ROWS) @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_AUDIT_ROWS, default: 100 })
  limit?: number;
}

class AccessEntryDto implements AccessEntry {
  @ApiProperty()
  id!: string;
  @ApiProperty({ description: 'ISO 8601 UTC, when the request arrived' })
  at!: string;
  @ApiProperty({ description: '`agency:<id>`, `person:<uuid>`, `admin` or `anonymous`' })
  principal!: Principal;
  @ApiProperty({ description: 'method and route pattern (`GET /v1/referrals/:id`), or `kafka:<CommandType>` for an inbound command' })
  action!: string;
  @ApiProperty({ enum: ACCESS_CATEGORIES })
  category!: AccessCategory;
  @ApiProperty({ enum: RECORD_TYPES, nullable: true, type: String })
  recordType!: RecordType | null;
  @ApiProperty({ nullable: true, type: String })
  recordId!: string | null;
  @ApiProperty({ description: "the client's address, or the inbound topic of a command" })
  source!: string;
  @ApiProperty({ enum: ACCESS_OUTCOMES })
  outcome!: AccessOutcome;
  @ApiProperty({ nullable: true, type: Number, description: 'the HTTP status; null for an inbound command or an abandoned request' })
  status!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'the problem code of a refusal' })
  code!: string | null;
  @ApiPropertyOptional({ description: 'the person the agency named as taking the step (X-On-Behalf-Of: person:<uuid>)', pattern: PERSON_REFERENCE.source })
  onBehalfOf?: string;
}

class AccessAuditRowDto extends ChainedRowDto implements AccessAuditRow {
  @ApiProperty({ type: AccessEntryDto })
  entry!: AccessEntryDto;
}

export class AccessAuditPageDto {
  @ApiProperty({ type: [AccessAuditRowDto], description: 'newest first' })
  rows!: AccessAuditRowDto[];
  @ApiProperty({ nullable: true, type: Number, description: 'pass as `before` for the next page; null when this one was not full' })
  next!: number | null;
}
