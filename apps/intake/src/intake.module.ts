import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { SqlClient } from '@crescent/sql';
import { EVENT_STORE, EventStore } from '@crescent/event-store';
import { REFERRAL_STATUS_EVENT_TYPES } from '@crescent/policy';
import { SQL_CLIENT, UsesAgencyDirectory, UsesSchema } from '@crescent/runtime';
import { AgencyAccessController } from './auth/agency-access.controller';
import { AgencyWriteSide } from './commands/agency-write-side';
import { CommandWrites } from './commands/command-writes';
import { IdempotencyStore } from './commands/idempotency.store';
import { IDEMPOTENCY_MIGRATIONS } from './commands/idempotency.migrations';
import { InboundCommandConsumer } from './inbound/inbound-command.consumer';
import { ArrestRecordController } from './records/arrest-record.controller';
import { CaseController } from './records/case.controller';
import { ConsentController } from './records/consent.controller';
import { RecordEndpoints } from './records/record-endpoints';
import { VictimReferralController } from './records/victim-referral.controller';
import { USE_CASE_HANDLERS } from './use-cases/use-case-handlers';

/** Records in: commands over HTTP or an agency's inbound topic become events in the store. */
@UsesSchema(IDEMPOTENCY_MIGRATIONS)
// Agencies, and what decides whether a referral's sender may learn its status (`versionsSeenBy`).
@UsesAgencyDirectory(REFERRAL_STATUS_EVENT_TYPES)
@Module({
  imports: [CqrsModule],
  controllers: [AgencyAccessController, CaseController, VictimReferralController, ArrestRecordController, ConsentController],
  providers: [
    { provide: IdempotencyStore, inject: [SQL_CLIENT], useFactory: (sql: SqlClient) => IdempotencyStore.create(sql) },
    { provide: CommandWrites, inject: [EVENT_STORE, IdempotencyStore], useFactory: (store: EventStore, keys: IdempotencyStore) => CommandWrites.for(store, keys) },
    AgencyWriteSide,
    ...USE_CASE_HANDLERS,
    RecordEndpoints,
    InboundCommandConsumer,
  ],
})
export class IntakeModule {}
