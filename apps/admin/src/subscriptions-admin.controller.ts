import { Body, Controller, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { DomainError, RECORD_SCHEMA_VERSIONS, SubscriptionCommand } from '@crescent/domain';
import { SubscriptionFacts, subscriptionsOf } from '@crescent/policy';
import { ADMIN_ACTOR, AGENCY_DIRECTORY, AgencyDirectory, ExecuteRecordCommand, RecordWritten } from '@crescent/runtime';
import { AdminAuthGuard } from './admin-auth.guard';
import { CreateSubscriptionDto } from './admin.dto';

const CHANGES = { pause: 'PauseSubscription', resume: 'ResumeSubscription', end: 'EndSubscription' } as const;

/** What each agency asks to receive: record types, the schema version it reads, and filters. */
@Controller('v1/admin/subscriptions')
@UseGuards(AdminAuthGuard)
@ApiTags('admin')
@ApiBearerAuth()
export class SubscriptionsAdminController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(AGENCY_DIRECTORY) private readonly directory: AgencyDirectory,
  ) {}

  @Post()
  @HttpCode(201)
  create(@Body() body: CreateSubscriptionDto): Promise<RecordWritten> {
    if (!this.directory.find(body.agencyId)) throw new DomainError('not-found', 'AGENCY.NOT_FOUND', 'agencyId names no registered agency');
    const versions = RECORD_SCHEMA_VERSIONS[body.recordType];
    const subscriptionId = randomUUID();
    return this.execute(subscriptionId, {
      type: 'CreateSubscription',
      data: { subscriptionId, agencyId: body.agencyId, recordType: body.recordType, schemaVersion: body.schemaVersion ?? versions[versions.length - 1], filters: body.filters ?? {}, backfill: body.backfill ?? false },
      metadata: this.metadata(),
    });
  }

  @Get()
  list(): { subscriptions: SubscriptionFacts[] } {
    return { subscriptions: subscriptionsOf(this.directory.current()) };
  }

  @Post(':subscriptionId/pause')
  @HttpCode(200)
  pause(@Param('subscriptionId') subscriptionId: string): Promise<RecordWritten> {
    return this.change(subscriptionId, 'pause');
  }

  @Post(':subscriptionId/resume')
  @HttpCode(200)
  resume(@Param('subscriptionId') subscriptionId: string): Promise<RecordWritten> {
    return this.change(subscriptionId, 'resume');
  }

  @Post(':subscriptionId/end')
  @HttpCode(200)
  end(@Param('subscriptionId') subscriptionId: string): Promise<RecordWritten> {
    return this.change(subscriptionId, 'end');
  }

  private change(subscriptionId: string, change: keyof typeof CHANGES): Promise<RecordWritten> {
    return this.execute(subscriptionId, { type: CHANGES[change], data: { subscriptionId }, metadata: this.metadata() });
  }

  private execute(subscriptionId: string, command: SubscriptionCommand): Promise<RecordWritten> {
    return this.commands.execute(new ExecuteRecordCommand('subscription', subscriptionId, command, undefined));
  }

  private metadata() {
    return { ...ADMIN_ACTOR, now: new Date().toISOString(), correlationId: randomUUID() };
  }
}
