import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { EVENT_STORE, EventStore } from '@crescent/event-store';
import { MESSAGE_BUS, MessageBus } from '@crescent/messaging';

const READY_TIMEOUT_MS = 3000;

type Status = 'up' | 'down';

interface HealthReport {
  status: Status;
  checks: Record<string, Status>;
}

@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
  ) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: Status } {
    return { status: 'up' };
  }

  /** Ready only when both the event store and the bus answer. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const [eventStore, bus] = await Promise.all([answers(this.store.ping()), answers(this.bus.ping())]);
    const status = eventStore === 'up' && bus === 'up' ? 'up' : 'down';
    response.status(status === 'up' ? 200 : 503);
    return { status, checks: { eventStore, bus } };
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
