import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { noteAuditedRecord } from '@crescent/audit';
import { DomainError } from '@crescent/domain';
import { agenciesOf, agencyById, agencyStatus, credentialWindowsOf } from '@crescent/policy';
import { AGENCY_DIRECTORY, AgencyDirectory, ApiProblems } from '@crescent/runtime';
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
import { RegisterAgencyCommand } from './use-cases/register-agency.handler';
import { ReinstateAgencyCommand } from './use-cases/reinstate-agency.handler';
import { RevokeAgencyCommand } from './use-cases/revoke-agency.handler';
import { RotateAgencyCredentialCommand } from './use-cases/rotate-agency-credential.handler';
import { SetAgencyJurisdictionCommand } from './use-cases/set-agency-jurisdiction.handler';
import { SuspendAgencyCommand } from './use-cases/suspend-agency.handler';

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
  register(@Body() body: RegisterAgencyDto, @Req() request: object): Promise<AgencyRegisteredDto> {
    noteAuditedRecord(request, { recordType: 'agency', recordId: body.agencyId });
    return this.commands.execute(new RegisterAgencyCommand(body));
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
  rotateCredential(@Param('agencyId') agencyId: string, @Body() body: RotateCredentialDto): Promise<CredentialIssuedDto> {
    return this.commands.execute(new RotateAgencyCredentialCommand({ agencyId, graceSeconds: body.graceSeconds }));
  }

  @Post(':agencyId/suspension')
  @AGENCY_ID_PARAM
  @HttpCode(201)
  @ApiOperation({ summary: 'Suspend an agency: its requests are refused and it receives nothing' })
  @ApiCreatedResponse({ type: AgencyStatusDto, description: "the agency's requests are refused (403 AUTH.AGENCY_SUSPENDED) and it receives nothing until reinstated" })
  @ApiProblems([400, 'REQUEST.INVALID, AGENCY.REASON_REQUIRED'], [404, 'AGENCY.NOT_FOUND'], [422, 'AGENCY.ALREADY_SUSPENDED, AGENCY.REVOKED'])
  async suspend(@Param('agencyId') agencyId: string, @Body() body: AgencyReasonDto): Promise<AgencyStatusDto> {
    await this.commands.execute(new SuspendAgencyCommand({ agencyId, reason: body.reason }));
    return { agencyId, status: 'suspended' };
  }

  @Delete(':agencyId/suspension')
  @AGENCY_ID_PARAM
  @HttpCode(200)
  @ApiOperation({ summary: 'Reinstate a suspended agency' })
  @ApiOkResponse({ type: AgencyStatusDto, description: 'the agency is active again' })
  @ApiProblems([404, 'AGENCY.NOT_FOUND'], [422, 'AGENCY.NOT_SUSPENDED, AGENCY.REVOKED'])
  async reinstate(@Param('agencyId') agencyId: string): Promise<AgencyStatusDto> {
    await this.commands.execute(new ReinstateAgencyCommand({ agencyId }));
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
    await this.commands.execute(new SetAgencyJurisdictionCommand({ agencyId, jurisdiction: body.jurisdiction }));
    return { jurisdiction: body.jurisdiction };
  }

  @Post(':agencyId/revocation')
  @AGENCY_ID_PARAM
  @HttpCode(201)
  @ApiOperation({ summary: 'Revoke an agency, for good' })
  @ApiCreatedResponse({ type: AgencyStatusDto, description: "final: the agency's requests are refused (403 AUTH.AGENCY_REVOKED) and nothing about it can change any more" })
  @ApiProblems([400, 'REQUEST.INVALID, AGENCY.REASON_REQUIRED'], [404, 'AGENCY.NOT_FOUND'], [422, 'AGENCY.REVOKED'])
  async revoke(@Param('agencyId') agencyId: string, @Body() body: AgencyReasonDto): Promise<AgencyStatusDto> {
    await this.commands.execute(new RevokeAgencyCommand({ agencyId, reason: body.reason }));
    return { agencyId, status: 'revoked' };
  }
}
