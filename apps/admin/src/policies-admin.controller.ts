import { Body, Controller, Get, HttpCode, Inject, Param, ParseIntPipe, Post, Query, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { noteAuditedRecord } from '@crescent/audit';
import { DomainError } from '@crescent/domain';
import { SharingPolicyVersion } from '@crescent/domain';
import { diffPolicies, PolicyDiff, policiesOf, policyVersions } from '@crescent/policy';
import { ADMIN_ACTOR, AGENCY_DIRECTORY, AgencyDirectory, ExecuteRecordCommand, RecordWritten } from '@crescent/runtime';
import { AdminAuthGuard } from './admin-auth.guard';
import { PreviewDto, SharingPolicyDto } from './admin.dto';
import { PolicyPreview, PreviewedEvent } from './policy-preview';

const POLICY_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

@Controller('v1/admin')
@UseGuards(AdminAuthGuard)
@ApiTags('admin')
@ApiBearerAuth()
export class PoliciesAdminController {
  constructor(
    private readonly commands: CommandBus,
    private readonly previews: PolicyPreview,
    @Inject(AGENCY_DIRECTORY) private readonly directory: AgencyDirectory,
  ) {}

  /** Publishes the next version of a policy (the first creates it); each version is an event. */
  @Post('policies/:policyId/versions')
  @HttpCode(201)
  async publish(@Param('policyId') policyId: string, @Body() body: SharingPolicyDto): Promise<RecordWritten> {
    if (!POLICY_ID.test(policyId)) throw new DomainError('validation', 'POLICY.INVALID_ID', 'a policy id is lower-case letters, digits and dashes');
    return this.commands.execute(
      new ExecuteRecordCommand(
        'sharing-policy',
        policyId,
        { type: 'PublishSharingPolicy', data: { policyId, ...body }, metadata: { ...ADMIN_ACTOR, now: new Date().toISOString(), correlationId: randomUUID() } },
        undefined,
      ),
    );
  }

  /** The current version of every policy. */
  @Get('policies')
  list(): { policies: readonly SharingPolicyVersion[] } {
    return { policies: policiesOf(this.directory.current()) };
  }

  @Get('policies/:policyId/versions')
  versions(@Param('policyId') policyId: string): { versions: readonly SharingPolicyVersion[] } {
    return { versions: this.versionsOf(policyId) };
  }

  @Get('policies/:policyId/versions/:version')
  version(@Param('policyId') policyId: string, @Param('version', ParseIntPipe) version: number): SharingPolicyVersion {
    return this.versionOf(policyId, version);
  }

  /** What changed between two versions, rule by rule. */
  @Get('policies/:policyId/diff')
  diff(@Param('policyId') policyId: string, @Query('from', ParseIntPipe) from: number, @Query('to', ParseIntPipe) to: number): PolicyDiff {
    return diffPolicies(this.versionOf(policyId, from), this.versionOf(policyId, to));
  }

  @Post('previews')
  @HttpCode(200)
  preview(@Body() body: PreviewDto, @Req() request: object): Promise<{ recipientAgencyId: string; events: PreviewedEvent[] }> {
    // A preview of a stored record reads it: the audit names the record, which only the body says.
    if (body.record) noteAuditedRecord(request, body.record);
    return this.previews.preview(body);
  }

  private versionsOf(policyId: string): readonly SharingPolicyVersion[] {
    const versions = policyVersions(this.directory.current(), policyId);
    if (versions.length === 0) throw new DomainError('not-found', 'POLICY.NOT_FOUND', 'no such policy');
    return versions;
  }

  private versionOf(policyId: string, version: number): SharingPolicyVersion {
    const found = this.versionsOf(policyId).find((candidate) => candidate.version === version);
    if (!found) throw new DomainError('not-found', 'POLICY.VERSION_NOT_FOUND', `policy ${policyId} has no version ${version}`);
    return found;
  }
}
