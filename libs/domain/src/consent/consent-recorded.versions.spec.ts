import { consentRecorded, MINOR_CONSENT } from '../testing';
import { GUARDIAN_RELATIONSHIPS } from '../values';
import { consentDecider } from './consent.decider';
import { ConsentRecordedV1, guardianRelationshipOf } from './consent-recorded.versions';

describe('ConsentRecorded v1 -> v2: the guardian relationship typed becomes a word of the list', () => {
  it.each([
    ['Mother', 'mother'],
    [' mom ', 'mother'],
    ['Step-Father', 'stepfather'],
    ['step  mother', 'stepmother'],
    ['Grandma', 'grandmother'],
    ['brother', 'sibling'],
    ['Legal Guardian', 'legal-guardian'],
    ['foster mother', 'foster-parent'],
    ['aunt', 'aunt'],
    ['godmother', 'other-relative'],
    ['neighbour', 'other-relative'],
    ['toString', 'other-relative'],
  ])('reads %j as %s', (typed, word) => {
    expect(guardianRelationshipOf(typed)).toBe(word);
  });

  it('keeps every word of the list as it is', () => {
    for (const word of GUARDIAN_RELATIONSHIPS) expect(guardianRelationshipOf(word)).toBe(word);
  });

  it('upcasts a stored v1 consent on read, and leaves an adult consent without a guardian', () => {
    const current = consentRecorded({ ...MINOR_CONSENT, guardian: { name: 'Rosa Example', relationship: 'grandmother' } });
    const v1: ConsentRecordedV1 = { ...current, data: { ...current.data, guardian: { name: 'Rosa Example', relationship: 'Grandma' } }, metadata: { ...current.metadata, schemaVersion: 1 } };
    expect(consentDecider.readEvent(v1)).toEqual(current);
    const adult = consentRecorded();
    expect(consentDecider.readEvent({ ...adult, metadata: { ...adult.metadata, schemaVersion: 1 } })).toEqual(adult);
  });

  it('downcasts v2 data to v1 unchanged: a word of the list is valid free text', () => {
    const { data } = consentRecorded(MINOR_CONSENT);
    expect(consentDecider.downcastData('ConsentRecorded', data, 1)).toEqual(data);
    expect(consentDecider.downcastData('ConsentRevoked', data, 1)).toBeUndefined();
  });
});
