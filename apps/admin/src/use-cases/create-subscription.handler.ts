import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { DomainError, RECORD_SCHEMA_VERSIONS } from '@crescent/domain';
import { EVENT_STORE, EventStore } from '@crescent/event-store';
import { AGENCY_DIRECTORY, AgencyDirectory, RecordWritten } from '@crescent/runtime';
import { CreateSubscriptionDto } from '../admin.dto';
import { AdminCommand, AdminCommandHandler } from './admin-command';

/** Subscribes a registered agency to a record type under a new id: at the schema version it names (else the newest), with its filters. */
export class CreateSubscriptionCommand extends AdminCommand<CreateSubscriptionDto> {}

@CommandHandler(CreateSubscriptionCommand)
export class CreateSubscriptionHandler extends AdminCommandHandler<CreateSubscriptionCommand> {
  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(AGENCY_DIRECTORY) private readonly directory: AgencyDirectory) {
    super(store);
  }

  execute({ data: { agencyId, recordType, schemaVersion, filters, backfill } }: CreateSubscriptionCommand): Promise<RecordWritten> {
    if (!this.directory.find(agencyId)) throw new DomainError('not-found', 'AGENCY.NOT_FOUND', 'agencyId names no registered agency');
    const versions = RECORD_SCHEMA_VERSIONS[recordType];
    const subscriptionId = randomUUID();
    return this.write('subscription', subscriptionId, {
      type: 'CreateSubscription',
      data: { subscriptionId, agencyId, recordType, schemaVersion: schemaVersion ?? versions[versions.length - 1], filters: filters ?? {}, backfill: backfill ?? false },
    });
  }
}
