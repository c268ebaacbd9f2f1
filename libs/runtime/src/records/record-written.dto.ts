import { ApiProperty } from '@nestjs/swagger';
import { RecordWritten } from './write-record';

/** What a write answers with, for any record an agency or an administrator changes. */
export class RecordWrittenDto implements RecordWritten {
  @ApiProperty({ format: 'uuid' })
  recordId!: string;
  @ApiProperty({ description: 'the record version after the write (its number of events): what If-Match names on an agency record', minimum: 1 })
  version!: number;
}
