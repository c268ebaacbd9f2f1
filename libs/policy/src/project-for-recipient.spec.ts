import { Agency, FieldRule, SharingPolicy } from '@crescent/domain';
import {
  arresteeRelationshipRecorded,
  arrestRecorded,
  arrestRecordExpunged,
  arrestRecordSealed,
  caseOpened,
  consentRecorded,
  consentRevoked,
  MINOR_CONSENT,
  recordLinkedToCase,
  referralAccepted,
  referralSubmitted as protectedReferralSubmitted,
  SHELTER_METADATA,
} from '@crescent/domain/testing';
import { expectedShelterView } from '../../../test/e2e/fixtures';
import * as compiler from './compile-policy';
import { DEMO_POLICIES } from './demo-policies';
import { evolveDisclosureState, FeedEvent } from './disclosure-state';
import { projectForRecipient } from './project-for-recipient';
import { ProjectionCache } from './projection-cache';
import { STATUTE } from './statute';
import { feedEventOf, FBI, HSI, includeEverything, KEYS, leafPaths, policyOf, project, PROSECUTOR, SHELTER, SHERIFF, stateOf } from './testing/feed';

const demo = (policyId: string) => DEMO_POLICIES.find((policy) => policy.policyId === policyId)!;
const publish = (policy: SharingPolicy, version = 1) => ({
  type: 'SharingPolicyPublished' as const,
  data: { ...policy, version, publishedAt: '2026-10-01T00:00:00.000Z' },
  metadata: { ...SHELTER_METADATA, agencyId: 'crescent-exchange', schemaVersion: 1 },
});
/**
 * Policy mechanics are tested on a referral of a victim without immigration relief: the fixture's
 * T-visa applicant reaches no agency outside DHS, DOJ and State at all (8 U.S.C. 1367), tested below.
 */
function referralSubmitted(details: Parameters<typeof protectedReferralSubmitted>[0] = {}, isMinor = false) {
  const { victimServicesConsent: _consent, ...data } = protectedReferralSubmitted({ immigrationReliefStatus: 'none', ...details }, isMinor).data;
  return { ...protectedReferralSubmitted(details, isMinor), data };
}
const decisionOf = (fields: readonly compiler.FieldDecision[] | undefined, path: string) => fields?.find((field) => field.path === path);

/** A referral the shelter itself contributed: the case VAWA is written for. */
const vspReferral = (isMinor = false) => {
  const event = referralSubmitted({ referredToAgencyId: SHERIFF.id }, isMinor);
  return { ...event, data: { ...event.data, referringAgencyId: SHELTER.id }, metadata: { ...SHELTER_METADATA, schemaVersion: 2 } };
};
const consentTo = (recipient = HSI.id, overrides = {}) =>
  consentRecorded({ recipientAgencyIds: [recipient], fields: ['victim', 'foundAt', 'dependents', 'needs', 'guardian'], ...overrides });
const STATE_DIPLOMATIC_SECURITY: Agency = { id: 'dss-new-orleans', name: 'Diplomatic Security Service', kind: 'federal-law-enforcement', department: 'State', jurisdiction: ['Orleans'] };
/** Everything, for every kind, with no condition: an admin trying to give all away. */
const permissive = (data: unknown, recordType: SharingPolicy['recordType'] = 'victim-referral') =>
  policyOf(recordType, includeEverything(data));

describe('the demo shelter policy', () => {
  it('gives the shelter exactly what the end-to-end tests expect of a referral addressed to it', () => {
    const projection = project(referralSubmitted(), SHELTER, demo('shelter-referrals'));
    expect(projection?.payload).toEqual(expectedShelterView('ref-1'));
    expect(JSON.stringify(projection?.payload)).not.toMatch(/1994|t-visa|"age"|HSI-4471|Chef Menteur/);
  });

  it('accounts for every leaf of the event, the withheld ones too', () => {
    const event = referralSubmitted();
    const projection = project(event, SHELTER, demo('shelter-referrals'));
    const covered = (leaf: string) => projection!.fields.some(({ path }) => leaf === path || leaf.startsWith(`${path}.`));
    expect(leafPaths(event.data).filter((leaf) => !covered(leaf))).toEqual([]);
    expect(decisionOf(projection?.fields, 'victim.dateOfBirth')).toEqual({ path: 'victim.dateOfBirth', outcome: 'withheld', decidedBy: 'draft policy shelter-referrals rule 25' });
    expect(decisionOf(projection?.fields, 'foundAt.parish')).toEqual({ path: 'foundAt.parish', outcome: 'withheld', decidedBy: 'draft policy shelter-referrals rule 13 (no active consent)' });
    expect(decisionOf(projection?.fields, 'dependents')).toEqual({ path: 'dependents', outcome: 'generalized', decidedBy: 'draft policy shelter-referrals rule 10' });
  });

  it('gives the disclosure ledger the disclosed paths (transformed ones too) and the withheld ones, as its decisions say', () => {
    const projection = project(referralSubmitted(), SHELTER, demo('shelter-referrals'))!;
    expect(projection.disclosedFields).toEqual(expect.arrayContaining(['referralId', 'victim.givenName', 'dependents']));
    expect(projection.withheldFields).toEqual(expect.arrayContaining(['victim.dateOfBirth', 'immigrationReliefStatus', 'foundAt.parish']));
    expect(projection.disclosedFields).toEqual(projection.fields.filter((field) => field.outcome !== 'withheld').map((field) => field.path));
    expect(projection.withheldFields).toEqual(projection.fields.filter((field) => field.outcome === 'withheld').map((field) => field.path));
  });

  it('gives another shelter nothing of a referral not addressed to it', () => {
    const other = { ...SHELTER, id: 'other-shelter' };
    expect(project(referralSubmitted(), other, { ...demo('shelter-referrals'), appliesTo: { agencyId: other.id } })).toBeUndefined();
  });
});

describe('what a recipient receives at all', () => {
  it('gives an agency without a policy nothing (default deny)', () => {
    expect(project(referralSubmitted(), SHERIFF, undefined)).toBeUndefined();
  });

  it('gives nothing when the policy grants no field the event carries', () => {
    expect(project(referralAccepted(), SHERIFF, policyOf('victim-referral', [{ path: 'needs', action: 'include' }]), referralSubmitted())).toBeUndefined();
  });

  it("sends nothing back to the record's originator", () => {
    expect(project(referralSubmitted(), HSI, permissive(referralSubmitted().data))).toBeUndefined();
  });

  it('hands out copies, so changing a projection cannot change the event', () => {
    const event = referralSubmitted();
    const projection = project(event, SHELTER, demo('shelter-referrals'));
    (projection?.payload.victim as { preferredLanguages: string[] }).preferredLanguages.push('fr');
    expect(event.data.victim.preferredLanguages).toEqual(['es', 'en']);
  });

  it('applies conditions on the recipient and origin kinds', () => {
    const rules: FieldRule[] = [
      { path: 'needs', action: 'include', when: { recipientKinds: ['prosecutor'] } },
      { path: 'referralId', action: 'include', when: { originKinds: ['federal-law-enforcement'] } },
    ];
    const projection = project(referralSubmitted(), SHERIFF, policyOf('victim-referral', rules));
    expect(projection?.payload).toEqual({ referralId: 'ref-1' });
    expect(decisionOf(projection?.fields, 'needs')?.decidedBy).toBe('draft policy p rule 1 (condition not met)');
    expect(project(referralSubmitted(), PROSECUTOR, policyOf('victim-referral', rules))?.payload).toEqual({ referralId: 'ref-1', needs: ['shelter', 'legal', 'interpreter'] });
  });

  it('lets a more precise rule inside an included object withhold a field', () => {
    const rules: FieldRule[] = [{ path: 'victim', action: 'include' }, { path: 'victim.dateOfBirth', action: 'drop' }];
    const payload = project(referralSubmitted(), SHERIFF, policyOf('victim-referral', rules))?.payload;
    expect(payload?.victim).toEqual({ givenName: 'Maria', familyName: 'Example', nationality: 'HN', phone: '+1 504 555 0142', preferredLanguages: ['es', 'en'], isMinor: false });
  });

  it('masks, pseudonymizes and generalizes under the demo arrest policy', () => {
    const payload = project(arrestRecorded(), SHERIFF, demo('local-law-enforcement-arrests'))?.payload;
    expect(payload).toMatchObject({ arrestee: { givenName: 'John', familyName: 'Doe', dateOfBirth: '1981' }, bookingNumber: '************8734', arrestedAt: '2026-11-02', place: 'Orleans' });
    expect(payload?.victimReferralIds).toMatch(/^k1:/);
  });
});

describe('policy precedence and publication', () => {
  const byKind = policyOf('victim-referral', [{ path: 'needs', action: 'include' }], { policyId: 'by-kind', appliesTo: { agencyKind: 'local-law-enforcement' } });
  const byAgency = policyOf('victim-referral', [{ path: 'referralId', action: 'include' }], { policyId: 'by-agency', appliesTo: { agencyId: SHERIFF.id } });

  it("applies an agency's own policy over one for its kind, whichever was published first", () => {
    for (const order of [[byKind, byAgency], [byAgency, byKind]]) {
      const state = stateOf(...order.map((policy) => publish(policy)), referralSubmitted());
      const projection = projectForRecipient(feedEventOf(referralSubmitted()), SHERIFF, state, KEYS);
      expect(projection).toMatchObject({ policyId: 'by-agency', policyVersion: 1, payload: { referralId: 'ref-1' } });
    }
  });

  it('applies the latest version of a policy, and a draft in its place when one is previewed', () => {
    const state = stateOf(publish(byKind), publish({ ...byKind, rules: [{ path: 'referralId', action: 'pseudonymize' }] }, 2), referralSubmitted());
    expect(projectForRecipient(feedEventOf(referralSubmitted()), SHERIFF, state, KEYS)).toMatchObject({ policyVersion: 2, payload: { referralId: expect.stringMatching(/^k1:/) } });
    expect(projectForRecipient(feedEventOf(referralSubmitted()), SHERIFF, state, KEYS, { draft: byKind })).toMatchObject({ policyVersion: 0, payload: { needs: ['shelter', 'legal', 'interpreter'] } });
  });

  it('compiles a policy version once, however many events it projects', () => {
    const spy = jest.spyOn(compiler, 'compilePolicy');
    const state = stateOf(publish({ ...byKind, policyId: 'compile-once' }), referralSubmitted());
    const cache = new ProjectionCache();
    for (let index = 0; index < 50; index++) projectForRecipient(feedEventOf(referralSubmitted()), SHERIFF, state, KEYS, { cache });
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });
});

describe('consent', () => {
  const contactPolicy = demo('sheriff-referrals');
  const contact = (...history: Parameters<typeof project>[3][]) =>
    project(referralSubmitted(), SHERIFF, contactPolicy, ...history);
  const consent = (overrides = {}) => consentRecorded({ recipientAgencyIds: [SHERIFF.id], fields: ['victim.givenName', 'victim.familyName', 'victim.phone'], ...overrides });

  it('releases the contact fields a rule requires consent for, naming the consent', () => {
    const projection = contact(consent());
    expect(projection?.payload.victim).toMatchObject({ givenName: 'Maria', familyName: 'Example', phone: '+1 504 555 0142' });
    expect(projection?.consentIds).toEqual(['consent-1']);
  });

  it.each([
    ['names another recipient', { recipientAgencyIds: [HSI.id] }],
    ['is for another purpose', { purposes: ['victim-services'] }],
    ['covers other fields', { fields: ['victim.phone'] }],
  ])('withholds the name when the consent %s', (_what, overrides) => {
    const projection = contact(consent(overrides));
    expect(projection?.payload.victim).not.toHaveProperty('givenName');
    expect(decisionOf(projection?.fields, 'victim.givenName')?.decidedBy).toBe('draft policy sheriff-referrals rule 5 (no active consent)');
  });

  it('withholds once the consent has expired at the time of the event', () => {
    expect(contact(consent({ expiresAt: '2026-11-02T14:29:59.000Z' }))?.payload.victim).not.toHaveProperty('phone');
  });

  it('withholds from the revocation on', () => {
    expect(contact(consent(), consentRevoked())?.payload.victim).not.toHaveProperty('phone');
  });

  it("counts a minor's consent only with a guardian whose relationship no arrest in the victim's matter records for its arrestee", () => {
    const minor = referralSubmitted({}, true);
    expect(project(minor, SHERIFF, contactPolicy, consent(MINOR_CONSENT))?.payload.victim).toHaveProperty('phone');
    const ofTheAunt = arrestRecorded({ arrestee: { givenName: 'R.', familyName: 'Ejemplo', dateOfBirth: '1980-01-01', relationshipToVictim: 'aunt' } });
    const refused = project(minor, SHERIFF, contactPolicy, consent(MINOR_CONSENT), ofTheAunt);
    expect(refused?.payload.victim).not.toHaveProperty('phone');
    expect(decisionOf(refused?.fields, 'victim.phone')?.decidedBy).toBe(STATUTE.minorGuardian);
    const later = project(minor, SHERIFF, contactPolicy, consent(MINOR_CONSENT), arrestRecorded(), arresteeRelationshipRecorded('aunt'));
    expect(decisionOf(later?.fields, 'victim.phone')?.decidedBy).toBe(STATUTE.minorGuardian);
    const ofTheUncle = arrestRecorded({ arrestee: { ...ofTheAunt.data.arrestee, relationshipToVictim: 'uncle' } });
    expect(project(minor, SHERIFF, contactPolicy, consent(MINOR_CONSENT), ofTheUncle)?.payload.victim).toHaveProperty('phone');
  });

  it('no longer compares names: a typo does not hide a suspect guardian, and a namesake does not disable a consent', () => {
    const minor = referralSubmitted({}, true);
    const typed = consent({ victimIsMinor: true, guardian: { name: 'Maria  Lopez', relationship: 'mother' } });
    const mother = arrestRecorded({ arrestee: { givenName: 'María', familyName: 'López', dateOfBirth: '1984-02-02', relationshipToVictim: 'mother' } });
    expect(project(minor, SHERIFF, contactPolicy, typed, mother)?.payload.victim).not.toHaveProperty('phone');
    const namesake = arrestRecorded({ arrestee: { givenName: 'Rosa', familyName: 'Example', dateOfBirth: '1990-03-03' } });
    expect(project(minor, SHERIFF, contactPolicy, consent(MINOR_CONSENT), namesake)?.payload.victim).toHaveProperty('phone');
  });

  it('finds a suspect guardian through a case that links the referral and the arrest', () => {
    const elsewhere = arrestRecorded({ victimReferralIds: [], arrestee: { givenName: 'Rosa', familyName: 'Example', dateOfBirth: '1980-01-01', relationshipToVictim: 'aunt' } });
    const history = [consent(MINOR_CONSENT), elsewhere, caseOpened(), recordLinkedToCase('victim-referral', 'ref-1'), recordLinkedToCase('arrest-record', 'arrest-1')];
    expect(project(referralSubmitted({}, true), SHERIFF, contactPolicy, ...history)?.payload.victim).not.toHaveProperty('phone');
    expect(project(referralSubmitted({}, true), SHERIFF, contactPolicy, ...history.slice(0, -1))?.payload.victim).toHaveProperty('phone');
  });

  it("treats a consent flagged for a minor as a minor's even if the referral says otherwise", () => {
    const noGuardian = consent({ victimIsMinor: true, guardian: undefined });
    expect(contact(noGuardian)?.payload.victim).not.toHaveProperty('phone');
  });
});

describe('statute wins over any policy', () => {
  const projectFed = (feed: FeedEvent, recipient = SHERIFF, history: Parameters<typeof stateOf> = []) =>
    projectForRecipient(feed, recipient, stateOf(...history, feed.event), KEYS, { draft: permissive(feed.event.data, feed.recordType as never) });

  it("8 U.S.C. 1367: the status field reaches no agency outside DHS, DOJ and State, whatever the policy, even when it says `none`", () => {
    for (const recipient of [SHERIFF, SHELTER, PROSECUTOR]) {
      const projection = projectFed(feedEventOf(referralSubmitted()), recipient);
      expect(projection?.payload).toHaveProperty('referralId');
      expect(projection?.payload).not.toHaveProperty('immigrationReliefStatus');
      expect(decisionOf(projection?.fields, 'immigrationReliefStatus')).toEqual({ path: 'immigrationReliefStatus', outcome: 'withheld', decidedBy: STATUTE.immigrationRelief });
    }
    for (const inside of [{ ...HSI, id: 'ice-ero' }, FBI, STATE_DIPLOMATIC_SECURITY]) {
      expect(project(referralSubmitted(), inside, permissive(referralSubmitted().data))?.payload.immigrationReliefStatus).toBe('none');
    }
  });

  it('8 U.S.C. 1367: not pseudonymized or generalized either', () => {
    const rules: FieldRule[] = [{ path: 'immigrationReliefStatus', action: 'pseudonymize' }, { path: 'referralId', action: 'include' }];
    expect(project(referralSubmitted(), PROSECUTOR, policyOf('victim-referral', rules))?.payload).toEqual({ referralId: 'ref-1' });
  });

  it('VAWA: PII of a record a victim service provider contributed is omitted without a consent naming the recipient', () => {
    const referral = vspReferral();
    const projection = projectFed(feedEventOf(referral), HSI);
    expect(projection?.payload).toMatchObject({ referralId: 'ref-1', referringOfficer: expect.anything() });
    for (const pii of ['victim', 'dependents', 'needs', 'foundAt']) expect(projection?.payload).not.toHaveProperty(pii);
    for (const path of ['victim.phone', 'victim.preferredLanguages', 'victim.isMinor', 'needs', 'foundAt.parish', 'foundAt.description']) {
      expect(decisionOf(projection?.fields, path)?.decidedBy).toBe(STATUTE.vawa);
    }
  });

  it('VAWA: omitted, not masked, hashed or generalized', () => {
    const rules: FieldRule[] = [
      { path: 'victim.phone', action: 'mask', keepLast: 0 },
      { path: 'victim.givenName', action: 'pseudonymize' },
      { path: 'victim.dateOfBirth', action: 'generalize', to: 'birth-year' },
      { path: 'dependents', action: 'generalize', to: 'count' },
      { path: 'referralId', action: 'include' },
    ];
    expect(project(vspReferral(), HSI, policyOf('victim-referral', rules))?.payload).toEqual({ referralId: 'ref-1' });
  });

  it('VAWA: a consent naming the recipient for the purpose releases the fields it covers, and only while it stands', () => {
    const referral = vspReferral();
    const granted = projectFed(feedEventOf(referral), HSI, [consentTo(HSI.id)]);
    expect(granted?.payload.victim).toMatchObject({ givenName: 'Maria', phone: '+1 504 555 0142' });
    expect(granted?.consentIds).toEqual(['consent-1']);
    expect(projectFed(feedEventOf(referral), HSI, [consentTo(HSI.id), consentRevoked()])?.payload).not.toHaveProperty('victim');
    expect(projectFed(feedEventOf(referral), HSI, [consentTo(SHERIFF.id)])?.payload).not.toHaveProperty('victim');
  });

  it("VAWA: a minor's guardian on the shelter's consent reaches HSI only under a consent that covers it", () => {
    const event = consentRecorded({ ...MINOR_CONSENT, fields: ['victim.phone'] });
    const projection = project(event, HSI, demo('hsi-consents'));
    expect(projection?.payload).not.toHaveProperty('guardian');
    expect(projection?.payload).toMatchObject({ consentId: 'consent-1', victimIsMinor: true, fields: ['victim.phone'] });
    expect(decisionOf(projection?.fields, 'guardian.name')?.decidedBy).toBe(STATUTE.vawa);
  });

  it("the arrestee's relationship to the victims: withheld unless a policy names it, from outside agencies too when a victim is protected (8 U.S.C. 1367)", () => {
    const arrest = arrestRecorded({ arrestee: { givenName: 'John', familyName: 'Doe', dateOfBirth: '1981-07-09', relationshipToVictim: 'uncle' } });
    expect(project(arrest, SHERIFF, demo('local-law-enforcement-arrests'))?.payload.arrestee).toEqual({ givenName: 'John', familyName: 'Doe', dateOfBirth: '1981' });
    expect(project(arrest, HSI, demo('hsi-arrests'))?.payload.arrestee).not.toHaveProperty('relationshipToVictim');
    expect(projectFed(feedEventOf(arrest), SHERIFF, [referralSubmitted()])?.payload.arrestee).toMatchObject({ relationshipToVictim: 'uncle' });
    const barred = projectFed(feedEventOf(arrest), SHERIFF, [protectedReferralSubmitted()]);
    expect(barred?.payload.arrestee).not.toHaveProperty('relationshipToVictim');
    expect(decisionOf(barred?.fields, 'arrestee.relationshipToVictim')?.decidedBy).toBe(STATUTE.immigrationRelief);
    expect(projectFed(feedEventOf(arrest), HSI, [protectedReferralSubmitted()])?.payload.arrestee).toMatchObject({ relationshipToVictim: 'uncle' });
  });

  it('a relationship recorded later reaches a recipient only with the relationship itself, never as a bare notice about the arrest', () => {
    const later = arresteeRelationshipRecorded('uncle');
    expect(project(later, SHERIFF, demo('local-law-enforcement-arrests'), arrestRecorded())).toBeUndefined();
    expect(project(later, SHERIFF, policyOf('arrest-record', [{ path: 'arrestRecordId', action: 'include' }, { path: 'determinedAt', action: 'include' }]), arrestRecorded())).toBeUndefined();
    expect(projectFed(feedEventOf(later), SHERIFF, [arrestRecorded()])?.payload).toEqual({ arrestRecordId: 'arrest-1', arrestee: { relationshipToVictim: 'uncle' }, determinedAt: later.data.determinedAt });
    expect(projectFed(feedEventOf(later), SHERIFF, [protectedReferralSubmitted(), arrestRecorded()])).toBeUndefined();
  });

  it('sealed or expunged arrest records reach nobody, from the sealing event on', () => {
    for (const closing of [arrestRecordSealed(), arrestRecordExpunged()]) {
      for (const recipient of [HSI, SHELTER, FBI]) {
        expect(projectFed(feedEventOf(closing), recipient, [arrestRecorded()])).toBeUndefined();
        expect(projectFed(feedEventOf(arrestRecorded()), recipient, [])).toBeDefined();
        const state = stateOf(arrestRecorded(), closing);
        expect(projectForRecipient(feedEventOf(arrestRecorded()), recipient, state, KEYS, { draft: permissive(arrestRecorded().data, 'arrest-record') })).toBeUndefined();
      }
    }
  });

  it("sealed: a case's link to a sealed arrest record is not disclosed either", () => {
    const link = recordLinkedToCase('arrest-record', 'arrest-1');
    expect(projectFed(feedEventOf(link), SHERIFF, [arrestRecorded(), arrestRecordSealed(), caseOpened()])).toBeUndefined();
  });

  it('requiresConsent cannot be met by a consent that fails the minor rule, the expiry or the revocation', () => {
    const rules: FieldRule[] = [{ path: 'victim.phone', action: 'include', when: { requiresConsent: true, recipientKinds: ['local-law-enforcement'] } }];
    const consent = consentRecorded({ recipientAgencyIds: [SHERIFF.id], fields: ['victim'] });
    expect(project(referralSubmitted(), SHERIFF, policyOf('victim-referral', rules), consent)).toBeDefined();
    expect(project(referralSubmitted({}, true), SHERIFF, policyOf('victim-referral', rules), consent)).toBeUndefined();
    expect(project(referralSubmitted(), SHERIFF, policyOf('victim-referral', rules), consent, consentRevoked())).toBeUndefined();
  });
});

describe('the disclosure state as the feed folds it', () => {
  it('leaves earlier states untouched (it is immutable)', () => {
    const before = stateOf(referralSubmitted());
    const after = evolveDisclosureState(before, feedEventOf(consentTo()));
    expect(before.consents.get('consent-1')).toBeUndefined();
    expect(after.consents.get('consent-1')?.recipientAgencyIds.has(HSI.id)).toBe(true);
  });
});
