import { Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainError, RECORD_TYPES, RecordType } from '@crescent/domain';
import { DisclosureLedger, LedgerRow, LedgerVerification } from '@crescent/ledger';
import { DeadLetter, DeadLetterStore } from '@crescent/runtime';
import { AdminAuthGuard } from './admin-auth.guard';

const MAX_ROWS = 1000;

/** Who received what about a record, and why; and what the relay could not deliver. */
@Controller('v1/admin')
@UseGuards(AdminAuthGuard)
@ApiTags('admin')
@ApiBearerAuth()
export class LedgerAdminController {
  constructor(
    private readonly ledger: DisclosureLedger,
    private readonly deadLetters: DeadLetterStore,
  ) {}

  /** By record (recordType and recordId), by recipient (optionally within from/to), or by time (from and to). */
  @Get('ledger')
  @ApiQuery({ name: 'recordType', required: false, enum: RECORD_TYPES })
  @ApiQuery({ name: 'recordId', required: false })
  @ApiQuery({ name: 'recipient', required: false })
  @ApiQuery({ name: 'from', required: false, description: 'ISO 8601, inclusive' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO 8601, exclusive' })
  async query(
    @Query('recordType') recordType?: string,
    @Query('recordId') recordId?: string,
    @Query('recipient') recipient?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
  ): Promise<{ rows: LedgerRow[] }> {
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
  verify(): Promise<LedgerVerification> {
    return this.ledger.verify();
  }

  @Get('dead-letters')
  async listDeadLetters(): Promise<{ deadLetters: DeadLetter[] }> {
    return { deadLetters: await this.deadLetters.list() };
  }

  /** Asks the active relay to re-drive every open dead letter, once the cause is fixed. */
  @Post('dead-letters/replay')
  @HttpCode(202)
  async replayDeadLetters(): Promise<{ requested: number }> {
    return { requested: await this.deadLetters.requestReplay() };
  }
}
