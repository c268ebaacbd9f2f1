import { AsyncLocalStorage } from 'node:async_hooks';

/** The ids a log line written while serving one request carries. */
export interface RequestIds {
  /** Made by this process for each request: never taken from the caller. */
  readonly requestId: string;
  /** The caller's X-Correlation-Id, when it sent a well-formed one. */
  readonly correlationId?: string;
  /** The trace id of the caller's W3C `traceparent`, when it sent a well-formed one. */
  readonly traceId?: string;
}

const requestContext = new AsyncLocalStorage<RequestIds>();

/** Runs `work` with `ids` as the ids of every log line written within it, asynchronous continuations included. */
export function withRequestIds<T>(ids: RequestIds, work: () => T): T {
  return requestContext.run(ids, work);
}

/** The ids of the request being served, if any. */
export function currentRequestIds(): RequestIds | undefined {
  return requestContext.getStore();
}

/** W3C Trace Context, version 00 (its trace id captured); anything else is ignored, as the recommendation says. */
export const TRACEPARENT = /^00-((?!0{32})[0-9a-f]{32})-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;
/** An id a caller may send in a header (X-Correlation-Id, Idempotency-Key): 1 to 200 visible ASCII characters. */
export const HEADER_TOKEN = /^[\x21-\x7e]{1,200}$/;

/** The trace id of a well-formed W3C `traceparent` (version 00); undefined otherwise. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return traceparent === undefined ? undefined : TRACEPARENT.exec(traceparent)?.[1];
}

/** A well-formed correlation id; undefined otherwise, so a malformed header never reaches a log line. */
export function correlationIdOf(header: string | undefined): string | undefined {
  return header !== undefined && HEADER_TOKEN.test(header) ? header : undefined;
}
