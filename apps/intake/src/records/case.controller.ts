import { Body, Controller, Get, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Agency } from '@crescent/domain';
import { AgencyAuthGuard, CurrentAgency } from '@crescent/runtime';
import { CaseTeamMemberDto, LinkRecordToCaseDto, OpenCaseDto } from '../commands/dto/case.dto';
import { ReasonDto } from '../commands/dto/shared.dto';
import { CommandHeaders, CommandOptions, RecordEndpoints, RecordIdPipe } from './record-endpoints';
import { CommandRoute, ReadRoute } from './route-docs';

@Controller('v1/cases')
@UseGuards(AgencyAuthGuard)
@ApiTags('cases')
@ApiBearerAuth()
export class CaseController {
  constructor(private readonly records: RecordEndpoints) {}

  @CommandRoute('Open a case (a criminal justice agency)', 'create')
  @Post()
  @HttpCode(201)
  open(@CurrentAgency() agency: Agency, @Body() body: OpenCaseDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.create('OpenCase', agency, body, options, response);
  }

  @ReadRoute('Read a case you opened')
  @Get(':id')
  read(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Res({ passthrough: true }) response: Response) {
    return this.records.read('case', agency, id, response);
  }

  @CommandRoute('Link one of your own records to a case (its opener or a team member)', 'change')
  @Post(':id/links')
  @HttpCode(200)
  link(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: LinkRecordToCaseDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('LinkRecordToCase', agency, id, body, options, response);
  }

  @CommandRoute("Add a partner agency to a case's team (its opener)", 'change')
  @Post(':id/team')
  @HttpCode(200)
  addTeamMember(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: CaseTeamMemberDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('AddCaseTeamMember', agency, id, body, options, response);
  }

  @CommandRoute("Remove a partner agency from a case's team (its opener)", 'change')
  @Post(':id/team-removals')
  @HttpCode(200)
  removeTeamMember(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: CaseTeamMemberDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('RemoveCaseTeamMember', agency, id, body, options, response);
  }

  @CommandRoute('Close a case (its opener)', 'change')
  @Post(':id/closure')
  @HttpCode(200)
  close(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: ReasonDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('CloseCase', agency, id, body, options, response);
  }
}
