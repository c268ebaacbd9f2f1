import { Body, Controller, Get, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Agency } from '@crescent/domain';
import { AgencyAuthGuard, CurrentAgency } from '@crescent/runtime';
import { RecordConsentDto } from '../commands/dto/consent.dto';
import { ReasonDto } from '../commands/dto/shared.dto';
import { CommandHeaders, CommandOptions, RecordEndpoints, RecordIdPipe } from './record-endpoints';
import { CommandRoute, ReadRoute } from './route-docs';

@Controller('v1/consents')
@UseGuards(AgencyAuthGuard)
@ApiTags('consents')
@ApiBearerAuth()
export class ConsentController {
  constructor(private readonly records: RecordEndpoints) {}

  @CommandRoute("Record a victim's consent to release her information (the referral's addressee or sender)", 'create')
  @Post()
  @HttpCode(201)
  record(@CurrentAgency() agency: Agency, @Body() body: RecordConsentDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.create('RecordConsent', agency, body, options, response);
  }

  @ReadRoute('Read a consent you recorded')
  @Get(':id')
  read(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Res({ passthrough: true }) response: Response) {
    return this.records.read('consent', agency, id, response);
  }

  @CommandRoute('Revoke a consent (its recorder or the addressee)', 'change')
  @Post(':id/revocation')
  @HttpCode(200)
  revoke(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: ReasonDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('RevokeConsent', agency, id, body, options, response);
  }
}
