import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { DomainError, DomainErrorKind } from '@crescent/domain';
import { WrongExpectedRevisionError } from '@crescent/event-store';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { RateLimitedError } from './rate-limit.guard';
import { RequestValidationError } from './request-validation';

const STATUS_OF: Record<DomainErrorKind, number> = {
  validation: HttpStatus.BAD_REQUEST,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  locked: HttpStatus.LOCKED,
  'illegal-state': HttpStatus.UNPROCESSABLE_ENTITY,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  errors?: RequestValidationError['errors'];
  /** How many more problems the body has than `errors` lists. */
  moreErrors?: number;
}

/** Every error leaves the HTTP edge as RFC 7807 problem+json with a stable machine code. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const problem = problemFor(error);
    // For the access audit, which records the code (never the detail) once the response is over.
    http.getResponse<Response>().locals.problemCode = problem.code;
    if (problem.status >= 500 && !(error instanceof DomainError)) {
      // Only the error's class: messages of unexpected errors may quote the data being handled.
      this.logger.error(`unexpected ${error instanceof Error ? error.name : typeof error} on ${request.method} ${request.route?.path ?? 'unknown route'}`);
    }
    const response = http.getResponse<Response>();
    if (error instanceof RateLimitedError) response.setHeader('Retry-After', String(error.retryAfterSeconds));
    response
      .status(problem.status)
      .type('application/problem+json')
      .json({ ...problem, instance: request.path });
  }
}

/** The problem an error amounts to, for any edge: HTTP answers with it, Kafka rejects with it. */
export function problemFor(error: unknown): ProblemDetails {
  if (error instanceof RequestValidationError) {
    const { errors, moreErrors } = error;
    return { ...problem(400, error.code, error.message), errors, ...(moreErrors > 0 ? { moreErrors } : {}) };
  }
  if (error instanceof DomainError) return problem(STATUS_OF[error.kind], error.code, error.message);
  if (error instanceof RateLimitedError) return problem(429, 'RATE.LIMITED', error.message);
  if (error instanceof WrongExpectedRevisionError) {
    return problem(409, 'RECORD.VERSION_CONFLICT', 'the record changed since the version you sent');
  }
  if (error instanceof HttpException) return frameworkProblem(error.getStatus());
  if (hasClientErrorStatus(error)) return frameworkProblem(error.status);
  return problem(500, 'INTERNAL', 'the exchange could not handle this request');
}

function problem(status: number, code: string, detail: string): ProblemDetails {
  return { type: `urn:crescent:problem:${code}`, title: STATUS_CODES[status] ?? 'Error', status, code, detail };
}

/** What the edge says of the framework's refusals it gives a code of their own. */
const FRAMEWORK_PROBLEMS: Partial<Record<number, readonly [code: string, detail: string]>> = {
  [HttpStatus.BAD_REQUEST]: ['REQUEST.MALFORMED', 'the request could not be parsed (body or URL)'],
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: ['REQUEST.UNSUPPORTED_MEDIA_TYPE', 'a request body is JSON, sent as application/json (UTF-8)'],
};

/**
 * Errors raised by Nest or Express before a handler runs (an unparsable or oversized body, an
 * unknown route). Their messages can quote the request, so only the status is passed on.
 */
function frameworkProblem(status: number): ProblemDetails {
  const [code, detail] = FRAMEWORK_PROBLEMS[status] ?? [`HTTP.${status}`, STATUS_CODES[status] ?? 'Error'];
  return problem(status, code, detail);
}

function hasClientErrorStatus(error: unknown): error is { status: number } {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}
