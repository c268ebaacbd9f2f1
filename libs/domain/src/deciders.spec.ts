import { DECIDERS, deciderFor, recordTypeOfCommand } from './deciders';
import { RECORD_TYPES } from './decider';

describe('the registry of deciders', () => {
  it.each(RECORD_TYPES)('holds the %s decider under its own record type', (recordType) => {
    expect(deciderFor(recordType).recordType).toBe(recordType);
  });

  it('routes each command type to exactly one record type', () => {
    const commandTypes = RECORD_TYPES.flatMap((recordType) => DECIDERS[recordType].commandTypes);
    expect(new Set(commandTypes).size).toBe(commandTypes.length);
    expect(recordTypeOfCommand('LinkRecordToCase')).toBe('case');
    expect(recordTypeOfCommand('RevokeConsent')).toBe('consent');
    expect(recordTypeOfCommand('toString')).toBeUndefined();
  });
});
