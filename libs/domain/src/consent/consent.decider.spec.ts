import {
  CLINIC_METADATA,
  consentRecorded,
  consentRevoked,
  givenWhenThen,
  HSI_METADATA,
  MINOR_CONSENT,
  recordConsent,
  revokeConsent,
  SHELTER_METADATA,
} from '../testing';
import { ConsentDetails, ConsentPurpose } from './consent';
import { consentDecider } from './consent.decider';

const given = givenWhenThen(consentDecider);

describe('recording a consent', () => {
  it("given no history, when the shelter records an adult victim's consent, then it is recorded", () => {
    given().when(recordConsent()).then(consentRecorded());
  });

  it("records a minor's consent with a guardian", () => {
    given().when(recordConsent(MINOR_CONSENT)).then(consentRecorded(MINOR_CONSENT));
  });

  it.each([HSI_METADATA, CLINIC_METADATA])('refuses a consent recorded by $agencyKind', (metadata) => {
    given().when(recordConsent({}, metadata)).thenRefused('CONSENT.RECORDER_NOT_ALLOWED', 'forbidden');
  });

  it('refuses to record the same consent twice', () => {
    given(consentRecorded()).when(recordConsent()).thenRefused('CONSENT.ALREADY_RECORDED', 'conflict');
  });

  const refusals: [string, Partial<ConsentDetails>, string][] = [
    ["a minor's consent without a guardian", { victimIsMinor: true }, 'CONSENT.GUARDIAN_REQUIRED'],
    ["a minor's consent with a guardian of no stated relationship", { ...MINOR_CONSENT, guardian: { name: 'Rosa Example', relationship: ' ' } }, 'CONSENT.GUARDIAN_REQUIRED'],
    ['no referral', { referralId: '' }, 'CONSENT.REFERRAL_REQUIRED'],
    ['no named recipient', { recipientAgencyIds: [] }, 'CONSENT.RECIPIENTS_REQUIRED'],
    ['no purpose', { purposes: [] }, 'CONSENT.PURPOSES_REQUIRED'],
    ['an unknown purpose', { purposes: ['marketing' as ConsentPurpose] }, 'CONSENT.UNKNOWN_PURPOSE'],
    ['no fields', { fields: [] }, 'CONSENT.FIELDS_REQUIRED'],
    ['a field that is not a path', { fields: ['victim..phone'] }, 'CONSENT.INVALID_FIELD'],
    ['an unwritten consent', { written: false }, 'CONSENT.NOT_WRITTEN'],
    ['an uninformed consent', { informed: false }, 'CONSENT.NOT_INFORMED'],
    ['no expiry', { expiresAt: undefined }, 'CONSENT.EXPIRY_REQUIRED'],
    ['an empty expiry', { expiresAt: '' }, 'CONSENT.EXPIRY_REQUIRED'],
    ['an expiry at the moment of recording', { expiresAt: SHELTER_METADATA.now }, 'CONSENT.EXPIRY_NOT_IN_FUTURE'],
    ['an expiry in the past', { expiresAt: '2026-01-01T00:00:00.000Z' }, 'CONSENT.EXPIRY_NOT_IN_FUTURE'],
    ['an expiry that is not a date-time', { expiresAt: 'in six months' }, 'CONSENT.EXPIRY_NOT_IN_FUTURE'],
  ];
  it.each(refusals)('refuses %s', (_what, details, code) => {
    given().when(recordConsent(details)).thenRefused(code, 'validation');
  });
});

describe('revoking a consent', () => {
  it('revokes a recorded consent with its reason', () => {
    given(consentRecorded()).when(revokeConsent()).then(consentRevoked());
  });

  it('refuses to revoke twice', () => {
    given(consentRecorded(), consentRevoked()).when(revokeConsent()).thenRefused('CONSENT.ALREADY_REVOKED', 'illegal-state');
  });

  it('refuses to revoke a consent that was never recorded', () => {
    given().when(revokeConsent()).thenRefused('CONSENT.NOT_FOUND', 'not-found');
  });

  it('lets only the recording agency revoke: to a recipient, the consent does not exist', () => {
    given(consentRecorded()).when(revokeConsent(undefined, HSI_METADATA)).thenRefusedAsIfMissing();
  });

  it('refuses a revocation without a reason', () => {
    given(consentRecorded()).when(revokeConsent(' ')).thenRefused('CONSENT.REASON_REQUIRED', 'validation');
  });
});

describe('the consent as its recorder reads it', () => {
  it('shows a revoked consent with its terms and revocation', () => {
    const { state } = given(consentRecorded(), consentRevoked());
    expect(consentDecider.view(state)).toEqual({
      originatorAgencyId: SHELTER_METADATA.agencyId,
      status: 'revoked',
      record: { ...consentRecorded().data, revocationReason: consentRevoked().data.reason, revokedAt: SHELTER_METADATA.now },
    });
  });

  it('does not exist before it is recorded', () => {
    expect(consentDecider.view(consentDecider.initialState)).toBeUndefined();
    expect(consentDecider.streamId('consent-1')).toBe('consent-consent-1');
  });
});
