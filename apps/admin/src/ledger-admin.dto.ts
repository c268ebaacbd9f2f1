import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DISCLOSURE_KINDS, DisclosureEntry, DisclosureKind, LedgerRow } from '@crescent/ledger';
import { DEAD_LETTER_STATUSES, DeadLetter, DeadLetterStatus } from '@crescent/runtime';
import { ChainedRowDto, ChainVerificationDto } from './hash-chain.dto';

/** One delivery, retraction or snapshot to one recipient: field paths, never values. */
class DisclosureEntryDto implements DisclosureEntry {
  @ApiProperty()
  recipientAgencyId!: string;
  @ApiProperty()
  eventId!: string;
  @ApiProperty()
  recordType!: string;
  @ApiProperty()
  recordId!: string;
  @ApiProperty({ description: 'the sharing policy the projection was cut under' })
  policyId!: string;
  @ApiProperty({ type: 'integer', minimum: 0 })
  policyVersion!: number;
  @ApiProperty({ type: [String], description: 'the consents that granted a field' })
  consentIds!: readonly string[];
  @ApiProperty({ type: [String], description: 'the paths disclosed, transformed (masked, generalized…) or not' })
  disclosedFields!: readonly string[];
  @ApiProperty({ type: [String], description: 'the paths withheld' })
  withheldFields!: readonly string[];
  @ApiProperty({ enum: DISCLOSURE_KINDS, description: 'an event delivered, a record taken back, or a record sent whole as it stands' })
  kind!: DisclosureKind;
  @ApiProperty({ format: 'date-time' })
  deliveredAt!: string;
}

class LedgerRowDto extends ChainedRowDto implements LedgerRow {
  @ApiProperty({ type: DisclosureEntryDto })
  entry!: DisclosureEntryDto;
}

export class LedgerPageDto {
  @ApiProperty({ type: [LedgerRowDto], description: 'oldest first' })
  rows!: LedgerRowDto[];
}

class DeadLetterDto implements DeadLetter {
  @ApiProperty()
  eventId!: string;
  @ApiProperty({ description: 'the event store stream the event belongs to' })
  streamId!: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: "the event's revision in its stream" })
  revision!: number;
  @ApiProperty({ description: 'an error class or code, never a message (one could quote the data)' })
  reason!: string;
  @ApiProperty({ enum: DEAD_LETTER_STATUSES })
  status!: DeadLetterStatus;
  @ApiProperty({ format: 'date-time' })
  deadAt!: string;
}

export class DeadLetterListDto {
  @ApiProperty({ type: [DeadLetterDto] })
  deadLetters!: DeadLetterDto[];
}

export class ReplayRequestedDto {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'how many open dead letters the relay was asked to re-drive' })
  requested!: number;
}

/** The disclosure ledger's chain walked, held to the newest anchor of its head (when the relay anchors it). */
export class LedgerVerificationDto extends ChainVerificationDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'the sequence of the newest anchored head the chain was held to; absent when anchoring is off or nothing was anchored yet' })
  anchoredSequence?: number;
  @ApiPropertyOptional({ format: 'date-time', description: 'when that head was anchored' })
  anchoredAt?: string;
}
