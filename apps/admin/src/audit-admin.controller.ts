import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AccessAudit, AccessAuditVerification } from '@crescent/audit';
import { AdminAuthGuard } from './admin-auth.guard';
import { AccessAuditPageDto, AccessAuditQueryDto, AccessAuditVerificationDto } from './audit-admin.dto';

const DEFAULT_ROWS = 100;

/** Who read or changed what, and who tried (CJIS 5.4). Reading the audit is itself audited. */
@Controller('v1/admin/audit')
@UseGuards(AdminAuthGuard)
@ApiTags('admin')
@ApiBearerAuth()
export class AuditAdminController {
  constructor(private readonly audit: AccessAudit) {}

  @Get()
  @ApiOkResponse({ type: AccessAuditPageDto, description: 'the accesses that pass every filter given, newest first' })
  async query(@Query() query: AccessAuditQueryDto): Promise<AccessAuditPageDto> {
    const limit = query.limit ?? DEFAULT_ROWS;
    const { principal, recordId, category, from, to, before: beforeSequence } = query;
    const rows = await this.audit.query({ principal, recordId, category, from, to, beforeSequence, limit });
    return { rows, next: rows.length === limit ? rows[rows.length - 1].sequence : null };
  }

  @Get('verify')
  @ApiOkResponse({ type: AccessAuditVerificationDto, description: 'the hash chain walked whole: its first broken link, if any row was altered or removed' })
  verify(): Promise<AccessAuditVerification> {
    return this.audit.verify();
  }
}
