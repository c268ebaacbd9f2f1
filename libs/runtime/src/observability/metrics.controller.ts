import { Controller, Get, Optional, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { metrics } from '@crescent/observability';
import { RelayStatus } from './relay-status';

/**
 * Prometheus's text exposition of this process's metrics. Outside the API's contract (an operator's
 * endpoint, not an agency's) and unauthenticated: expose it on the cluster network only (docs/operations.md).
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(@Optional() private readonly relay?: RelayStatus) {}

  @Get()
  async scrape(@Res() response: Response): Promise<void> {
    await this.relay?.refreshMetrics();
    response.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  }
}
