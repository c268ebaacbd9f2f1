import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Agency, DomainError } from '@crescent/domain';
import { AgencyAuthGuard, CurrentAgency, RUNTIME_CONFIG, RuntimeConfig } from '@crescent/runtime';
import { InboxReferral, InboxStore } from './inbox.store';

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
  async list(@CurrentAgency() agency: Agency): Promise<{ referrals: InboxReferral[] }> {
    if (agency.id !== this.config.inboxAgencyId) {
      throw new DomainError('forbidden', 'INBOX.NOT_YOURS', 'this inbox serves another agency');
    }
    return { referrals: await this.inbox.list(agency.id) };
  }
}
