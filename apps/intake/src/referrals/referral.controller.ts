import { Body, Controller, Headers, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import { Agency } from '@crescent/domain';
import { AgencyAuthGuard, CurrentAgency } from '@crescent/runtime';
import { HandleVictimReferralCommand, RecordWritten } from './record-command';
import { SubmitVictimReferralDto } from './submit-victim-referral.dto';

@Controller('v1/referrals')
@UseGuards(AgencyAuthGuard)
export class ReferralController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  async submit(
    @CurrentAgency() agency: Agency,
    @Body() body: SubmitVictimReferralDto,
    @Headers('x-correlation-id') correlationId: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RecordWritten> {
    const referralId = randomUUID();
    const written = await this.commands.execute(
      new HandleVictimReferralCommand(referralId, {
        type: 'SubmitVictimReferral',
        data: { referralId, ...body },
        metadata: {
          agencyId: agency.id,
          agencyKind: agency.kind,
          now: new Date().toISOString(),
          correlationId: correlationId ?? randomUUID(),
        },
      }),
    );
    response.location(`/v1/referrals/${referralId}`).setHeader('ETag', `"${written.version}"`);
    return written;
  }
}
