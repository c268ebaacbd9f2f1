import { arrestRecordDecider } from './arrest-record/arrest-record.decider';
import { caseDecider } from './case/case.decider';
import { consentDecider } from './consent/consent.decider';
import { DomainError } from './domain-error';
import {
  arrestDetails,
  givenWhenThen,
  recordArrest,
  recordConsent,
  referralDetails,
  referralSubmitted,
  SHERIFF_METADATA,
  submitReferral,
  updateVictimContact,
} from './testing';
import { requireSoundData } from './validation';
import { victimReferralDecider } from './victim-referral/victim-referral.decider';

const NOW = SHERIFF_METADATA.now;
const victim = referralDetails().victim;

/** The message and code of the refusal, to show what it names and what it never repeats. */
function refusal(data: unknown): { code: string; message: string } {
  try {
    requireSoundData(data, NOW);
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('accepted');
}

describe('the data rules every command follows, whichever edge it came through', () => {
  it.each([
    ['a name of spaces only', { victim: { givenName: '   ' } }, 'DATA.INVALID_TEXT', '/victim/givenName'],
    ['a NUL in a name', { victim: { givenName: 'Ma\u0000ria' } }, 'DATA.INVALID_TEXT', '/victim/givenName'],
    ['an escape character in a note', { reason: 'see \u001b[31m' }, 'DATA.INVALID_TEXT', '/reason'],
    ['a right-to-left override in a name', { arrestee: { familyName: 'Doe\u202Egpj.exe' } }, 'DATA.INVALID_TEXT', '/arrestee/familyName'],
    ['a first-strong isolate in free text', { description: 'a \u2068note\u2069' }, 'DATA.INVALID_TEXT', '/description'],
    ['a birth before 1900', { victim: { dateOfBirth: '1899-12-31' } }, 'DATA.IMPLAUSIBLE_DATE', '/victim/dateOfBirth'],
    ['a date-time eleven years ahead', { expiresAt: '2037-11-03T00:00:00Z' }, 'DATA.IMPLAUSIBLE_DATE', '/expiresAt'],
    ['lists in a list of dependents', { dependents: [[], [[]]] }, 'DATA.INVALID_LIST', '/dependents'],
    ['a list mixing objects and text', { charges: [{ statute: 'x' }, 'x'] }, 'DATA.INVALID_LIST', '/charges'],
    ['nulls in a list', { fields: [null] }, 'DATA.INVALID_LIST', '/fields'],
    ['data nested past any record', { a: { b: { c: { d: { e: { f: { g: { h: { i: {} } } } } } } } } }, 'DATA.TOO_DEEP', '/a/b/c/d/e/f/g/h'],
  ])('refuses %s, naming where and never what', (_, data, code, path) => {
    const refused = refusal(data);
    expect(refused.code).toBe(code);
    expect(refused.message).toContain(path);
    expect(refused.message).not.toMatch(/Ma.ria|gpj|note|\[31m|1899|2037/);
  });

  it('takes tab and line breaks in free text, and dates from 1900 to ten years ahead', () => {
    expect(() =>
      requireSoundData({ reason: 'first line\n\tsecond line\r\n', dateOfBirth: '1900-01-01', expiresAt: '2036-11-02T15:00:00Z', charges: [{ statute: 'a' }], maxDays: 365 }, NOW),
    ).not.toThrow();
  });

  describe('as the deciders apply them', () => {
    it('refuses a referral with a dependent that is a list', () => {
      givenWhenThen(victimReferralDecider)().when(submitReferral({ dependents: [[], [[]]] as never })).thenRefused('DATA.INVALID_LIST', 'validation');
    });

    it('refuses a referral with a bidirectional override in the victim\'s name', () => {
      givenWhenThen(victimReferralDecider)().when(submitReferral({ victim: { ...victim, givenName: 'Mar\u202Eia' } })).thenRefused('DATA.INVALID_TEXT', 'validation');
    });

    it('refuses a victim born before 1900, and a contact change with a control character', () => {
      givenWhenThen(victimReferralDecider)().when(submitReferral({ victim: { ...victim, dateOfBirth: '1850-06-01' } })).thenRefused('REFERRAL.INVALID_DATE_OF_BIRTH', 'validation');
      givenWhenThen(victimReferralDecider)(referralSubmitted())
        .when({ ...updateVictimContact(), data: { ...updateVictimContact().data, preferredLanguages: ['es\u0007'] } })
        .thenRefused('DATA.INVALID_TEXT', 'validation');
    });

    it('refuses an arrestee born tomorrow, and an arrestee of spaces only', () => {
      const arrestee = arrestDetails().arrestee;
      givenWhenThen(arrestRecordDecider)().when(recordArrest({ arrestee: { ...arrestee, dateOfBirth: '2026-11-03' } })).thenRefused('ARREST.INVALID_DATE_OF_BIRTH', 'validation');
      givenWhenThen(arrestRecordDecider)().when(recordArrest({ arrestee: { ...arrestee, givenName: ' \t ' } })).thenRefused('DATA.INVALID_TEXT', 'validation');
    });

    it('refuses a case whose title is a NUL', () => {
      givenWhenThen(caseDecider)()
        .when({ type: 'OpenCase', data: { caseId: 'case-1', title: '\u0000', parish: 'Orleans', leadInvestigator: { name: 'A', badgeNumber: '1', phone: '+15045550100' } }, metadata: SHERIFF_METADATA })
        .thenRefused('DATA.INVALID_TEXT', 'validation');
    });

    it('still refuses a consent beyond the longest a consent may run, with its own code', () => {
      givenWhenThen(consentDecider)().when(recordConsent({ expiresAt: '2030-01-01T00:00:00Z' })).thenRefused('CONSENT.EXPIRY_TOO_FAR', 'validation');
    });
  });
});
