import { applyDecorators } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProperty } from '@nestjs/swagger';
import { AGENCY_AUTH_PROBLEMS, ApiProblems, RecordWrittenDto } from '@crescent/runtime';

export class RecordRepresentationDto extends RecordWrittenDto {
  @ApiProperty({ description: "where the record's lifecycle stands, as its originator may know it" })
  status!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the record as its originator wrote it' })
  record!: Record<string, unknown>;
}

const ETAG = { ETag: { description: 'the record version, quoted: send it back as If-Match', schema: { type: 'string' } } };

/**
 * A route that runs one command: its summary, the headers that shape it, the record written, and the
 * problems it can answer with (the decider's codes for the command come with their status).
 */
export function CommandRoute(summary: string, kind: 'create' | 'change'): MethodDecorator {
  return applyDecorators(
    ApiOperation({ summary }),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: '1 to 200 visible ASCII characters: a retry with the same key and body answers as the first request did, and writes nothing more' }),
    ...(kind === 'change'
      ? [ApiHeader({ name: 'If-Match', required: false, description: 'the version the change is meant for, as the ETag gave it ("3"): a record that moved on since is a 409 RECORD.VERSION_CONFLICT' })]
      : []),
    ApiHeader({ name: 'X-Correlation-Id', required: false, description: '1 to 200 visible ASCII characters, carried to the events and deliveries the command causes' }),
    ApiHeader({ name: 'traceparent', required: false, description: 'W3C Trace Context (version 00); anything else is ignored' }),
    kind === 'create'
      ? ApiCreatedResponse({ type: RecordWrittenDto, description: 'the record, created', headers: { ...ETAG, Location: { description: 'the new record', schema: { type: 'string' } } } })
      : ApiOkResponse({ type: RecordWrittenDto, description: 'the record, changed', headers: ETAG }),
    ApiProblems(
      [
        400,
        `REQUEST.INVALID (each field in errors, at most 20, moreErrors counting the rest), REQUEST.TOO_DEEP, REQUEST.HEADER, ${kind === 'create' ? 'COMMAND.EXPECTED_VERSION_ON_CREATE (If-Match on a create)' : 'REQUEST.IF_MATCH'}, DATA.* (plain text, plausible dates) and the command's own validation codes`,
      ],
      ...AGENCY_AUTH_PROBLEMS,
      [404, 'the record does not exist, or the agency is not a party to it (the same answer)'],
      [409, 'RECORD.VERSION_CONFLICT, IDEMPOTENCY.IN_PROGRESS, and the command’s conflicts'],
      [415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE: a body that is not application/json'],
      [422, "IDEMPOTENCY.KEY_REUSED, and the record's lifecycle codes (the command is not allowed where the record stands)"],
    ),
  );
}

/** A route that reads one record back to its originator. */
export function ReadRoute(summary: string): MethodDecorator {
  return applyDecorators(
    ApiOperation({ summary }),
    ApiOkResponse({ type: RecordRepresentationDto, description: 'the record', headers: ETAG }),
    ApiProblems(...AGENCY_AUTH_PROBLEMS, [404, 'RECORD.NOT_FOUND: no such record, or it is not yours to read']),
  );
}
