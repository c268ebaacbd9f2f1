import { Body, Controller, Get, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Agency } from '@crescent/domain';
import { AgencyAuthGuard, CurrentAgency } from '@crescent/runtime';
import { NoBodyDto, ReasonDto } from '../commands/dto/shared.dto';
import {
  AnswerInformationRequestDto,
  ImmigrationReliefDenialDto,
  ImmigrationWaiverDto,
  LawEnforcementDisclosureDto,
  RequestInformationDto,
  SubmitVictimReferralDto,
  UpdateVictimContactDto,
  VictimReferralContentDto,
} from '../commands/dto/victim-referral.dto';
import { CommandHeaders, CommandOptions, RecordEndpoints, RecordIdPipe } from './record-endpoints';
import { CommandRoute, ReadRoute } from './route-docs';

@Controller('v1/referrals')
@UseGuards(AgencyAuthGuard)
@ApiTags('referrals')
@ApiBearerAuth()
export class VictimReferralController {
  constructor(private readonly records: RecordEndpoints) {}

  @CommandRoute('Refer a victim to a victim service provider', 'create')
  @Post()
  @HttpCode(201)
  submit(@CurrentAgency() agency: Agency, @Body() body: SubmitVictimReferralDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.create('SubmitVictimReferral', agency, body, options, response);
  }

  @ReadRoute("Read a referral you sent (the provider's steps only under the victim's consent to status updates)")
  @Get(':id')
  read(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Res({ passthrough: true }) response: Response) {
    return this.records.read('victim-referral', agency, id, response);
  }

  @CommandRoute('Acknowledge a referral (its addressee)', 'change')
  @Post(':id/acknowledgement')
  @HttpCode(200)
  acknowledge(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: NoBodyDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('AcknowledgeVictimReferral', agency, id, body, options, response);
  }

  @CommandRoute('Accept a referral (its addressee)', 'change')
  @Post(':id/acceptance')
  @HttpCode(200)
  accept(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: NoBodyDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('AcceptVictimReferral', agency, id, body, options, response);
  }

  @CommandRoute('Decline a referral, with a reason (its addressee)', 'change')
  @Post(':id/decline')
  @HttpCode(200)
  decline(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: ReasonDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('DeclineVictimReferral', agency, id, body, options, response);
  }

  @CommandRoute('Ask the sender a question about a referral (its addressee)', 'change')
  @Post(':id/information-requests')
  @HttpCode(200)
  requestInformation(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: RequestInformationDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('RequestVictimReferralInformation', agency, id, body, options, response);
  }

  @CommandRoute("Answer one of the addressee's questions about a referral (its sender)", 'change')
  @Post(':id/information-answers')
  @HttpCode(200)
  answerInformationRequest(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: AnswerInformationRequestDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('AnswerVictimReferralInformationRequest', agency, id, body, options, response);
  }

  @CommandRoute('Withdraw a referral, with a reason (its sender)', 'change')
  @Post(':id/withdrawal')
  @HttpCode(200)
  withdraw(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: ReasonDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('WithdrawVictimReferral', agency, id, body, options, response);
  }

  @CommandRoute("Update the victim's contact details (the sender)", 'change')
  @Post(':id/contact')
  @HttpCode(200)
  updateContact(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: UpdateVictimContactDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('UpdateVictimContact', agency, id, body, options, response);
  }

  @CommandRoute('Correct a referral (the sender)', 'change')
  @Post(':id/corrections')
  @HttpCode(200)
  correct(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: VictimReferralContentDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('CorrectVictimReferral', agency, id, body, options, response);
  }

  /** 8 U.S.C. 1367(b)(2): the DHS component that referred the victim authorizes a disclosure to a named law enforcement agency. */
  @CommandRoute('Authorize a disclosure to a named law enforcement agency, 8 U.S.C. 1367(b)(2) (the referring DHS component)', 'change')
  @Post(':id/law-enforcement-disclosures')
  @HttpCode(200)
  authorizeDisclosure(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: LawEnforcementDisclosureDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('AuthorizeLawEnforcementDisclosure', agency, id, body, options, response);
  }

  /** 8 U.S.C. 1367(b)(4): the adult victim's written waiver. */
  @CommandRoute("Record an adult victim's written waiver, 8 U.S.C. 1367(b)(4)", 'change')
  @Post(':id/immigration-waiver')
  @HttpCode(200)
  recordWaiver(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: ImmigrationWaiverDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('RecordImmigrationWaiver', agency, id, body, options, response);
  }

  /** 8 U.S.C. 1367(a)(2): the application was finally denied; the protection ends. */
  @CommandRoute("Record that the victim's immigration relief was finally denied (a DHS, DOJ or State component)", 'change')
  @Post(':id/immigration-relief-denial')
  @HttpCode(200)
  recordDenial(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: ImmigrationReliefDenialDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('RecordImmigrationReliefDenial', agency, id, body, options, response);
  }
}
