import { AgencyEvent } from '@crescent/domain';
import { ADMIN_METADATA, agencyRegistered, referralSubmitted, subscriptionCreated } from '@crescent/domain/testing';
import { subscriptionsFor } from './subscriptions';
import { stateOf } from './testing/feed';

/** The shelter asks for victim referrals found in Orleans; ref-1 was found there. */
const shelterRegistered = agencyRegistered({ agencyId: 'bayou-haven-shelter', name: 'Bayou Haven', kind: 'victim-service-provider', jurisdiction: [] });
const history = [shelterRegistered, subscriptionCreated(), referralSubmitted()];
const SHELTER_SUBSCRIPTION = {
  subscriptionId: 'sub-1',
  agencyId: 'bayou-haven-shelter',
  recordType: 'victim-referral',
  schemaVersion: 2,
  filters: { parishes: ['Orleans'] },
  backfill: false,
  status: 'active',
};

describe('who the relay delivers a record to', () => {
  it('an active agency whose subscription matches', () => {
    expect(subscriptionsFor(stateOf(...history), 'bayou-haven-shelter', 'victim-referral', 'ref-1')).toEqual([SHELTER_SUBSCRIPTION]);
  });

  it('not a suspended agency, whatever its subscriptions; again once it is reinstated', () => {
    const suspended = [...history, lifecycle('AgencySuspended', { reason: 'Audit of its access', suspendedAt: '2026-10-05T12:00:00.000Z' })];
    expect(subscriptionsFor(stateOf(...suspended), 'bayou-haven-shelter', 'victim-referral', 'ref-1')).toEqual([]);
    const reinstated = [...suspended, lifecycle('AgencyReinstated', { reinstatedAt: '2026-10-06T12:00:00.000Z' })];
    expect(subscriptionsFor(stateOf(...reinstated), 'bayou-haven-shelter', 'victim-referral', 'ref-1')).toEqual([SHELTER_SUBSCRIPTION]);
  });

  it('not a revoked agency', () => {
    const revoked = [...history, lifecycle('AgencyRevoked', { reason: 'Agreement ended', revokedAt: '2026-10-05T12:00:00.000Z' })];
    expect(subscriptionsFor(stateOf(...revoked), 'bayou-haven-shelter', 'victim-referral', 'ref-1')).toEqual([]);
  });

  it('not an agency the feed never registered', () => {
    expect(subscriptionsFor(stateOf(subscriptionCreated(), referralSubmitted()), 'bayou-haven-shelter', 'victim-referral', 'ref-1')).toEqual([]);
  });
});

function lifecycle(type: 'AgencySuspended' | 'AgencyReinstated' | 'AgencyRevoked', data: Record<string, string>): AgencyEvent {
  return { type, data: { agencyId: 'bayou-haven-shelter', ...data }, metadata: { ...ADMIN_METADATA, schemaVersion: 1 } } as AgencyEvent;
}
