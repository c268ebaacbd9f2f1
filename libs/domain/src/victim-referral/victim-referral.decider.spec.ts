import { DomainError } from '../domain-error';
import { HSI_METADATA, referralSubmitted, submitReferral } from '../testing/victim-referral.fixtures';
import { initialVictimReferralState, VictimReferralCommand, VictimReferralEvent } from './victim-referral';
import { decideVictimReferral, evolveVictimReferral } from './victim-referral.decider';

function given(...events: VictimReferralEvent[]) {
  const state = events.reduce(evolveVictimReferral, initialVictimReferralState);
  return { when: (command: VictimReferralCommand) => () => decideVictimReferral(command, state) };
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof DomainError ? error.code : `not a DomainError: ${String(error)}`;
  }
  return undefined;
}

describe('victim referral', () => {
  it('given no history, when HSI submits a referral, then it is submitted as schema version 1, stamped with the submitter and time', () => {
    const events = given().when(submitReferral())();

    expect(events).toEqual([referralSubmitted()]);
    expect(events[0].metadata.schemaVersion).toBe(1);
    expect(events[0].data.referringAgencyId).toBe(HSI_METADATA.agencyId);
    expect(events[0].data.submittedAt).toBe(HSI_METADATA.now);
  });

  it('given a submitted referral, when it is submitted again, then it is refused as a conflict', () => {
    expect(codeOf(given(referralSubmitted()).when(submitReferral()))).toBe('REFERRAL.ALREADY_SUBMITTED');
  });

  it.each(['local-law-enforcement', 'prosecutor'] as const)('accepts a referral from %s', (agencyKind) => {
    expect(given().when(submitReferral({}, { agencyKind, agencyId: 'some-agency' }))()).toHaveLength(1);
  });

  it.each(['victim-service-provider', 'health-provider'] as const)('refuses a referral from %s', (agencyKind) => {
    expect(codeOf(given().when(submitReferral({}, { agencyKind, agencyId: 'some-ngo' })))).toBe(
      'REFERRAL.SUBMITTER_NOT_ALLOWED',
    );
  });

  it('refuses a referral addressed to its own sender', () => {
    expect(codeOf(given().when(submitReferral({ referredToAgencyId: HSI_METADATA.agencyId })))).toBe(
      'REFERRAL.SELF_REFERRAL',
    );
  });

  it('evolves a submission into a submitted state that remembers the referral and its sender', () => {
    expect(evolveVictimReferral(initialVictimReferralState, referralSubmitted())).toEqual({
      status: 'submitted',
      referralId: 'ref-1',
      referringAgencyId: HSI_METADATA.agencyId,
    });
  });
});
