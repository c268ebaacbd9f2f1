import { Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiQuery } from '@nestjs/swagger';
import { DomainError, RECORD_TYPES, RecordType } from '@crescent/domain';
import { DisclosureLedger } from '@crescent/ledger';
import { ApiProblems, DeadLetterStore, RUNTIME_CONFIG, RuntimeConfig } from '@crescent/runtime';
import { AdminApi } from './admin-api';
import { AGENCY_ID } from './admin.dto';
import { DeadLetterListDto, LedgerPageDto, LedgerVerificationDto, ReplayRequestedDto } from './ledger-admin.dto';
import { AnchoredVerification, verifyLedger } from './ledger-verification';

const MAX_ROWS = 1000;

/** Who received what about a record, and why; and what the relay could not deliver. */
@Controller('v1/admin')
@AdminApi()
export class LedgerAdminController {
  constructor(
    private readonly ledger: DisclosureLedger,
    private readonly deadLetters: DeadLetterStore,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  /** By record (recordType and recordId), by recipient (optionally within from/to), or by time (from and to). */
  @Get('ledger')
  @ApiOperation({ summary: 'Query the disclosure ledger: by record, by recipient, or by time' })
  @ApiQuery({ name: 'recordType', required: false, enum: RECORD_TYPES, description: 'with recordId: everything disclosed about that record, to anyone (every row)' })
  @ApiQuery({ name: 'recordId', required: false, type: String, description: 'with recordType' })
  @ApiQuery({ name: 'recipient', required: false, type: String, pattern: AGENCY_ID.source, description: `an agency id: everything it received, within from and to when given (at most ${MAX_ROWS} rows, oldest first)` })
  @ApiQuery({ name: 'from', required: false, type: String, description: `an ISO 8601 instant, inclusive; with to and no other filter: everything delivered in between (at most ${MAX_ROWS} rows, oldest first)` })
  @ApiQuery({ name: 'to', required: false, type: String, description: 'an ISO 8601 instant, exclusive' })
  @ApiOkResponse({ type: LedgerPageDto, description: 'the ledger rows that match, oldest first' })
  @ApiProblems([400, 'LEDGER.INVALID_QUERY (no query, a recordType without a recordId or not a record type, an instant that does not parse)'])
  async query(
    @Query('recordType') recordType?: string,
    @Query('recordId') recordId?: string,
    @Query('recipient') recipient?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
  ): Promise<LedgerPageDto> {
    if (recordType !== undefined || recordId !== undefined) {
      if (!RECORD_TYPES.includes(recordType as RecordType) || !recordId) {
        throw new DomainError('validation', 'LEDGER.INVALID_QUERY', 'a query by record names a recordType and a recordId');
      }
      return { rows: await this.ledger.byRecord(recordType!, recordId) };
    }
    if (recipient) return { rows: await this.ledger.byRecipient(recipient, { from, to, limit: MAX_ROWS }) };
    if (from && to) return { rows: await this.ledger.byTime({ from, to, limit: MAX_ROWS }) };
    throw new DomainError('validation', 'LEDGER.INVALID_QUERY', 'query by recordType and recordId, by recipient, or by from and to');
  }

  /** Walks the hash chain and names the first broken link, if any row was altered or removed. */
  @Get('ledger/verification')
  @ApiOperation({ summary: "Walk the disclosure ledger's hash chain and name its first broken link, if any" })
  @ApiOkResponse({ type: LedgerVerificationDto, description: 'the whole chain walked, held to the newest anchor of its head kept outside the database: intact, or where it first breaks' })
  verify(): Promise<AnchoredVerification> {
    return verifyLedger(this.ledger, this.config.ledgerAnchoring);
  }

  @Get('dead-letters')
  @ApiOperation({ summary: 'List the events the relay could not project or deliver' })
  @ApiOkResponse({ type: DeadLetterListDto, description: 'every dead letter, open, waiting for replay or replayed' })
  async listDeadLetters(): Promise<DeadLetterListDto> {
    return { deadLetters: await this.deadLetters.list() };
  }

  /** Asks the active relay to re-drive every open dead letter, once the cause is fixed. */
  @Post('dead-letters/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Ask the relay to re-drive every open dead letter' })
  @ApiAcceptedResponse({ type: ReplayRequestedDto, description: 'the open dead letters are marked for replay; the active relay re-drives them on its own time' })
  async replayDeadLetters(): Promise<ReplayRequestedDto> {
    return { requested: await this.deadLetters.requestReplay() };
  }
}
