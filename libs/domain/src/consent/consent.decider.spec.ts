import {
  CLINIC_METADATA,
  consentRecorded,
  consentReferral,
  consentRevoked,
  givenWhenThen,
  HSI_METADATA,
  MINOR_CONSENT,
  NO_REFERRAL,
  OTHER_SHELTER_METADATA,
  recordConsent,
  referralSubmitted,
  referralWithdrawn,
  revokeConsent,
  SHELTER_METADATA,
  SHERIFF_METADATA,
} from '../testing';
import { victimReferralDecider } from '../victim-referral/victim-referral.decider';
import { GuardianRelationship } from '../values';
import { ConsentDetails, ConsentPurpose } from './consent';
import { consentDecider, consentReferralOf } from './consent.decider';

const given = givenWhenThen(consentDecider);

describe('recording a consent', () => {
  it("given no history, when the shelter records an adult victim's consent, then it is recorded", () => {
    given().when(recordConsent()).then(consentRecorded());
  });

  it("records a minor's consent with a guardian", () => {
    given().when(recordConsent(MINOR_CONSENT)).then(consentRecorded(MINOR_CONSENT));
  });

  it("records a consent its referral's sender took, naming the sender as the recorder", () => {
    given().when(recordConsent({}, HSI_METADATA)).then(consentRecorded({}, HSI_METADATA));
  });

  it.each([OTHER_SHELTER_METADATA, SHERIFF_METADATA, CLINIC_METADATA])(
    'refuses $agencyId, not a party to the referral, exactly as if the referral did not exist',
    (metadata) => {
      given().when(recordConsent({}, metadata)).thenRefused('CONSENT.REFERRAL_NOT_FOUND', 'not-found');
      given().when(recordConsent({}, metadata)).thenRefusedAs(recordConsent({}, metadata, { referral: NO_REFERRAL }));
    },
  );

  it('refuses a consent for a referral that does not exist, even from the agency that names it', () => {
    given().when(recordConsent({}, SHELTER_METADATA, { referral: NO_REFERRAL })).thenRefused('CONSENT.REFERRAL_NOT_FOUND', 'not-found');
  });

  it('refuses a consent for a withdrawn referral', () => {
    given().when(recordConsent({}, SHELTER_METADATA, { referral: consentReferral('withdrawn') })).thenRefused('CONSENT.REFERRAL_WITHDRAWN', 'illegal-state');
  });

  it.each(['submitted', 'acknowledged', 'information-requested', 'accepted', 'declined'] as const)('records a consent for a %s referral', (status) => {
    given().when(recordConsent({}, SHELTER_METADATA, { referral: consentReferral(status) })).then(consentRecorded());
  });

  // The shelter records at 2026-11-03T09:15:00.000Z; the longest consent is a year (365 days) unless the command says otherwise.
  it('records a consent that runs exactly the longest a consent may run', () => {
    const expiresAt = '2027-11-03T09:15:00.000Z';
    given().when(recordConsent({ expiresAt })).then(consentRecorded({ expiresAt }));
  });

  it('refuses a consent that runs past the longest a consent may run, naming the limit', () => {
    given().when(recordConsent({ expiresAt: '2027-11-03T09:15:00.001Z' })).thenRefused('CONSENT.EXPIRY_TOO_FAR', 'validation');
    expect(() => consentDecider.decide(recordConsent({ expiresAt: '2026-12-04T00:00:00.000Z' }, SHELTER_METADATA, { maxDays: 30 }), consentDecider.initialState)).toThrow(
      'a consent runs at most 30 days: expiresAt must be no later than 2026-12-03T09:15:00.000Z',
    );
  });

  it('refuses to record the same consent twice', () => {
    given(consentRecorded()).when(recordConsent()).thenRefused('CONSENT.ALREADY_RECORDED', 'conflict');
  });

  const refusals: [string, Partial<ConsentDetails>, string][] = [
    ["a minor's consent without a guardian", { victimIsMinor: true }, 'CONSENT.GUARDIAN_REQUIRED'],
    ["a minor's consent with a guardian of no stated relationship", { ...MINOR_CONSENT, guardian: { name: 'Rosa Example', relationship: ' ' as GuardianRelationship } }, 'CONSENT.GUARDIAN_REQUIRED'],
    ["a guardian's relationship typed rather than chosen from the list", { ...MINOR_CONSENT, guardian: { name: 'Rosa Example', relationship: 'Aunt' as GuardianRelationship } }, 'CONSENT.UNKNOWN_GUARDIAN_RELATIONSHIP'],
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

  it("lets the referral's addressee revoke a consent its sender recorded", () => {
    given(consentRecorded({}, HSI_METADATA)).when(revokeConsent()).then(consentRevoked());
  });

  it('lets the recording agency revoke even where its referral is not found', () => {
    given(consentRecorded()).when(revokeConsent(undefined, SHELTER_METADATA, NO_REFERRAL)).then(consentRevoked());
  });

  it.each([HSI_METADATA, OTHER_SHELTER_METADATA, SHERIFF_METADATA])(
    'lets no other agency revoke: to $agencyId, neither the recorder nor the addressee, the consent does not exist',
    (metadata) => {
      given(consentRecorded()).when(revokeConsent(undefined, metadata)).thenRefusedAsIfMissing();
    },
  );

  it('refuses a revocation without a reason', () => {
    given(consentRecorded()).when(revokeConsent(' ')).thenRefused('CONSENT.REASON_REQUIRED', 'validation');
  });
});

describe("what a consent is told of its referral", () => {
  it("is the referral's parties and status, none of the victim's details", () => {
    const withdrawn = [referralSubmitted(), referralWithdrawn()].reduce(victimReferralDecider.evolve, victimReferralDecider.initialState);
    expect(consentReferralOf(withdrawn)).toEqual({
      status: 'withdrawn',
      originatorAgencyId: HSI_METADATA.agencyId,
      record: { referredToAgencyId: SHELTER_METADATA.agencyId },
    });
    expect(consentReferralOf(victimReferralDecider.initialState)).toEqual({ status: 'none' });
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
