import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { randomBytes, randomUUID } from 'node:crypto';
import { noteAuditedRecord } from '@crescent/audit';
import { AgencyCommand, credentialGraceEnd, DomainError } from '@crescent/domain';
import { agenciesOf, agencyById, agencyStatus, credentialWindowsOf } from '@crescent/policy';
import { ADMIN_ACTOR, AGENCY_DIRECTORY, AgencyDirectory, ApiProblems, ExecuteRecordCommand, sha256Hex } from '@crescent/runtime';
import { AdminApi } from './admin-api';
import {
  AGENCY_ID,
  AgencyDetailDto,
  AgencyJurisdictionDto,
  AgencyListDto,
  AgencyReasonDto,
  AgencyRegisteredDto,
  AgencyStatusDto,
  CredentialIssuedDto,
  RegisterAgencyDto,
  RotateCredentialDto,
} from './admin.dto';

const AGENCY_ID_PARAM = ApiParam({ name: 'agencyId', description: 'an id that names no registered agency is a 404', example: 'hsi-new-orleans', schema: { type: 'string', pattern: AGENCY_ID.source } });

/**
 * Agencies and their credentials. A change takes effect in each app as soon as its directory has
 * read it from the feed: from then on a suspended or revoked agency's requests are refused with 403
 * (AUTH.AGENCY_SUSPENDED, AUTH.AGENCY_REVOKED), a token past its grace with 401, and the relay
 * delivers nothing to an agency that is not active.
 */
@Controller('v1/admin/agencies')
@AdminApi()
export class AgenciesAdminController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(AGENCY_DIRECTORY) private readonly directory: AgencyDirectory,
  ) {}

  /** Registers an agency and issues its API token, shown this once: the exchange keeps only its hash. */
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register an agency and issue its API token, shown this once' })
  @ApiCreatedResponse({ type: AgencyRegisteredDto, description: 'the agency is active; keep the token, the exchange cannot show it again' })
  @ApiProblems(
    [400, 'REQUEST.INVALID (each field in errors), AGENCY.DEPARTMENT_NOT_FEDERAL (a department for an agency that is not a federal component)'],
    [409, 'AGENCY.ALREADY_REGISTERED'],
  )
  async register(@Body() body: RegisterAgencyDto, @Req() request: object): Promise<AgencyRegisteredDto> {
    noteAuditedRecord(request, { recordType: 'agency', recordId: body.agencyId });
    const token = newToken();
    await this.execute(body.agencyId, { type: 'RegisterAgency', data: { ...body, credentialSha256: sha256Hex(token) }, metadata: this.metadata() });
    return { agencyId: body.agencyId, token };
  }

  @Get()
  @ApiOperation({ summary: 'List every registered agency with its status' })
  @ApiOkResponse({ type: AgencyListDto, description: 'every registered agency with its status; no credential' })
  list(): AgencyListDto {
    const state = this.directory.current();
    return { agencies: agenciesOf(state).map((agency) => ({ ...agency, status: agencyStatus(state, agency.id)! })) };
  }

  @Get(':agencyId')
  @AGENCY_ID_PARAM
  @ApiOperation({ summary: 'Read one agency, its status and when each of its credentials works' })
  @ApiOkResponse({ type: AgencyDetailDto, description: 'the agency, its status and when each of its credentials works; never a credential' })
  @ApiProblems([404, 'AGENCY.NOT_FOUND'])
  find(@Param('agencyId') agencyId: string): AgencyDetailDto {
    const state = this.directory.current();
    const agency = agencyById(state, agencyId);
    if (!agency) throw new DomainError('not-found', 'AGENCY.NOT_FOUND', 'no such agency');
    const credentials = (credentialWindowsOf(state, agencyId) ?? []).map(({ issuedAt, validUntil }) => ({ issuedAt, validUntil: validUntil ?? null }));
    return { ...agency, status: agencyStatus(state, agencyId)!, credentials };
  }

  /** Issues a new token, shown this once; the agency's earlier tokens keep working for the grace given. */
  @Post(':agencyId/credentials')
  @AGENCY_ID_PARAM
  @HttpCode(201)
  @ApiOperation({ summary: "Rotate an agency's credential: a new token, the old ones kept for a grace period" })
  @ApiCreatedResponse({ type: CredentialIssuedDto, description: 'the new token, shown this once; earlier tokens work until previousCredentialsValidUntil' })
  @ApiProblems([400, 'REQUEST.INVALID, AGENCY.INVALID_GRACE'], [404, 'AGENCY.NOT_FOUND'], [422, 'AGENCY.REVOKED'])
  async rotateCredential(@Param('agencyId') agencyId: string, @Body() body: RotateCredentialDto): Promise<CredentialIssuedDto> {
    const token = newToken();
    const metadata = this.metadata();
    await this.execute(agencyId, {
      type: 'RotateAgencyCredential',
      data: { agencyId, credentialSha256: sha256Hex(token), graceSeconds: body.graceSeconds },
      metadata,
    });
    return { agencyId, token, previousCredentialsValidUntil: credentialGraceEnd(metadata.now, body.graceSeconds) };
  }

  @Post(':agencyId/suspension')
  @AGENCY_ID_PARAM
  @HttpCode(201)
  @ApiOperation({ summary: 'Suspend an agency: its requests are refused and it receives nothing' })
  @ApiCreatedResponse({ type: AgencyStatusDto, description: "the agency's requests are refused (403 AUTH.AGENCY_SUSPENDED) and it receives nothing until reinstated" })
  @ApiProblems([400, 'REQUEST.INVALID, AGENCY.REASON_REQUIRED'], [404, 'AGENCY.NOT_FOUND'], [422, 'AGENCY.ALREADY_SUSPENDED, AGENCY.REVOKED'])
  async suspend(@Param('agencyId') agencyId: string, @Body() body: AgencyReasonDto): Promise<AgencyStatusDto> {
    await this.execute(agencyId, { type: 'SuspendAgency', data: { agencyId, reason: body.reason }, metadata: this.metadata() });
    return { agencyId, status: 'suspended' };
  }

  @Delete(':agencyId/suspension')
  @AGENCY_ID_PARAM
  @HttpCode(200)
  @ApiOperation({ summary: 'Reinstate a suspended agency' })
  @ApiOkResponse({ type: AgencyStatusDto, description: 'the agency is active again' })
  @ApiProblems([404, 'AGENCY.NOT_FOUND'], [422, 'AGENCY.NOT_SUSPENDED, AGENCY.REVOKED'])
  async reinstate(@Param('agencyId') agencyId: string): Promise<AgencyStatusDto> {
    await this.execute(agencyId, { type: 'ReinstateAgency', data: { agencyId }, metadata: this.metadata() });
    return { agencyId, status: 'active' };
  }

  /**
   * Replaces the parishes the agency serves. A parish dropped takes back what the agency holds that
   * rested on it; a parish added sends it, as one snapshot each, the records it now has a need to know.
   */
  @Put(':agencyId/jurisdiction')
  @AGENCY_ID_PARAM
  @HttpCode(200)
  @ApiOperation({ summary: 'Replace the parishes an agency serves' })
  @ApiOkResponse({ type: AgencyJurisdictionDto, description: 'the parishes the agency now serves' })
  @ApiProblems([400, 'REQUEST.INVALID, AGENCY.INVALID_JURISDICTION'], [404, 'AGENCY.NOT_FOUND'], [422, 'AGENCY.REVOKED'])
  async setJurisdiction(@Param('agencyId') agencyId: string, @Body() body: AgencyJurisdictionDto): Promise<AgencyJurisdictionDto> {
    await this.execute(agencyId, { type: 'SetAgencyJurisdiction', data: { agencyId, jurisdiction: body.jurisdiction }, metadata: this.metadata() });
    return { jurisdiction: body.jurisdiction };
  }

  @Post(':agencyId/revocation')
  @AGENCY_ID_PARAM
  @HttpCode(201)
  @ApiOperation({ summary: 'Revoke an agency, for good' })
  @ApiCreatedResponse({ type: AgencyStatusDto, description: "final: the agency's requests are refused (403 AUTH.AGENCY_REVOKED) and nothing about it can change any more" })
  @ApiProblems([400, 'REQUEST.INVALID, AGENCY.REASON_REQUIRED'], [404, 'AGENCY.NOT_FOUND'], [422, 'AGENCY.REVOKED'])
  async revoke(@Param('agencyId') agencyId: string, @Body() body: AgencyReasonDto): Promise<AgencyStatusDto> {
    await this.execute(agencyId, { type: 'RevokeAgency', data: { agencyId, reason: body.reason }, metadata: this.metadata() });
    return { agencyId, status: 'revoked' };
  }

  private async execute(agencyId: string, command: AgencyCommand): Promise<void> {
    await this.commands.execute(new ExecuteRecordCommand('agency', agencyId, command, undefined));
  }

  private metadata() {
    return { ...ADMIN_ACTOR, now: new Date().toISOString(), correlationId: randomUUID() };
  }
}

/** 32 random bytes: a bearer token nobody can guess, in URL-safe text. */
function newToken(): string {
  return randomBytes(32).toString('base64url');
}
