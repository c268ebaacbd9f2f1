import { Body, Controller, Get, HttpCode, Inject, Param, ParseIntPipe, Post, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiQuery } from '@nestjs/swagger';
import { noteAuditedRecord } from '@crescent/audit';
import { DomainError } from '@crescent/domain';
import { SharingPolicyVersion } from '@crescent/domain';
import { diffPolicies, PolicyDiff, policiesOf, policyVersions } from '@crescent/policy';
import { AGENCY_DIRECTORY, AgencyDirectory, ApiProblems, RecordWritten } from '@crescent/runtime';
import { AdminApi } from './admin-api';
import { PreviewDto, SharingPolicyDto } from './admin.dto';
import { PolicyListDto, PolicyDiffDto, PolicyPublishedDto, PolicyVersionListDto, PreviewResultDto, SharingPolicyVersionDto } from './policies-admin.dto';
import { PolicyPreview, PreviewedEvent } from './policy-preview';
import { POLICY_ID, PublishSharingPolicyCommand } from './use-cases/publish-sharing-policy.handler';

const NOT_FOUND = [404, 'POLICY.NOT_FOUND'] as const;
const VERSION_NOT_FOUND = [404, 'POLICY.NOT_FOUND, POLICY.VERSION_NOT_FOUND'] as const;
// ParseIntPipe refuses a version that is not a whole number before the handler runs.
const NOT_A_NUMBER = [400, 'REQUEST.MALFORMED (a version that is not a whole number)'] as const;
const POLICY_ID_PARAM = ApiParam({ name: 'policyId', description: 'lower-case letters, digits and dashes, 2 to 63', example: 'hsi-referrals', schema: { type: 'string', pattern: POLICY_ID.source } });
const VERSION = { required: true, description: 'a version number', example: 1, schema: { type: 'integer', minimum: 1 } } as const;

@Controller('v1/admin')
@AdminApi()
export class PoliciesAdminController {
  constructor(
    private readonly commands: CommandBus,
    private readonly previews: PolicyPreview,
    @Inject(AGENCY_DIRECTORY) private readonly directory: AgencyDirectory,
  ) {}

  /** Publishes the next version of a policy (the first creates it); each version is an event. */
  @Post('policies/:policyId/versions')
  @POLICY_ID_PARAM
  @HttpCode(201)
  @ApiOperation({ summary: 'Publish the next version of a sharing policy (the first creates it)' })
  @ApiCreatedResponse({ type: PolicyPublishedDto, description: 'the version published; the relay applies it to what it delivers from now on' })
  @ApiProblems(
    [400, 'REQUEST.INVALID (each field in errors), POLICY.INVALID_ID, SHARING_POLICY.* (INVALID_APPLIES_TO, RECORD_TYPE_NOT_SHARABLE, UNKNOWN_PURPOSE, INVALID_PATH, DUPLICATE_PATH, NESTED_UNDER_TRANSFORM, UNKNOWN_ACTION, INVALID_GENERALIZATION, INVALID_KEEP_LAST, INVALID_CONDITION; APPLIES_TO_CHANGED and RECORD_TYPE_CHANGED against version 1)'],
    [409, 'RECORD.VERSION_CONFLICT (another version was published at the same moment, twice over)'],
  )
  publish(@Param('policyId') policyId: string, @Body() body: SharingPolicyDto): Promise<RecordWritten> {
    return this.commands.execute(new PublishSharingPolicyCommand({ policyId, ...body }));
  }

  /** The current version of every policy. */
  @Get('policies')
  @ApiOperation({ summary: 'List the current version of every sharing policy' })
  @ApiOkResponse({ type: PolicyListDto })
  list(): { policies: readonly SharingPolicyVersion[] } {
    return { policies: policiesOf(this.directory.current()) };
  }

  @Get('policies/:policyId/versions')
  @POLICY_ID_PARAM
  @ApiOperation({ summary: 'List every version of one sharing policy' })
  @ApiOkResponse({ type: PolicyVersionListDto })
  @ApiProblems(NOT_FOUND)
  versions(@Param('policyId') policyId: string): { versions: readonly SharingPolicyVersion[] } {
    return { versions: this.versionsOf(policyId) };
  }

  @Get('policies/:policyId/versions/:version')
  @POLICY_ID_PARAM
  @ApiOperation({ summary: 'Read one version of a sharing policy' })
  @ApiParam({ name: 'version', ...VERSION })
  @ApiOkResponse({ type: SharingPolicyVersionDto })
  @ApiProblems(NOT_A_NUMBER, VERSION_NOT_FOUND)
  version(@Param('policyId') policyId: string, @Param('version', ParseIntPipe) version: number): SharingPolicyVersion {
    return this.versionOf(policyId, version);
  }

  /** What changed between two versions, rule by rule. */
  @Get('policies/:policyId/diff')
  @POLICY_ID_PARAM
  @ApiOperation({ summary: 'Compare two versions of a sharing policy, rule by rule' })
  @ApiQuery({ name: 'from', ...VERSION })
  @ApiQuery({ name: 'to', ...VERSION })
  @ApiOkResponse({ type: PolicyDiffDto, description: 'what changes from version `from` to version `to`' })
  @ApiProblems([400, 'REQUEST.MALFORMED (from or to missing, or not a whole number)'], VERSION_NOT_FOUND)
  diff(@Param('policyId') policyId: string, @Query('from', ParseIntPipe) from: number, @Query('to', ParseIntPipe) to: number): PolicyDiff {
    return diffPolicies(this.versionOf(policyId, from), this.versionOf(policyId, to));
  }

  @Post('previews')
  @HttpCode(200)
  @ApiOperation({ summary: 'Preview what a recipient receives of a stored record or a sample event, under its policy or a draft' })
  @ApiOkResponse({ type: PreviewResultDto, description: 'each event previewed, with the projection the recipient would receive and the decision on every field' })
  @ApiProblems(
    [400, 'REQUEST.INVALID (each field in errors), PREVIEW.ONE_SOURCE, PREVIEW.UNKNOWN_EVENT, PREVIEW.SAMPLE_INVALID, and a draft’s SHARING_POLICY.* codes'],
    [404, 'AGENCY.NOT_FOUND (the recipient, or a sample’s origin), RECORD.NOT_FOUND'],
    [503, 'PREVIEW.FEED_BEHIND (a stored record’s latest events are committed but the feed holds them back behind an older transaction: ask again in a moment)'],
  )
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
