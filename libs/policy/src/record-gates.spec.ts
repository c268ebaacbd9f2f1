import { Agency, RecordEvent, SharingPolicy } from '@crescent/domain';
import {
  arresteeRelationshipRecorded,
  arrestRecorded,
  caseOpened,
  caseTeamMemberAdded,
  caseTeamMemberRemoved,
  consentRecorded,
  immigrationConfidentialityWaived,
  immigrationReliefFinallyDenied,
  lawEnforcementDisclosureAuthorized,
  MINOR_CONSENT,
  recordLinkedToCase,
  referralAccepted,
  referralAcknowledged,
  referralDeclined,
  referralInformationRequested,
  referralSubmitted,
  victimContactUpdated,
  withdrawReferral,
} from '@crescent/domain/testing';
import { consentsLosingTheirGuardian } from './consent-evaluation';
import { DEMO_POLICIES } from './demo-policies';
import { projectForRecipient } from './project-for-recipient';
import { feedEventOf, FBI, HSI, includeEverything, KEYS, policyOf, PROSECUTOR, SHELTER, SHERIFF, stateOf } from './testing/feed';

/** Everything, for every kind, with no condition: an admin trying to give all away. */
const permissive = (event: RecordEvent): SharingPolicy => policyOf(feedEventOf(event).recordType as never, includeEverything(event.data));
const receives = (recipient: Agency, event: RecordEvent, history: RecordEvent[] = [], options: { policy?: SharingPolicy; disclosedAt?: string } = {}) =>
  projectForRecipient(feedEventOf(event), recipient, stateOf(...history, event), KEYS, { draft: options.policy ?? permissive(event), disclosedAt: options.disclosedAt })?.payload;

const STATE_DEPARTMENT: Agency = { id: 'dss-new-orleans', name: 'Diplomatic Security Service', kind: 'federal-law-enforcement', department: 'State', jurisdiction: ['Orleans'] };
/** The fixture's victim: a T-visa applicant HSI referred to the shelter with her (b)(7) consent. */
const submitted = referralSubmitted();
const unprotected = referralSubmitted({ immigrationReliefStatus: 'none', victimServicesConsent: undefined });
const laterUpdate = victimContactUpdated();

describe('8 U.S.C. 1367(a)(2): nothing relating to a protected person leaves DHS, DOJ and State', () => {
  it('gives an agency outside them nothing of her referral, whatever its policy: the demo sheriff no longer learns her age band, needs or parish', () => {
    for (const outside of [SHERIFF, PROSECUTOR]) {
      expect(receives(outside, submitted)).toBeUndefined();
      expect(receives(outside, laterUpdate, [submitted])).toBeUndefined();
    }
    const sheriffPolicy = DEMO_POLICIES.find((policy) => policy.policyId === 'sheriff-referrals')!;
    expect(receives(SHERIFF, submitted, [], { policy: sheriffPolicy })).toBeUndefined();
    expect(receives(SHERIFF, unprotected, [], { policy: sheriffPolicy })).toMatchObject({ needs: ['shelter', 'legal', 'interpreter'], foundAt: 'Orleans' });
  });

  it('lets DHS, DOJ and State components receive it, the status too', () => {
    for (const inside of [{ ...HSI, id: 'ice-ero' }, FBI, STATE_DEPARTMENT]) {
      expect(receives(inside, submitted)).toMatchObject({ immigrationReliefStatus: 't-visa-applicant', victim: { givenName: 'Maria' } });
    }
  });

  it('(b)(7): gives the shelter the referral under her prior written consent, but never the status or the consent itself', () => {
    const payload = receives(SHELTER, submitted);
    expect(payload).toMatchObject({ referralId: 'ref-1', victim: { givenName: 'Maria' } });
    expect(payload).not.toHaveProperty('immigrationReliefStatus');
    expect(payload).not.toHaveProperty('victimServicesConsent');
    expect(JSON.stringify(payload)).not.toMatch(/t-visa|10:05/);
    const withoutConsent = referralSubmitted({ victimServicesConsent: undefined });
    expect(receives(SHELTER, withoutConsent)).toBeUndefined();
  });

  it('(b)(2): the law enforcement agency HSI authorized receives what follows, the others nothing; the status stays inside', () => {
    const authorized = lawEnforcementDisclosureAuthorized({ recipientAgencyId: SHERIFF.id });
    expect(receives(SHERIFF, laterUpdate, [submitted, authorized])).toMatchObject({ referralId: 'ref-1', phone: '+1 504 555 0177' });
    expect(receives(PROSECUTOR, laterUpdate, [submitted, authorized])).toBeUndefined();
    const corrected = { ...submitted, type: 'VictimReferralCorrected' as const, data: { ...submitted.data, correctedAt: submitted.data.submittedAt } };
    expect(receives(SHERIFF, corrected as never, [submitted, authorized])).not.toHaveProperty('immigrationReliefStatus');
  });

  it("(b)(4): an adult's waiver lifts the whole-record rule, not the status field's", () => {
    const payload = receives(PROSECUTOR, laterUpdate, [submitted, immigrationConfidentialityWaived()]);
    expect(payload).toMatchObject({ referralId: 'ref-1' });
  });

  it('ends when the application is finally denied', () => {
    expect(receives(SHERIFF, laterUpdate, [submitted, immigrationReliefFinallyDenied()])).toMatchObject({ referralId: 'ref-1' });
  });

  it('sends the events that record the exceptions and the denial to no agency outside, even the one an exception names', () => {
    const authorized = lawEnforcementDisclosureAuthorized({ recipientAgencyId: SHERIFF.id });
    for (const event of [authorized, immigrationConfidentialityWaived(), immigrationReliefFinallyDenied()]) {
      for (const outside of [SHERIFF, SHELTER, PROSECUTOR]) expect(receives(outside, event, [submitted])).toBeUndefined();
      expect(receives(FBI, event, [submitted])).toMatchObject({ referralId: 'ref-1' });
    }
  });

  it("keeps her consents, a case's link to her referral and an arrest's reference to her inside too", () => {
    const consent = consentRecorded({ recipientAgencyIds: [SHERIFF.id, HSI.id] });
    expect(receives(SHERIFF, consent, [submitted])).toBeUndefined();
    expect(receives(HSI, consent, [submitted])).toMatchObject({ consentId: 'consent-1' });

    const team = [caseOpened(), caseTeamMemberAdded(SHERIFF.id)];
    expect(receives(SHERIFF, recordLinkedToCase(), [submitted, ...team])).toBeUndefined();
    expect(receives(SHERIFF, recordLinkedToCase('arrest-record', 'arrest-1'), [submitted, arrestRecorded(), ...team])).toMatchObject({ recordId: 'arrest-1' });

    const arrest = arrestRecorded();
    expect(receives(PROSECUTOR, arrest, [submitted])).not.toHaveProperty('victimReferralIds');
    expect(receives(PROSECUTOR, arrest, [submitted])).toMatchObject({ arrestRecordId: 'arrest-1' });
    expect(receives(PROSECUTOR, arrest, [unprotected])).toMatchObject({ victimReferralIds: ['ref-1'] });
    expect(receives(FBI, arrest, [submitted])).toMatchObject({ victimReferralIds: ['ref-1'] });
  });
});

describe('VAWA 34 U.S.C. 12291(b)(2): the services a victim requested, used or was denied stay with the provider', () => {
  const history = [unprotected, referralAcknowledged()];
  const statusConsent = (recipientAgencyIds: string[], fields = ['status']) => consentRecorded({ recipientAgencyIds, fields });

  it("sends the shelter's acknowledgement, acceptance, decline and question to no agency without her consent to status updates", () => {
    for (const event of [referralAcknowledged(), referralAccepted(), referralDeclined(), referralInformationRequested()]) {
      for (const recipient of [HSI, SHERIFF, PROSECUTOR]) expect(receives(recipient, event, history)).toBeUndefined();
      expect(receives(HSI, event, [...history, statusConsent([HSI.id])])).toMatchObject({ referralId: 'ref-1' });
      expect(receives(SHERIFF, event, [...history, statusConsent([HSI.id])])).toBeUndefined();
      expect(receives(HSI, event, [...history, statusConsent([HSI.id], ['victim.phone'])])).toBeUndefined();
    }
  });

  it('gives the shelter its own steps back, for its inbox', () => {
    expect(receives(SHELTER, referralAccepted(), history)).toMatchObject({ referralId: 'ref-1' });
  });

  it("does not hold back the sender's own steps", () => {
    const withdrawn = { ...withdrawReferral(), type: 'VictimReferralWithdrawn' as const, data: { referralId: 'ref-1', reason: 'placed with family', withdrawnAt: '2026-11-04T00:00:00.000Z' } };
    expect(receives(SHERIFF, { ...withdrawn, metadata: { ...unprotected.metadata, schemaVersion: 1 } }, history)).toMatchObject({ referralId: 'ref-1' });
  });
});

describe('consent is judged when the message is produced', () => {
  it('discloses nothing under a consent that expired between the event and its delivery, the expiry instant included', () => {
    const expiresAt = '2026-11-10T00:00:00.000Z';
    const consent = consentRecorded({ recipientAgencyIds: [HSI.id], fields: ['status'], expiresAt });
    const accepted = referralAccepted();
    const history = [unprotected, referralAcknowledged(), consent];
    expect(receives(HSI, accepted, history)).toBeDefined();
    expect(receives(HSI, accepted, history, { disclosedAt: '2026-11-09T23:59:59.999Z' })).toBeDefined();
    expect(receives(HSI, accepted, history, { disclosedAt: expiresAt })).toBeUndefined();
  });
});

describe('28 CFR 23.20(e): a criminal justice agency receives a case\'s records only with a need to know', () => {
  const ST_BERNARD: Agency = { ...SHERIFF, jurisdiction: ['St. Bernard'] };
  const ORLEANS_LOWER_CASE: Agency = { ...SHERIFF, jurisdiction: ['  orleans '] };
  const caseWithTeam = [unprotected, arrestRecorded(), caseOpened(), recordLinkedToCase(), recordLinkedToCase('arrest-record', 'arrest-1')];

  it('gives an uninvolved parish nothing of the Orleans referral, arrest or case', () => {
    expect(receives(ST_BERNARD, unprotected)).toBeUndefined();
    expect(receives(ST_BERNARD, arrestRecorded())).toBeUndefined();
    expect(receives(ST_BERNARD, caseOpened())).toBeUndefined();
    expect(receives(ORLEANS_LOWER_CASE, arrestRecorded())).toMatchObject({ arrestRecordId: 'arrest-1' });
  });

  it("gives a partner on the case's team the case and what is linked to it, until it leaves the team", () => {
    const onTeam = [...caseWithTeam, caseTeamMemberAdded(ST_BERNARD.id)];
    expect(receives(ST_BERNARD, laterUpdate, onTeam)).toMatchObject({ referralId: 'ref-1' });
    expect(receives(ST_BERNARD, caseOpened(), onTeam.filter((event) => event.type !== 'CaseOpened'))).toBeUndefined();
    expect(receives(ST_BERNARD, { ...caseOpened(), type: 'CaseClosed', data: { caseId: 'case-1', reason: 'done', closedAt: '2026-11-05T00:00:00.000Z' } } as never, onTeam)).toMatchObject({ caseId: 'case-1' });
    expect(receives(ST_BERNARD, laterUpdate, [...onTeam, caseTeamMemberRemoved(ST_BERNARD.id)])).toBeUndefined();
  });

  it('does not apply to victim service providers, whose referrals are addressed to them', () => {
    expect(receives(SHELTER, unprotected)).toMatchObject({ referralId: 'ref-1' });
  });
});

describe("a minor's consent whose guardian becomes a suspect", () => {
  const minor = referralSubmitted({ immigrationReliefStatus: 'none', victimServicesConsent: undefined }, true);
  const consent = consentRecorded({ ...MINOR_CONSENT, recipientAgencyIds: [SHERIFF.id], fields: ['victim'] });
  const ofTheAunt = arrestRecorded({ arrestRecordId: 'arrest-2', arrestee: { givenName: 'Rosa', familyName: 'Example', dateOfBirth: '1980-01-01', relationshipToVictim: 'aunt' } });
  const losing = (history: RecordEvent[], event: RecordEvent) => consentsLosingTheirGuardian(stateOf(...history), stateOf(...history, event), feedEventOf(event)).map((found) => found.consentId);

  it('is found when an arrest in her matter records the arrestee as her guardian is related to her, or when a case links such an arrest', () => {
    expect(losing([minor, consent], ofTheAunt)).toEqual(['consent-1']);
    const unrelated = arrestRecorded({ ...ofTheAunt.data, victimReferralIds: [] });
    const linked = [minor, consent, unrelated, caseOpened(), recordLinkedToCase()];
    expect(losing(linked, recordLinkedToCase('arrest-record', 'arrest-2'))).toEqual(['consent-1']);
  });

  it('is found when the arresting agency records the relationship later, on an arrest naming her or linked to her case', () => {
    const plain = arrestRecorded({ arrestRecordId: 'arrest-2' });
    expect(losing([minor, consent, plain], arresteeRelationshipRecorded('aunt', 'arrest-2'))).toEqual(['consent-1']);
    const viaCase = [minor, consent, arrestRecorded({ arrestRecordId: 'arrest-2', victimReferralIds: [] }), caseOpened(), recordLinkedToCase(), recordLinkedToCase('arrest-record', 'arrest-2')];
    expect(losing(viaCase, arresteeRelationshipRecorded('aunt', 'arrest-2'))).toEqual(['consent-1']);
  });

  it('goes by the relationship the records give, not by the names as typed', () => {
    const typed = consentRecorded({ victimIsMinor: true, guardian: { name: 'Maria  Lopez', relationship: 'mother' }, recipientAgencyIds: [SHERIFF.id], fields: ['victim'] });
    const mother = arrestRecorded({ arrestRecordId: 'arrest-2', arrestee: { givenName: 'María', familyName: 'López', dateOfBirth: '1984-02-02', relationshipToVictim: 'mother' } });
    expect(losing([minor, typed], mother)).toEqual(['consent-1']);
    const namesake = arrestRecorded({ arrestRecordId: 'arrest-3', arrestee: { givenName: 'Rosa', familyName: 'Example', dateOfBirth: '1990-03-03' } });
    expect(losing([minor, consent], namesake)).toEqual([]);
    expect(receives(SHERIFF, minor, [consent, namesake], { policy: { ...permissive(minor), rules: [{ path: 'victim', action: 'include', when: { requiresConsent: true } }] } })).toMatchObject({ victim: { givenName: 'Maria' } });
  });

  it('is not found for an arrest of someone of another relationship, nor for an adult victim, nor twice', () => {
    expect(losing([minor, consent], arrestRecorded({ arrestRecordId: 'arrest-2', arrestee: { ...ofTheAunt.data.arrestee, relationshipToVictim: 'uncle' } }))).toEqual([]);
    expect(losing([minor, consent], arrestRecorded())).toEqual([]);
    const adult = referralSubmitted({ immigrationReliefStatus: 'none', victimServicesConsent: undefined });
    const adultConsent = consentRecorded({ guardian: MINOR_CONSENT.guardian, recipientAgencyIds: [SHERIFF.id], fields: ['victim'] });
    expect(losing([adult, adultConsent], ofTheAunt)).toEqual([]);
    expect(losing([minor, consent, ofTheAunt], arrestRecorded({ ...ofTheAunt.data, arrestRecordId: 'arrest-3' }))).toEqual([]);
  });
});
