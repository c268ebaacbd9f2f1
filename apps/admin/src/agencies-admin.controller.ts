import { Body, Controller, Get, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { randomBytes, randomUUID } from 'node:crypto';
import { noteAuditedRecord } from '@crescent/audit';
import { Agency } from '@crescent/domain';
import { ADMIN_ACTOR, AGENCY_DIRECTORY, AgencyDirectory, ExecuteRecordCommand, sha256Hex } from '@crescent/runtime';
import { AdminAuthGuard } from './admin-auth.guard';
import { RegisterAgencyDto } from './admin.dto';

@Controller('v1/admin/agencies')
@UseGuards(AdminAuthGuard)
@ApiTags('admin')
@ApiBearerAuth()
export class AgenciesAdminController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(AGENCY_DIRECTORY) private readonly directory: AgencyDirectory,
  ) {}

  /** Registers an agency and issues its API token, shown this once: the exchange keeps only its hash. */
  @Post()
  @HttpCode(201)
  async register(@Body() body: RegisterAgencyDto, @Req() request: object): Promise<{ agencyId: string; token: string }> {
    noteAuditedRecord(request, { recordType: 'agency', recordId: body.agencyId });
    const token = randomBytes(32).toString('base64url');
    await this.commands.execute(
      new ExecuteRecordCommand(
        'agency',
        body.agencyId,
        {
          type: 'RegisterAgency',
          data: { ...body, credentialSha256: sha256Hex(token) },
          metadata: { ...ADMIN_ACTOR, now: new Date().toISOString(), correlationId: randomUUID() },
        },
        undefined,
      ),
    );
    return { agencyId: body.agencyId, token };
  }

  @Get()
  list(): { agencies: readonly Agency[] } {
    return { agencies: this.directory.agencies() };
  }
}
