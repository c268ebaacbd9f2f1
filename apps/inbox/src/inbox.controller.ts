import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Agency, DomainError } from '@crescent/domain';
import {
  AGENCY_NOT_ACTIVE_CODES,
  AGENCY_UNAUTHENTICATED,
  AgencyAuthGuard,
  ApiProblems,
  CurrentAgency,
  RATE_LIMITED,
  RUNTIME_CONFIG,
  RuntimeConfig,
} from '@crescent/runtime';
import { InboxListDto } from './inbox.dto';
import { InboxStore } from './inbox.store';

@Controller('v1/inbox')
@UseGuards(AgencyAuthGuard)
@ApiTags('inbox')
@ApiBearerAuth()
export class InboxController {
  constructor(
    private readonly inbox: InboxStore,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List the referrals this agency has received, as its policy cut them' })
  @ApiProblems(
    AGENCY_UNAUTHENTICATED,
    [
      403,
      `INBOX.NOT_YOURS (the inbox serves another agency); AUTH.AGENCY_NOT_ACTIVE (the exchange refuses this inbox's own agency); ${AGENCY_NOT_ACTIVE_CODES} where the inbox runs inside the exchange`,
    ],
    RATE_LIMITED,
  )
  @ApiOkResponse({ type: InboxListDto, description: 'the referrals this agency has received, each kept up to date by its later events' })
  async list(@CurrentAgency() agency: Agency): Promise<InboxListDto> {
    if (agency.id !== this.config.inboxAgencyId) {
      throw new DomainError('forbidden', 'INBOX.NOT_YOURS', 'this inbox serves another agency');
    }
    return { referrals: await this.inbox.list(agency.id) };
  }
}
