import { applyDecorators, Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { SubscriptionFacts, subscriptionsOf } from '@crescent/policy';
import { AGENCY_DIRECTORY, AgencyDirectory, ApiProblems, RecordWritten, RecordWrittenDto } from '@crescent/runtime';
import { AdminApi } from './admin-api';
import { CreateSubscriptionDto } from './admin.dto';
import { SubscriptionListDto } from './subscriptions-admin.dto';
import { CreateSubscriptionCommand } from './use-cases/create-subscription.handler';
import { EndSubscriptionCommand } from './use-cases/end-subscription.handler';
import { PauseSubscriptionCommand } from './use-cases/pause-subscription.handler';
import { ResumeSubscriptionCommand } from './use-cases/resume-subscription.handler';

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
    return this.commands.execute(new CreateSubscriptionCommand(body));
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
    return this.commands.execute(new PauseSubscriptionCommand({ subscriptionId }));
  }

  @Post(':subscriptionId/resume')
  @SubscriptionChange('Resume a paused subscription', 'SUBSCRIPTION.ALREADY_ACTIVE, SUBSCRIPTION.ENDED')
  resume(@Param('subscriptionId') subscriptionId: string): Promise<RecordWritten> {
    return this.commands.execute(new ResumeSubscriptionCommand({ subscriptionId }));
  }

  @Post(':subscriptionId/end')
  @SubscriptionChange('End a subscription, for good', 'SUBSCRIPTION.ENDED')
  end(@Param('subscriptionId') subscriptionId: string): Promise<RecordWritten> {
    return this.commands.execute(new EndSubscriptionCommand({ subscriptionId }));
  }
}
