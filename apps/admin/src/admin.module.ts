import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AdminAuthGuard } from './admin-auth.guard';
import { AgenciesAdminController } from './agencies-admin.controller';
import { BrokerAccessReconciler } from './broker-access.reconciler';
import { LedgerAdminController } from './ledger-admin.controller';
import { PoliciesAdminController } from './policies-admin.controller';
import { SubscriptionsAdminController } from './subscriptions-admin.controller';
import { PolicyPreview } from './policy-preview';
import { AuditAdminController } from './audit-admin.controller';
import { ADMIN_USE_CASE_HANDLERS } from './use-cases/admin-use-case-handlers';

/** The exchange's administration: agencies, their credentials, and the sharing policies with preview and diff. */
@Module({
  imports: [CqrsModule],
  controllers: [AgenciesAdminController, PoliciesAdminController, SubscriptionsAdminController, LedgerAdminController, AuditAdminController],
  providers: [AdminAuthGuard, PolicyPreview, BrokerAccessReconciler, ...ADMIN_USE_CASE_HANDLERS],
})
export class AdminModule {}
