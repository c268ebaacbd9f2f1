import { DynamicModule, INestApplication, Logger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { createLogger, logProcessWarnings, PinoLoggerService, startTracing } from '@crescent/observability';
import { loadConfig, RuntimeConfig } from './config';
import { AccessAudit } from '@crescent/audit';
import { auditHttpAccess } from './audit/http-access-audit';
import { jsonBodyParsers, MAX_JSON_DEPTH } from './http/json-body';
import { asOpenApi31 } from './http/openapi-3-1';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { RateLimitGuard } from './http/rate-limit.guard';
import { createValidationPipe, MAX_REPORTED_PROBLEMS } from './http/request-validation';
import { observeHttp, reenterRequestContext } from './observability/http-observation';
import { crescentRootModule, RuntimeRole } from './runtime.module';

/** Creates an app with the edge behaviour every Crescent app shares, ready to `listen`. */
export async function createCrescentApp(
  config: RuntimeConfig,
  clientId: string,
  features: readonly (Type | DynamicModule)[],
  role: RuntimeRole = 'exchange',
): Promise<INestApplication> {
  const log = createLogger(clientId, config.logLevel);
  logProcessWarnings(log);
  const logger = new PinoLoggerService(log);
  // Also what a `new Logger()` writes to before (or without) an app: a failed start included.
  Logger.overrideLogger(logger);
  const app = await NestFactory.create<NestExpressApplication>(crescentRootModule(config, clientId, features, role), {
    logger,
    // Bodies are JSON only, parsed by jsonBodyParsers: Nest's defaults also read forms.
    bodyParser: false,
  });
  app.disable('x-powered-by');
  app.use(observeHttp(log));
  // Answers carry case records or errors about them: no cache, shared or the client's, may keep one.
  app.use((_: Request, response: Response, next: NextFunction) => {
    response.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.useGlobalGuards(new RateLimitGuard(config));
  app.useGlobalPipes(createValidationPipe());
  // Express middleware runs before every route, so each request is audited, also one a guard refuses.
  app.use(auditHttpAccess(app.get(AccessAudit)));
  app.use(...jsonBodyParsers(), reenterRequestContext());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  SwaggerModule.setup('v1/docs', app, () => asOpenApi31(SwaggerModule.createDocument(app, OPENAPI_INFO)), {
    jsonDocumentUrl: 'v1/openapi.json',
  });
  return app;
}

const OPENAPI_INFO = new DocumentBuilder()
  .setTitle('Crescent exchange')
  .setDescription(
    'Interagency exchange of human-trafficking case records. Errors are RFC 7807 problem+json with a stable code. ' +
      `A request body is application/json (UTF-8), nested at most ${MAX_JSON_DEPTH} levels: anything else is a 415 (REQUEST.UNSUPPORTED_MEDIA_TYPE) or a 400 (REQUEST.TOO_DEEP). ` +
      `A 400 REQUEST.INVALID lists at most ${MAX_REPORTED_PROBLEMS} problems in errors, with moreErrors counting the rest; no problem repeats a submitted value or an unknown property's name.`,
  )
  .setVersion('1')
  // Opaque tokens the exchange issues and keeps only the hash of: no bearerFormat (the default says JWT).
  .addSecurity('bearer', { type: 'http', scheme: 'bearer', description: "an agency's API token, or the admin token for /v1/admin: opaque, issued once by the exchange" })
  .build();

/** The whole of a deployable's `main`: read the environment, start, listen; exit non-zero if start fails. */
export function runCrescentApp(
  clientId: string,
  features: readonly (Type | DynamicModule)[],
  onListening: (config: RuntimeConfig) => void = () => undefined,
  role: RuntimeRole = 'exchange',
): void {
  const start = async (): Promise<void> => {
    const config = loadConfig(process.env, role);
    startTracing(clientId);
    const app = await createCrescentApp(config, clientId, features, role);
    await app.listen(config.port, config.host);
    onListening(config);
  };
  start().catch((error: unknown) => {
    new Logger(clientId).error(`failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
