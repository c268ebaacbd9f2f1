import { schemaMigrationsFor } from '@crescent/runtime';
import { AdminModule } from '../../admin/src/admin.module';
import { InboxModule } from '../../inbox/src/inbox.module';
import { IntakeModule } from '../../intake/src/intake.module';
import { RelayModule } from '../../relay/src/relay.module';
import { EXCHANGE_FEATURES } from './exchange-features';

const names = (...args: Parameters<typeof schemaMigrationsFor>) => schemaMigrationsFor(...args).map(({ name }) => name);

const EXCHANGE_RUNTIME = ['audit/001-access-audit', 'event-store/001-events', 'event-store/002-feed-checkpoints', 'event-store/003-leases', 'event-store/004-feed-transaction-ids', 'event-store/005-feed-by-type', 'ledger/001-disclosure-ledger', 'relay/001-dead-letters'];

describe('the migrations an app applies at start', () => {
  it("are the runtime's for its role, then those its features declare, in the order the features come", () => {
    expect(names('exchange', [IntakeModule])).toEqual([...EXCHANGE_RUNTIME, 'intake/001-idempotency-keys', 'intake/002-idempotency-claimed-by', 'intake/003-referral-matters']);
    expect(names('exchange', [RelayModule])).toEqual([...EXCHANGE_RUNTIME, 'relay/002-facts']);
    expect(names('exchange', [AdminModule])).toEqual([...EXCHANGE_RUNTIME, 'people/admin/001-people-sessions-failures']);
    // A connector's own database: its users' audit and its inbox, no event store.
    expect(names('connector', [InboxModule])).toEqual(['audit/001-access-audit', 'inbox/001-referrals-consents-retractions', 'people/inbox/001-people-sessions-failures']);
  });

  it('are, for npm run migrate, every app of the exchange', () => {
    expect(names('exchange', EXCHANGE_FEATURES)).toEqual([
      ...EXCHANGE_RUNTIME,
      'intake/001-idempotency-keys',
      'intake/002-idempotency-claimed-by',
      'intake/003-referral-matters',
      'relay/002-facts',
      'inbox/001-referrals-consents-retractions',
      'people/inbox/001-people-sessions-failures',
      'people/admin/001-people-sessions-failures',
    ]);
  });
});
