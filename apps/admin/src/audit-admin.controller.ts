import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AccessAudit, AccessAuditVerification } from '@crescent/audit';
import { ApiProblems } from '@crescent/runtime';
import { AdminApi } from './admin-api';
import { AccessAuditPageDto, AccessAuditQueryDto } from './audit-admin.dto';
import { ChainVerificationDto } from './hash-chain.dto';

const DEFAULT_ROWS = 100;

/** Who read or changed what, and who tried (CJIS 5.4). Reading the audit is itself audited. */
@Controller('v1/admin/audit')
@AdminApi()
export class AuditAdminController {
  constructor(private readonly audit: AccessAudit) {}

  @Get()
  @ApiOperation({ summary: 'Query the access audit: who read or changed what, and who was refused, newest first, a page at a time' })
  @ApiOkResponse({ type: AccessAuditPageDto, description: 'the accesses that pass every filter given, newest first' })
  @ApiProblems([400, 'REQUEST.INVALID (each bad or unknown query parameter in errors), AUDIT.INVALID_QUERY'])
  async query(@Query() query: AccessAuditQueryDto): Promise<AccessAuditPageDto> {
    const limit = query.limit ?? DEFAULT_ROWS;
    const { principal, recordId, category, from, to, before: beforeSequence } = query;
    const rows = await this.audit.query({ principal, recordId, category, from, to, beforeSequence, limit });
    return { rows, next: rows.length === limit ? rows[rows.length - 1].sequence : null };
  }

  @Get('verify')
  @ApiOperation({ summary: "Walk the access audit's hash chain and name its first broken link, if any" })
  @ApiOkResponse({ type: ChainVerificationDto, description: 'the hash chain walked whole: its first broken link, if any row was altered or removed' })
  verify(): Promise<AccessAuditVerification> {
    return this.audit.verify();
  }
}
