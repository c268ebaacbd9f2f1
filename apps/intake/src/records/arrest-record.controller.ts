import { Body, Controller, Get, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Agency } from '@crescent/domain';
import { AgencyAuthGuard, CurrentAgency } from '@crescent/runtime';
import { ArresteeRelationshipDto, ChargesDto, CourtOrderDto, RecordArrestDto } from '../commands/dto/arrest-record.dto';
import { CommandHeaders, CommandOptions, RecordEndpoints, RecordIdPipe } from './record-endpoints';
import { CommandRoute, ReadRoute } from './route-docs';

@Controller('v1/arrests')
@UseGuards(AgencyAuthGuard)
@ApiTags('arrests')
@ApiBearerAuth()
export class ArrestRecordController {
  constructor(private readonly records: RecordEndpoints) {}

  @CommandRoute('Record an arrest (a law enforcement agency)', 'create')
  @Post()
  @HttpCode(201)
  record(@CurrentAgency() agency: Agency, @Body() body: RecordArrestDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.create('RecordArrest', agency, body, options, response);
  }

  @ReadRoute('Read an arrest record you recorded')
  @Get(':id')
  read(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Res({ passthrough: true }) response: Response) {
    return this.records.read('arrest-record', agency, id, response);
  }

  @CommandRoute("Amend an arrest's charges (the arresting agency)", 'change')
  @Post(':id/charges')
  @HttpCode(200)
  amendCharges(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: ChargesDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('AmendCharges', agency, id, body, options, response);
  }

  /** The arresting agency's finding that the arrestee is the victims' relative or guardian. */
  @CommandRoute('Record how the arrestee stands to the victim (the arresting agency)', 'change')
  @Post(':id/arrestee-relationship')
  @HttpCode(200)
  recordArresteeRelationship(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: ArresteeRelationshipDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('RecordArresteeRelationship', agency, id, body, options, response);
  }

  @CommandRoute('Seal an arrest record under a court order (the arresting agency)', 'change')
  @Post(':id/seal')
  @HttpCode(200)
  seal(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: CourtOrderDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('SealArrestRecord', agency, id, body, options, response);
  }

  @CommandRoute('Expunge an arrest record under a court order (the arresting agency)', 'change')
  @Post(':id/expungement')
  @HttpCode(200)
  expunge(@CurrentAgency() agency: Agency, @Param('id', RecordIdPipe) id: string, @Body() body: CourtOrderDto, @CommandHeaders() options: CommandOptions, @Res({ passthrough: true }) response: Response) {
    return this.records.change('ExpungeArrestRecord', agency, id, body, options, response);
  }
}
