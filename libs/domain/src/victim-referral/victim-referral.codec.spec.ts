import { referralSubmitted } from '../testing/victim-referral.fixtures';
import { readVictimReferralEvent } from './victim-referral.codec';

describe('readVictimReferralEvent', () => {
  it('reads a version 1 submission back', () => {
    const event = referralSubmitted();
    expect(readVictimReferralEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });

  it('refuses an unknown schema version rather than guess its shape', () => {
    const event = referralSubmitted();
    expect(readVictimReferralEvent({ ...event, metadata: { ...event.metadata, schemaVersion: 9 } })).toBeUndefined();
  });

  it('ignores events of other types, including inherited property names', () => {
    expect(readVictimReferralEvent({ type: 'CaseOpened', data: {}, metadata: { schemaVersion: 1 } })).toBeUndefined();
    expect(readVictimReferralEvent({ type: 'toString', data: {}, metadata: { schemaVersion: 1 } })).toBeUndefined();
  });
});
