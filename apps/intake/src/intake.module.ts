import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { SqlClient } from '@crescent/sql';
import { CheckpointStore, EVENT_STORE, EventStore } from '@crescent/event-store';
import { DIRECTORY_EVENT_TYPES } from '@crescent/policy';
import { SQL_CLIENT, UsesAgencyDirectory, UsesSchema } from '@crescent/runtime';
import { AgencyAccessController } from './auth/agency-access.controller';
import { AgencyWriteSide } from './commands/agency-write-side';
import { CommandWrites } from './commands/command-writes';
import { IdempotencyStore } from './commands/idempotency.store';
import { IDEMPOTENCY_MIGRATIONS } from './commands/idempotency.migrations';
import { REFERRAL_MATTER_MIGRATIONS, ReferralMatters } from './commands/referral-matters';
import { InboundCommandConsumer } from './inbound/inbound-command.consumer';
import { ArrestRecordController } from './records/arrest-record.controller';
import { CaseController } from './records/case.controller';
import { ConsentController } from './records/consent.controller';
import { RecordEndpoints } from './records/record-endpoints';
import { VictimReferralController } from './records/victim-referral.controller';
import { USE_CASE_HANDLERS } from './use-cases/use-case-handlers';

/** Records in: commands over HTTP or an agency's inbound topic become events in the store. */
@UsesSchema(IDEMPOTENCY_MIGRATIONS, REFERRAL_MATTER_MIGRATIONS)
// The agencies; whether a referral's sender may learn its status is read from her matter (`ReferralMatters`).
@UsesAgencyDirectory(DIRECTORY_EVENT_TYPES)
@Module({
  imports: [CqrsModule],
  controllers: [AgencyAccessController, CaseController, VictimReferralController, ArrestRecordController, ConsentController],
  providers: [
    { provide: IdempotencyStore, inject: [SQL_CLIENT], useFactory: (sql: SqlClient) => IdempotencyStore.create(sql) },
    {
      provide: ReferralMatters,
      inject: [SQL_CLIENT, EVENT_STORE, CheckpointStore],
      useFactory: (sql: SqlClient, store: EventStore, checkpoints: CheckpointStore) => ReferralMatters.open(sql, store, checkpoints),
    },
    {
      provide: CommandWrites,
      inject: [EVENT_STORE, IdempotencyStore, ReferralMatters],
      useFactory: (store: EventStore, keys: IdempotencyStore, matters: ReferralMatters) => CommandWrites.for(store, keys, matters),
    },
    AgencyWriteSide,
    ...USE_CASE_HANDLERS,
    RecordEndpoints,
    InboundCommandConsumer,
  ],
})
export class IntakeModule {}
