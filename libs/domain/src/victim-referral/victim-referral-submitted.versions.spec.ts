import { referralSubmitted, referralSubmittedV1 } from '../testing';
import { victimReferralDecider } from './victim-referral.decider';
import {
  downcastVictimReferralSubmittedToV1,
  splitVictimName,
  upcastVictimReferralSubmittedV1,
} from './victim-referral-submitted.versions';

describe('splitting a version 1 victim name', () => {
  it.each([
    ['Maria Example', 'Maria', 'Example'],
    ['Maria José Example', 'Maria José', 'Example'],
    ['  Maria   José \t Example  ', 'Maria José', 'Example'],
    ['Suharto', '', 'Suharto'],
    ['  Suharto ', '', 'Suharto'],
    ['', '', ''],
    ['   ', '', ''],
  ])('%j -> given %j, family %j', (name, givenName, familyName) => {
    expect(splitVictimName(name)).toEqual({ givenName, familyName });
  });
});

describe('VictimReferralSubmitted versions', () => {
  it('upcasts v1 to the v2 the decider writes today', () => {
    expect(upcastVictimReferralSubmittedV1(referralSubmittedV1())).toEqual(referralSubmitted());
  });

  it('flags a minor on upcast by the date of submission, not the date of reading', () => {
    const v1 = referralSubmittedV1();
    const minor = { ...v1, data: { ...v1.data, victim: { ...v1.data.victim, dateOfBirth: '2008-11-03' } } };
    expect(upcastVictimReferralSubmittedV1(minor).data.victim.isMinor).toBe(true);
  });

  it('upcasts a one-word name to a family name only', () => {
    expect(upcastVictimReferralSubmittedV1(referralSubmittedV1(' Maria ')).data.victim).toMatchObject({
      givenName: '',
      familyName: 'Maria',
    });
  });

  it('downcasts v2 to the v1 a pinned subscriber expects', () => {
    expect(downcastVictimReferralSubmittedToV1(referralSubmitted())).toEqual(referralSubmittedV1());
  });

  it('downcasts a family name alone without a stray space', () => {
    const v2 = referralSubmitted();
    const mononym = { ...v2, data: { ...v2.data, victim: { ...v2.data.victim, givenName: '' } } };
    expect(downcastVictimReferralSubmittedToV1(mononym).data.victim.name).toBe('Example');
  });

  it('round-trips v1 -> v2 -> v1 for a name with extra spaces, normalised', () => {
    const v2 = upcastVictimReferralSubmittedV1(referralSubmittedV1('  Maria   Example '));
    expect(downcastVictimReferralSubmittedToV1(v2)).toEqual(referralSubmittedV1('Maria Example'));
  });
});

describe('reading stored referral events', () => {
  const { readEvent } = victimReferralDecider;
  const serialized = (event: object) => JSON.parse(JSON.stringify(event));

  it('reads a v2 submission back as written', () => {
    expect(readEvent(serialized(referralSubmitted()))).toEqual(referralSubmitted());
  });

  it('upcasts a v1 submission on read', () => {
    expect(readEvent(serialized(referralSubmittedV1()))).toEqual(referralSubmitted());
  });

  it('refuses an unknown schema version rather than guess its shape', () => {
    const event = referralSubmitted();
    expect(readEvent({ ...event, metadata: { ...event.metadata, schemaVersion: 9 } })).toBeUndefined();
    expect(readEvent({ ...event, metadata: null })).toBeUndefined();
  });

  it('ignores events of other types, including inherited property names', () => {
    expect(readEvent({ type: 'CaseOpened', data: {}, metadata: { schemaVersion: 1 } })).toBeUndefined();
    expect(readEvent({ type: 'toString', data: {}, metadata: { schemaVersion: 1 } })).toBeUndefined();
  });
});
