import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The links of a hash-chained table's row (the access audit, the disclosure ledger); each table adds its entry. */
export class ChainedRowDto {
  @ApiProperty({ type: 'integer', minimum: 1 })
  sequence!: number;
  @ApiProperty({ description: "the previous row's hash (hex SHA-256); the first row's is the chain's genesis" })
  previousHash!: string;
  @ApiProperty({ description: "hex SHA-256 over this row's sequence, previousHash and whole entry" })
  hash!: string;
}

/** A hash chain walked whole: intact, or its first broken link. */
export class ChainVerificationDto {
  @ApiProperty({ description: 'true when every row links to the one before it and its hash matches' })
  ok!: boolean;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'rows found intact (before the first broken link, if any)' })
  rows!: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'when not ok: the first row altered, removed or out of place' })
  firstBrokenSequence?: number;
  @ApiPropertyOptional({ description: 'when not ok: what is wrong with that row' })
  reason?: string;
}
