import { LoggerService } from '@nestjs/common';
import pino, { DestinationStream, Logger as Pino } from 'pino';
import { censorRecordFields } from './log-redaction';
import { currentRequestIds } from './request-context';

/** LOG_LEVEL's values, in Nest's words: each prints itself and those before it. */
export const LOG_THRESHOLDS = ['error', 'warn', 'log', 'debug'] as const;
export type LogThreshold = (typeof LOG_THRESHOLDS)[number];

const PINO_LEVEL: Record<LogThreshold, pino.Level> = { error: 'error', warn: 'warn', log: 'info', debug: 'debug' };

/**
 * One JSON object per line: `time`, `level`, `app`, `context`, `msg`, and while a request is served
 * its `requestId`, `correlationId` and `traceId`. Every field name a record's data can carry is
 * censored wherever it appears in a call's fields, so an object handed to the logger by mistake
 * shows its shape, never its values.
 */
export function createLogger(app: string, threshold: LogThreshold, destination: DestinationStream = pino.destination({ sync: true })): Pino {
  return pino(
    {
      level: PINO_LEVEL[threshold],
      base: { app },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: censorRecordFields() },
      // Errors are serialized by the censoring formatter above, which runs first: a second pass would call them Objects.
      serializers: { err: (error: unknown) => error },
      mixin: () => ({ ...currentRequestIds() }),
    },
    // Synchronous: a process that exits at once after a fatal line (a failed start) still prints it.
    destination,
  );
}

/**
 * Node's own warnings (a listener leak, a negative timeout, a deprecation) as JSON lines too, in place
 * of Node's plain-text print: by name and message, which hold no record data.
 */
export function logProcessWarnings(log: Pino): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => log.warn({ context: 'node', warning: warning.name }, warning.message));
}

/** Nest's logger over pino: `new Logger(context).warn(...)` anywhere in the apps writes a JSON line. */
export class PinoLoggerService implements LoggerService {
  constructor(private readonly pino: Pino) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Nest calls it as `(message, stack?, context?)`. */
  error(message: unknown, ...params: unknown[]): void {
    const [stack, context] = params.length >= 2 ? params : [undefined, ...params];
    this.write('error', message, context === undefined ? [] : [context], typeof stack === 'string' ? { stack } : {});
  }

  /** Nest passes the logger's context last; an object message is logged as fields, and so redacted. */
  private write(level: pino.Level, message: unknown, params: unknown[], extra: Record<string, unknown> = {}): void {
    const context = typeof params[params.length - 1] === 'string' ? (params[params.length - 1] as string) : undefined;
    const fields = { ...(context ? { context } : {}), ...extra };
    if (message instanceof Error) this.pino[level]({ ...fields, err: message }, message.message);
    else if (message !== null && typeof message === 'object') this.pino[level]({ ...fields, ...message });
    else this.pino[level](fields, String(message));
  }
}
