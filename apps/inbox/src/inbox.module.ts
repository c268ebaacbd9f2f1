import { Module } from '@nestjs/common';
import { SqlClient } from '@crescent/sql';
import { PEOPLE_ACCOUNTS, PeopleAccounts, peopleMigrations, seedDemoPeople, sessionController } from '@crescent/people';
import { DIRECTORY_EVENT_TYPES } from '@crescent/policy';
import { RUNTIME_CONFIG, RuntimeConfig, SQL_CLIENT, UsesAgencyDirectory, UsesSchema, WebUiModule } from '@crescent/runtime';
import { InboxAccessGuard } from './inbox-access.guard';
import { InboxConsumer } from './inbox.consumer';
import { InboxController } from './inbox.controller';
import { InboxReferralsController } from './inbox-referrals.controller';
import { IntakeClient } from './intake-client';
import { InboxStore } from './inbox.store';
import { INBOX_MIGRATIONS } from './inbox.migrations';
import { PeopleController } from './people.controller';

/** The reference agency connector: one agency's topics in, its caseworkers' inbox out, and their web UI at /inbox/. */
@UsesSchema(INBOX_MIGRATIONS, peopleMigrations('inbox'))
@UsesAgencyDirectory(DIRECTORY_EVENT_TYPES)
@Module({
  imports: [WebUiModule.serve('inbox')],
  controllers: [InboxController, InboxReferralsController, sessionController('inbox', 'v1/inbox/session'), PeopleController],
  providers: [
    { provide: InboxStore, inject: [SQL_CLIENT], useFactory: (sql: SqlClient) => InboxStore.create(sql) },
    {
      provide: PEOPLE_ACCOUNTS,
      inject: [SQL_CLIENT, RUNTIME_CONFIG],
      useFactory: async (sql: SqlClient, config: RuntimeConfig) => {
        const accounts = await PeopleAccounts.create(sql, 'inbox');
        if (config.seedDemo) await seedDemoPeople(accounts, 'inbox', config.inboxAgencyId);
        return accounts;
      },
    },
    InboxAccessGuard,
    IntakeClient,
    InboxConsumer,
  ],
})
export class InboxModule {}
