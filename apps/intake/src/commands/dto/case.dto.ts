import { LINKABLE_RECORD_TYPES } from '@crescent/domain';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { AGENCY_ID, Nested, OfficerDto, Pattern, RECORD_ID, Text } from './shared.dto';

export class OpenCaseDto {
  @Text(300) title!: string;
  @Text(100) parish!: string;
  @Nested(() => OfficerDto) leadInvestigator!: OfficerDto;
}

export class LinkRecordToCaseDto {
  @IsIn(LINKABLE_RECORD_TYPES) @ApiProperty({ enum: LINKABLE_RECORD_TYPES }) recordType!: (typeof LINKABLE_RECORD_TYPES)[number];
  @Pattern(RECORD_ID, 'recordId must be a record id') recordId!: string;
}

/** A partner agency on the case's team: it has a need to know the case's records and may link its own (28 CFR 23.20(e)). */
export class CaseTeamMemberDto {
  @Pattern(AGENCY_ID, 'agencyId must be an agency id') agencyId!: string;
}
