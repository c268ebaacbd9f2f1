import { Module } from '@nestjs/common';
import { RecordsModule, WebUiModule } from '@crescent/runtime';
import { AdminAuthGuard } from './admin-auth.guard';
import { AgenciesAdminController } from './agencies-admin.controller';
import { BrokerAccessReconciler } from './broker-access.reconciler';
import { LedgerAdminController } from './ledger-admin.controller';
import { PoliciesAdminController } from './policies-admin.controller';
import { SubscriptionsAdminController } from './subscriptions-admin.controller';
import { PolicyPreview } from './policy-preview';
import { AuditAdminController } from './audit-admin.controller';

/** The exchange's administration: agencies, their credentials, and the sharing policies with preview and diff; its console at /admin/. */
@Module({
  imports: [RecordsModule, WebUiModule.serve('admin')],
  controllers: [AgenciesAdminController, PoliciesAdminController, SubscriptionsAdminController, LedgerAdminController, AuditAdminController],
  providers: [AdminAuthGuard, PolicyPreview, BrokerAccessReconciler],
})
export class AdminModule {}
