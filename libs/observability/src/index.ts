export { createLogger, LOG_THRESHOLDS, logProcessWarnings, type LogThreshold, PinoLoggerService } from './logger';
export { censorRecordFields, recordFieldNames, REDACTED } from './log-redaction';
export { correlationIdOf, currentRequestIds, HEADER_TOKEN, type RequestIds, TRACEPARENT, traceIdOf, withRequestIds } from './request-context';
export { Metrics, metrics } from './metrics';
export { activeTraceparent, contextOf, inSpan, installTracing, SpanKind, SpanStatusCode, startSpan, startTracing, stopTracing, withTraceContext } from './tracing';
