import { createParamDecorator, ExecutionContext, Inject, Injectable, PipeTransform } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { noteOnBehalfOf, PERSON_REFERENCE } from '@crescent/audit';
import { Agency, deciderFor, DomainError, RecordType, withoutVictimServices } from '@crescent/domain';
import { EVENT_STORE, EventStore } from '@crescent/event-store';
import { HEADER_TOKEN, TRACEPARENT } from '@crescent/observability';
import { AGENCY_DIRECTORY, AgencyDirectory, loadRecord, RecordWritten } from '@crescent/runtime';
import { CommandType, commandRoute } from '../commands/command-catalog';
import { ReferralMatters } from '../commands/referral-matters';
import { versionsSeenBy } from '../commands/seen-versions';
import { RECORD_ID } from '../commands/dto/shared.dto';

/** The request headers that shape a command: `Idempotency-Key`, `If-Match` and `X-Correlation-Id`. */
export interface CommandOptions {
  readonly idempotencyKey?: string;
  readonly expectedVersion?: number;
  readonly correlationId?: string;
  readonly traceparent?: string;
  /** `X-On-Behalf-Of: person:<id>`: the agency's own person who takes the step, kept in the event's metadata and the audit. */
  readonly onBehalfOf?: string;
}

const IF_MATCH = /^(?:W\/)?"(\d+)"$/;

export const CommandHeaders = createParamDecorator((_: unknown, context: ExecutionContext): CommandOptions => {
  const request = context.switchToHttp().getRequest<Request>();
  const ifMatch = request.header('if-match');
  const idempotencyKey = request.header('idempotency-key');
  const correlationId = request.header('x-correlation-id');
  const version = ifMatch === undefined ? undefined : IF_MATCH.exec(ifMatch.trim());
  if (version === null) throw new DomainError('validation', 'REQUEST.IF_MATCH', 'If-Match must name a record version, such as "3"');
  for (const [name, value] of [['Idempotency-Key', idempotencyKey], ['X-Correlation-Id', correlationId]] as const) {
    if (value !== undefined && !HEADER_TOKEN.test(value)) {
      throw new DomainError('validation', 'REQUEST.HEADER', `${name} must be 1 to 200 visible ASCII characters`);
    }
  }
  const traceparent = request.header('traceparent');
  const onBehalfOf = request.header('x-on-behalf-of');
  if (onBehalfOf !== undefined) {
    if (!PERSON_REFERENCE.test(onBehalfOf)) throw new DomainError('validation', 'REQUEST.HEADER', 'X-On-Behalf-Of must name a person as person:<uuid>');
    noteOnBehalfOf(request, onBehalfOf);
  }
  return {
    onBehalfOf,
    idempotencyKey,
    correlationId,
    expectedVersion: version ? Number(version[1]) : undefined,
    traceparent: traceparent && TRACEPARENT.test(traceparent) ? traceparent : undefined,
  };
});

/** A record id in a path: anything that is not one names no record. */
@Injectable()
export class RecordIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!RECORD_ID.test(value)) throw notFound();
    return value;
  }
}

export interface RecordRepresentation {
  readonly recordId: string;
  readonly version: number;
  readonly status: string;
  readonly record: Readonly<Record<string, unknown>>;
}

/** What every record controller does, so each route stays one line. */
@Injectable()
export class RecordEndpoints {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AGENCY_DIRECTORY) private readonly directory: AgencyDirectory,
    private readonly matters: ReferralMatters,
  ) {}

  async create(commandType: CommandType, agency: Agency, body: object, options: CommandOptions, response: Response): Promise<RecordWritten> {
    const route = commandRoute(commandType);
    const written = await this.commandBus.execute(new route.command({ agency, route, body, ...options }));
    response.location(`${response.req.baseUrl}${response.req.path}/${written.recordId}`).setHeader('ETag', `"${written.version}"`);
    return written;
  }

  async change(
    commandType: CommandType,
    agency: Agency,
    recordId: string,
    body: object,
    options: CommandOptions,
    response: Response,
  ): Promise<RecordWritten> {
    const route = commandRoute(commandType);
    const written = await this.commandBus.execute(new route.command({ agency, route, recordId, body, ...options }));
    response.setHeader('ETag', `"${written.version}"`);
    return written;
  }

  /**
   * The record, for its originator only; to anyone else it does not exist. A referral's sender reads
   * what the shelter did with it, and counts its steps in the version, only under the victim's consent
   * to status updates (VAWA).
   */
  async read(recordType: RecordType, agency: Agency, recordId: string, response: Response): Promise<RecordRepresentation> {
    const { state, version: stored } = await loadRecord(this.store, recordType, recordId);
    const found = deciderFor(recordType).view(state);
    if (!found || found.originatorAgencyId !== agency.id) throw notFound();
    const seen = await versionsSeenBy(this.store, this.directory, this.matters, agency, recordType, recordId);
    const view = seen ? withoutVictimServices(found) : found;
    const version = seen ? seen.seen(stored) : stored;
    response.setHeader('ETag', `"${version}"`);
    return { recordId, version, status: view.status, record: view.record };
  }
}

function notFound(): DomainError {
  return new DomainError('not-found', 'RECORD.NOT_FOUND', 'no such record, or it is not yours to read');
}
