import { applyDecorators, Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { DomainError, RECORD_SCHEMA_VERSIONS, SubscriptionCommand } from '@crescent/domain';
import { SubscriptionFacts, subscriptionsOf } from '@crescent/policy';
import { ADMIN_ACTOR, AGENCY_DIRECTORY, AgencyDirectory, ApiProblems, ExecuteRecordCommand, RecordWritten, RecordWrittenDto } from '@crescent/runtime';
import { AdminApi } from './admin-api';
import { CreateSubscriptionDto } from './admin.dto';
import { SubscriptionListDto } from './subscriptions-admin.dto';

const CHANGES = { pause: 'PauseSubscription', resume: 'ResumeSubscription', end: 'EndSubscription' } as const;

/** A lifecycle step of one subscription: its summary, the subscription written, and the statuses it cannot start from. */
function SubscriptionChange(summary: string, refusals: string): MethodDecorator {
  return applyDecorators(
    HttpCode(200),
    ApiOperation({ summary }),
    ApiParam({ name: 'subscriptionId', type: String, format: 'uuid' }),
    ApiOkResponse({ type: RecordWrittenDto, description: 'the subscription, changed' }),
    ApiProblems(
      [404, 'SUBSCRIPTION.NOT_FOUND'],
      [409, 'RECORD.VERSION_CONFLICT (changed by another request at the same moment, twice over)'],
      [422, refusals],
    ),
  );
}

/** What each agency asks to receive: record types, the schema version it reads, and filters. */
@Controller('v1/admin/subscriptions')
@AdminApi()
export class SubscriptionsAdminController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(AGENCY_DIRECTORY) private readonly directory: AgencyDirectory,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Subscribe an agency to a record type, at a schema version, with filters' })
  @ApiCreatedResponse({ type: RecordWrittenDto, description: 'the subscription, created: recordId is its new subscriptionId' })
  @ApiProblems(
    [400, 'REQUEST.INVALID (each field in errors), SUBSCRIPTION.UNKNOWN_SCHEMA_VERSION, SUBSCRIPTION.INVALID_FILTER'],
    [404, 'AGENCY.NOT_FOUND (agencyId names no registered agency)'],
  )
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
  @ApiOperation({ summary: 'List every subscription with its terms and status' })
  @ApiOkResponse({ type: SubscriptionListDto })
  list(): { subscriptions: SubscriptionFacts[] } {
    return { subscriptions: subscriptionsOf(this.directory.current()) };
  }

  @Post(':subscriptionId/pause')
  @SubscriptionChange('Pause a subscription: nothing is delivered until it resumes', 'SUBSCRIPTION.ALREADY_PAUSED, SUBSCRIPTION.ENDED')
  pause(@Param('subscriptionId') subscriptionId: string): Promise<RecordWritten> {
    return this.change(subscriptionId, 'pause');
  }

  @Post(':subscriptionId/resume')
  @SubscriptionChange('Resume a paused subscription', 'SUBSCRIPTION.ALREADY_ACTIVE, SUBSCRIPTION.ENDED')
  resume(@Param('subscriptionId') subscriptionId: string): Promise<RecordWritten> {
    return this.change(subscriptionId, 'resume');
  }

  @Post(':subscriptionId/end')
  @SubscriptionChange('End a subscription, for good', 'SUBSCRIPTION.ENDED')
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
