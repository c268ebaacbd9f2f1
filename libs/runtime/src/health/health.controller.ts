import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';

const READY_TIMEOUT_MS = 3000;

type Status = 'up' | 'down';

interface HealthReport {
  status: Status;
  checks: Record<string, Status>;
}

/** What must answer for an app to be ready: the exchange's store and bus, or a connector's database and bus. */
export type HealthProbes = Readonly<Record<string, () => Promise<void>>>;
export const HEALTH_PROBES = Symbol('HealthProbes');

@Controller('health')
export class HealthController {
  constructor(@Inject(HEALTH_PROBES) private readonly probes: HealthProbes) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: Status } {
    return { status: 'up' };
  }

  /** Ready only when every probe answers. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
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
