import { Module } from '@nestjs/common';
import { SqlClient } from '@crescent/sql';
import { RecordsModule, SQL_CLIENT } from '@crescent/runtime';
import { AgencyAccessController } from './auth/agency-access.controller';
import { CommandGateway } from './commands/command-gateway';
import { IdempotencyStore } from './commands/idempotency.store';
import { InboundCommandConsumer } from './inbound/inbound-command.consumer';
import { ArrestRecordController } from './records/arrest-record.controller';
import { CaseController } from './records/case.controller';
import { ConsentController } from './records/consent.controller';
import { RecordEndpoints } from './records/record-endpoints';
import { VictimReferralController } from './records/victim-referral.controller';

/** Records in: commands over HTTP or an agency's inbound topic become events in the store. */
@Module({
  imports: [RecordsModule],
  controllers: [AgencyAccessController, CaseController, VictimReferralController, ArrestRecordController, ConsentController],
  providers: [
    { provide: IdempotencyStore, inject: [SQL_CLIENT], useFactory: (sql: SqlClient) => IdempotencyStore.create(sql) },
    CommandGateway,
    RecordEndpoints,
    InboundCommandConsumer,
  ],
})
export class IntakeModule {}
