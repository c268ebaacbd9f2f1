import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiProblems, RATE_LIMITED } from '../http/api-problems';

const READY_TIMEOUT_MS = 3000;

const STATUSES = ['up', 'down'] as const;
type Status = (typeof STATUSES)[number];

class LivenessDto {
  @ApiProperty({ enum: ['up'] })
  status!: 'up';
}

class HealthReportDto {
  @ApiProperty({ enum: STATUSES, description: 'up only when every check is up' })
  status!: Status;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', enum: [...STATUSES] },
    description: `each dependency the app needs (its store, its bus), and whether it answered within ${READY_TIMEOUT_MS} ms`,
    example: { store: 'up', bus: 'up' },
  })
  checks!: Record<string, Status>;
}

/** What must answer for an app to be ready: the exchange's store and bus, or a connector's database and bus. */
export type HealthProbes = Readonly<Record<string, () => Promise<void>>>;
export const HEALTH_PROBES = Symbol('HealthProbes');

@Controller('health')
@ApiTags('health')
// No credentials are needed; a probe that sends some anyway is rate limited like any other request.
@ApiProblems(RATE_LIMITED)
export class HealthController {
  constructor(@Inject(HEALTH_PROBES) private readonly probes: HealthProbes) {}

  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'Whether the process answers at all (liveness)' })
  @ApiOkResponse({ type: LivenessDto, description: 'the process is up' })
  live(): LivenessDto {
    return { status: 'up' };
  }

  /** Ready only when every probe answers. */
  @Get('ready')
  @ApiOperation({ summary: 'Whether every dependency answers (readiness)' })
  @ApiOkResponse({ type: HealthReportDto, description: 'every check is up' })
  @ApiServiceUnavailableResponse({ type: HealthReportDto, description: 'some check is down or did not answer in time: the report says which' })
  async ready(@Res({ passthrough: true }) response: Response): Promise<HealthReportDto> {
    const names = Object.keys(this.probes);
    const results = await Promise.all(names.map((name) => answers(this.probes[name]())));
    const status = results.every((result) => result === 'up') ? 'up' : 'down';
    response.status(status === 'up' ? 200 : 503);
    return { status, checks: Object.fromEntries(names.map((name, index) => [name, results[index]])) };
  }
}

async function answers(ping: Promise<void>): Promise<Status> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'down'>((resolve) => (timer = setTimeout(() => resolve('down'), READY_TIMEOUT_MS)));
  try {
    return await Promise.race([ping.then(() => 'up' as const), timeout]);
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}
