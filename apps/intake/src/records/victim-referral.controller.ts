import { Body, Controller, Get, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Agency } from '@crescent/domain';
import { AgencyAuthGuard, CurrentAgency } from '@crescent/runtime';
import { NoBodyDto, ReasonDto } from '../commands/dto/shared.dto';
import {
  RequestInformationDto,
  SubmitVictimReferralDto,
  UpdateVictimContactDto,
  VictimReferralContentDto,
} from '../commands/dto/victim-referral.dto';
import { CommandHeaders, CommandOptions, RecordEndpoints, RecordIdPipe } from './record-endpoints';

@Controller('v1/referrals')
@UseGuards(AgencyAuthGuard)
@ApiTags('referrals')
@ApiBearerAuth()
export class VictimReferralController {
  constructor(private readonly records: RecordEndpoints) {}

  @Post()
  @HttpCode(201)
  submit(@CurrentAgency() agency: Agency, @Body() body: SubmitVictimReferralDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.create('SubmitVictimReferral', agency, body, options, response);
  }

  @Get(':id')
  read(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Res({ passthrough: true }) response: Response) {
    return this.records.read('victim-referral', agency, id, response);
  }

  @Post(':id/acknowledgement')
  @HttpCode(200)
  acknowledge(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: NoBodyDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('AcknowledgeVictimReferral', agency, id, body, options, response);
  }

  @Post(':id/acceptance')
  @HttpCode(200)
  accept(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: NoBodyDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('AcceptVictimReferral', agency, id, body, options, response);
  }

  @Post(':id/decline')
  @HttpCode(200)
  decline(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: ReasonDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('DeclineVictimReferral', agency, id, body, options, response);
  }

  @Post(':id/information-requests')
  @HttpCode(200)
  requestInformation(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: RequestInformationDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('RequestVictimReferralInformation', agency, id, body, options, response);
  }

  @Post(':id/withdrawal')
  @HttpCode(200)
  withdraw(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: ReasonDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('WithdrawVictimReferral', agency, id, body, options, response);
  }

  @Post(':id/contact')
  @HttpCode(200)
  updateContact(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: UpdateVictimContactDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('UpdateVictimContact', agency, id, body, options, response);
  }

  @Post(':id/corrections')
  @HttpCode(200)
  correct(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: VictimReferralContentDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('CorrectVictimReferral', agency, id, body, options, response);
  }
}
