import { Controller, Get, HttpCode, Inject, Optional, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiProblems, RATE_LIMITED } from '../http/api-problems';
import { RELAY_LAG_CAP, RelayReport, RelayStatus } from '../observability/relay-status';

const READY_TIMEOUT_MS = 3000;

const STATUSES = ['up', 'down'] as const;
type Status = (typeof STATUSES)[number];

class LivenessDto {
  @ApiProperty({ enum: ['up'] })
  status!: 'up';
}

class RelayReportDto implements RelayReport {
  @ApiProperty({ description: 'whether this relay holds the lease (is the active relay)' })
  holdsLease!: boolean;
  @ApiProperty({ type: 'integer', minimum: 0, description: `events in the feed after the relay checkpoint, counted up to ${RELAY_LAG_CAP} (${RELAY_LAG_CAP} means that many or more)` })
  lagEvents!: number;
  @ApiProperty({ minimum: 0, description: 'seconds the oldest event not yet relayed has waited; 0 when caught up' })
  lagSeconds!: number;
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
  @ApiPropertyOptional({ type: RelayReportDto, description: 'where a relay runs in this process: its lease and how far it is behind the feed; absent when it did not answer in time' })
  relay?: RelayReportDto;
}

/** What must answer for an app to be ready: the exchange's store and bus, or a connector's database and bus. */
export type HealthProbes = Readonly<Record<string, () => Promise<void>>>;
export const HEALTH_PROBES = Symbol('HealthProbes');

@Controller('health')
@ApiTags('health')
// No credentials are needed; a probe that sends some anyway is rate limited like any other request.
@ApiProblems(RATE_LIMITED)
export class HealthController {
  constructor(
    @Inject(HEALTH_PROBES) private readonly probes: HealthProbes,
    @Optional() private readonly relay?: RelayStatus,
  ) {}

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
    const [results, relay] = await Promise.all([
      Promise.all(names.map((name) => inTime(this.probes[name]().then(() => 'up' as const)).then((result) => result ?? 'down'))),
      this.relay ? inTime(this.relay.report()) : undefined,
    ]);
    const status = results.every((result) => result === 'up') ? 'up' : 'down';
    response.status(status === 'up' ? 200 : 503);
    return { status, checks: Object.fromEntries(names.map((name, index) => [name, results[index]])), ...(relay ? { relay } : {}) };
  }
}

/** What `answer` resolves to within the readiness timeout; undefined when it fails or is late. */
async function inTime<T>(answer: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), READY_TIMEOUT_MS)));
  try {
    return await Promise.race([answer, timeout]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
