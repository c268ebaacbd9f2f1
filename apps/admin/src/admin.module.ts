import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PEOPLE_ACCOUNTS, PeopleAccounts, peopleMigrations, seedDemoPeople, sessionController } from '@crescent/people';
import { RUNTIME_CONFIG, RuntimeConfig, SQL_CLIENT, UsesAgencyDirectory, UsesSchema, WebUiModule } from '@crescent/runtime';
import { SqlClient } from '@crescent/sql';
import { AdminAuthGuard } from './admin-auth.guard';
import { AgenciesAdminController } from './agencies-admin.controller';
import { BrokerAccessReconciler } from './broker-access.reconciler';
import { LedgerAdminController } from './ledger-admin.controller';
import { PoliciesAdminController } from './policies-admin.controller';
import { SubscriptionsAdminController } from './subscriptions-admin.controller';
import { PolicyPreview } from './policy-preview';
import { AuditAdminController } from './audit-admin.controller';
import { ADMIN_USE_CASE_HANDLERS } from './use-cases/admin-use-case-handlers';

/** The exchange's administration: agencies, their credentials, and the sharing policies with preview and diff; its console at /admin/. */
@UsesSchema(peopleMigrations('admin'))
// The policy preview projects any record as the whole feed tells its facts.
@UsesAgencyDirectory('whole feed')
@Module({
  imports: [CqrsModule, WebUiModule.serve('admin')],
  controllers: [sessionController('admin', 'v1/admin/session'), AgenciesAdminController, PoliciesAdminController, SubscriptionsAdminController, LedgerAdminController, AuditAdminController],
  providers: [
    {
      provide: PEOPLE_ACCOUNTS,
      inject: [SQL_CLIENT, RUNTIME_CONFIG],
      useFactory: async (sql: SqlClient, config: RuntimeConfig) => {
        const accounts = await PeopleAccounts.create(sql, 'admin');
        if (config.seedDemo) await seedDemoPeople(accounts, 'admin');
        return accounts;
      },
    },
    AdminAuthGuard,
    PolicyPreview,
    BrokerAccessReconciler,
    ...ADMIN_USE_CASE_HANDLERS,
  ],
})
export class AdminModule {}
