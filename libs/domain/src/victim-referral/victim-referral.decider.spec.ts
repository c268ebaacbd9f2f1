import {
  acceptReferral,
  acknowledgeReferral,
  answerReferralQuestion,
  authorizeLawEnforcementDisclosure,
  commandOf,
  immigrationConfidentialityWaived,
  immigrationReliefFinallyDenied,
  lawEnforcementDisclosureAuthorized,
  recordImmigrationReliefDenial,
  recordImmigrationWaiver,
  CLINIC_METADATA,
  correctReferral,
  declineReferral,
  givenWhenThen,
  HSI_METADATA,
  referralAccepted,
  referralAcknowledged,
  referralCorrected,
  referralDeclined,
  referralDetails,
  referralInformationProvided,
  referralInformationRequested,
  referralSubmitted,
  referralWithdrawn,
  requestReferralInformation,
  SHELTER_METADATA,
  submitReferral,
  updateVictimContact,
  victimContactUpdated,
  withdrawReferral,
} from '../testing';
import { IMMIGRATION_RELIEF_STATUSES, VictimReferralCommand, VictimReferralEvent, VictimReferralStatus, withoutVictimServices } from './victim-referral';
import { victimReferralDecider } from './victim-referral.decider';

const given = givenWhenThen(victimReferralDecider);
const submitted = referralSubmitted();
const victim = referralDetails().victim;

const HISTORIES: Record<VictimReferralStatus, VictimReferralEvent[]> = {
  submitted: [submitted],
  acknowledged: [submitted, referralAcknowledged()],
  'information-requested': [submitted, referralAcknowledged(), referralInformationRequested()],
  accepted: [submitted, referralAcknowledged(), referralAccepted()],
  declined: [submitted, referralAcknowledged(), referralDeclined()],
  withdrawn: [submitted, referralWithdrawn()],
};

const STEPS: Record<string, { command: () => VictimReferralCommand; event: () => VictimReferralEvent }> = {
  acknowledge: { command: () => acknowledgeReferral(), event: referralAcknowledged },
  accept: { command: () => acceptReferral(), event: referralAccepted },
  decline: { command: () => declineReferral(), event: referralDeclined },
  'request information': { command: () => requestReferralInformation(), event: referralInformationRequested },
  withdraw: { command: () => withdrawReferral(), event: referralWithdrawn },
  'update contact': { command: () => updateVictimContact(), event: victimContactUpdated },
  correct: { command: () => correctReferral(), event: () => referralCorrected() },
};

describe('submitting a victim referral', () => {
  it('given no history, when HSI submits, then it is submitted as schema version 2, stamped with sender and time', () => {
    const [event] = given().when(submitReferral()).then(submitted);
    expect(event.metadata.schemaVersion).toBe(2);
    expect(event.data).toMatchObject({ referringAgencyId: HSI_METADATA.agencyId, submittedAt: HSI_METADATA.now, victim: { isMinor: false } });
  });

  it.each([
    ['2008-11-03', true, 'turns 18 the day after submission'],
    ['2008-11-02', false, 'turns 18 on the day of submission'],
    ['2010-05-01', true, 'is 16'],
  ])('flags a victim born %s as a minor: %s (%s)', (dateOfBirth, isMinor) => {
    given()
      .when(submitReferral({ victim: { ...victim, dateOfBirth } }))
      .then(referralSubmitted({ victim: { ...victim, dateOfBirth } }, isMinor));
  });

  it('lists the dependents as submitted', () => {
    const dependents = [{ relationship: 'son', age: 2 }, { relationship: 'daughter', age: 9 }];
    given().when(submitReferral({ dependents })).then(referralSubmitted({ dependents }));
  });

  it.each(['local-law-enforcement', 'prosecutor'] as const)('accepts a submission from %s', (agencyKind) => {
    const [event] = given().when(submitReferral({}, { agencyKind, agencyId: 'some-agency' })).then(expect.anything());
    expect(event.data.referringAgencyId).toBe('some-agency');
  });

  it.each(['victim-service-provider', 'health-provider'] as const)('refuses a submission from %s', (agencyKind) => {
    given().when(submitReferral({}, { agencyKind, agencyId: 'some-ngo' })).thenRefused('REFERRAL.SUBMITTER_NOT_ALLOWED', 'forbidden');
  });

  it('refuses a referral addressed to its own sender', () => {
    given().when(submitReferral({ referredToAgencyId: HSI_METADATA.agencyId })).thenRefused('REFERRAL.SELF_REFERRAL', 'validation');
  });

  it('refuses a second submission of the same referral', () => {
    given(submitted).when(submitReferral()).thenRefused('REFERRAL.ALREADY_SUBMITTED', 'conflict');
  });

  it.each(['2026-02-30', '17/03/1994', '2026-11-03'])('refuses the date of birth %s', (dateOfBirth) => {
    given().when(submitReferral({ victim: { ...victim, dateOfBirth } })).thenRefused('REFERRAL.INVALID_DATE_OF_BIRTH', 'validation');
  });

  it('refuses a victim without a family name', () => {
    given().when(submitReferral({ victim: { ...victim, familyName: ' ' } })).thenRefused('REFERRAL.VICTIM_NAME_REQUIRED', 'validation');
  });
});

describe('the lifecycle of a victim referral', () => {
  it.each([
    ['submitted', 'acknowledge'],
    ['acknowledged', 'accept'],
    ['acknowledged', 'decline'],
    ['acknowledged', 'request information'],
    ['information-requested', 'accept'],
    ['information-requested', 'decline'],
    ['submitted', 'withdraw'],
    ['acknowledged', 'withdraw'],
    ['information-requested', 'withdraw'],
    ['submitted', 'update contact'],
    ['acknowledged', 'update contact'],
    ['information-requested', 'update contact'],
    ['accepted', 'update contact'],
    ['submitted', 'correct'],
    ['acknowledged', 'correct'],
    ['information-requested', 'correct'],
    ['accepted', 'correct'],
    // The sender's steps do not turn on what the provider did, which the sender may not know (VAWA).
    ['accepted', 'withdraw'],
    ['declined', 'withdraw'],
    ['declined', 'update contact'],
    ['declined', 'correct'],
  ] as const)('given a referral %s, when the referral is told to %s, then it is', (status, step) => {
    given(...HISTORIES[status]).when(STEPS[step].command()).then(STEPS[step].event());
  });

  it.each([
    ['submitted', 'accept', 'REFERRAL.NOT_ACKNOWLEDGED'],
    ['submitted', 'decline', 'REFERRAL.NOT_ACKNOWLEDGED'],
    ['submitted', 'request information', 'REFERRAL.NOT_ACKNOWLEDGED'],
    ['acknowledged', 'acknowledge', 'REFERRAL.ALREADY_ACKNOWLEDGED'],
    ['information-requested', 'acknowledge', 'REFERRAL.INFORMATION_ALREADY_REQUESTED'],
    ['information-requested', 'request information', 'REFERRAL.INFORMATION_ALREADY_REQUESTED'],
    ['accepted', 'acknowledge', 'REFERRAL.ALREADY_ACCEPTED'],
    ['accepted', 'accept', 'REFERRAL.ALREADY_ACCEPTED'],
    ['accepted', 'decline', 'REFERRAL.ALREADY_ACCEPTED'],
    ['accepted', 'request information', 'REFERRAL.ALREADY_ACCEPTED'],
    ...['acknowledge', 'accept', 'decline', 'request information'].map((step) => ['declined', step, 'REFERRAL.ALREADY_DECLINED'] as const),
    ...Object.keys(STEPS).map((step) => ['withdrawn', step, 'REFERRAL.ALREADY_WITHDRAWN'] as const),
  ] as const)('given a referral %s, when told to %s, then it is refused with %s', (status, step, code) => {
    given(...HISTORIES[status]).when(STEPS[step].command()).thenRefused(code, 'illegal-state');
  });

  it.each(Object.keys(STEPS))('refuses to %s a referral that was never submitted', (step) => {
    given().when(STEPS[step].command()).thenRefused('REFERRAL.NOT_FOUND', 'not-found');
  });

  it.each([
    ['acknowledge', acknowledgeReferral],
    ['accept', acceptReferral],
    ['request information', (metadata: typeof HSI_METADATA) => requestReferralInformation(undefined, metadata)],
    ['decline', (metadata: typeof HSI_METADATA) => declineReferral(undefined, metadata)],
  ] as const)('only the addressee may %s; to an agency neither side, the referral does not exist', (_step, command) => {
    given(...HISTORIES['information-requested']).when(command(HSI_METADATA)).thenRefused('REFERRAL.NOT_ADDRESSEE', 'forbidden');
    given(...HISTORIES['information-requested']).when(command(CLINIC_METADATA)).thenRefusedAsIfMissing();
  });

  it.each([
    ['withdraw', (metadata: typeof HSI_METADATA) => withdrawReferral(undefined, metadata)],
    ['update contact', updateVictimContact],
    ['correct', (metadata: typeof HSI_METADATA) => correctReferral({}, metadata)],
  ] as const)('only the sender may %s; to an agency neither side, the referral does not exist', (_step, command) => {
    given(...HISTORIES.acknowledged).when(command(SHELTER_METADATA)).thenRefused('REFERRAL.NOT_SENDER', 'forbidden');
    given(...HISTORIES.acknowledged).when(command(CLINIC_METADATA)).thenRefusedAsIfMissing();
  });

  it.each([
    ['decline', () => declineReferral(' '), 'REFERRAL.REASON_REQUIRED'],
    ['withdraw', () => withdrawReferral(''), 'REFERRAL.REASON_REQUIRED'],
    ['request information', () => requestReferralInformation(''), 'REFERRAL.QUESTION_REQUIRED'],
  ] as const)('refuses to %s without saying why', (_step, command, code) => {
    given(...HISTORIES.acknowledged).when(command()).thenRefused(code, 'validation');
  });

  it('recomputes the minor flag when a correction changes the date of birth', () => {
    const corrected = { ...victim, dateOfBirth: '2009-01-20' };
    given(submitted).when(correctReferral({ victim: corrected })).then(referralCorrected({ victim: corrected }, true));
  });

  it('refuses a correction with an impossible date of birth', () => {
    given(submitted)
      .when(correctReferral({ victim: { ...victim, dateOfBirth: '1994-13-01' } }))
      .thenRefused('REFERRAL.INVALID_DATE_OF_BIRTH', 'validation');
  });
});

describe('the victim referral as its sender reads it', () => {
  const viewAfter = (...events: VictimReferralEvent[]) => victimReferralDecider.view(given(...events).state);

  it('does not exist before it is submitted', () => {
    expect(viewAfter()).toBeUndefined();
  });

  it('holds everything submitted, with its status and sender', () => {
    expect(viewAfter(submitted)).toEqual({ originatorAgencyId: HSI_METADATA.agencyId, status: 'submitted', record: submitted.data });
  });

  it('shows an open question until the sender answers it with a contact update, which returns it to the addressee', () => {
    expect(viewAfter(...HISTORIES['information-requested'])).toMatchObject({
      status: 'information-requested',
      record: { openQuestion: 'Does the daughter need a school placement?' },
    });
    const view = viewAfter(...HISTORIES['information-requested'], victimContactUpdated());
    expect(view?.status).toBe('acknowledged');
    expect(view?.record).not.toHaveProperty('openQuestion');
    expect(view?.record.victim).toEqual({ ...submitted.data.victim, phone: '+1 504 555 0177', preferredLanguages: ['es'] });
  });

  it('answers an open question with a correction, keeping the addressee and submission', () => {
    const view = viewAfter(...HISTORIES['information-requested'], referralCorrected());
    expect(view?.status).toBe('acknowledged');
    expect(view?.record).not.toHaveProperty('openQuestion');
    expect(view?.record).toMatchObject({
      dependents: [{ relationship: 'daughter', age: 7 }],
      referredToAgencyId: SHELTER_METADATA.agencyId,
      submittedAt: HSI_METADATA.now,
    });
  });

  it('keeps an accepted referral accepted through a correction', () => {
    expect(viewAfter(...HISTORIES.accepted, referralCorrected())?.status).toBe('accepted');
  });

  it.each([
    ['accepted', { acceptedAt: SHELTER_METADATA.now }],
    ['declined', { declineReason: 'No family rooms free until December' }],
    ['withdrawn', { withdrawalReason: 'Victim placed with family in Houston' }],
  ] as const)('records how it ended when %s', (status, detail) => {
    expect(viewAfter(...HISTORIES[status])).toMatchObject({ status, record: detail });
  });

  it('keeps each referral in its own stream', () => {
    expect(victimReferralDecider.streamId('ref-1')).toBe('victim-referral-ref-1');
  });
});

describe('8 U.S.C. 1367: a referral of a person with immigration relief', () => {
  const { victimServicesConsent: _consent, ...withoutConsent } = referralDetails();

  it('is refused without her prior written consent to the shelter ((b)(7)), whatever the status', () => {
    for (const immigrationReliefStatus of IMMIGRATION_RELIEF_STATUSES.filter((status) => status !== 'none')) {
      given()
        .when(commandOf('SubmitVictimReferral', { ...withoutConsent, immigrationReliefStatus }, HSI_METADATA))
        .thenRefused('REFERRAL.VICTIM_SERVICES_CONSENT_REQUIRED', 'validation');
    }
  });

  it('carries the consent in the submission, so the shelter is entitled from its first event', () => {
    const [submittedEvent] = given().when(submitReferral()).then(referralSubmitted());
    expect(submittedEvent.data.victimServicesConsent).toEqual({ writtenConsentObtainedAt: '2026-11-02T10:05:00.000Z' });
  });

  it('needs no consent when the victim has no immigration relief', () => {
    given().when(commandOf('SubmitVictimReferral', { ...withoutConsent, immigrationReliefStatus: 'none' as const }, HSI_METADATA)).then(referralSubmitted({ immigrationReliefStatus: 'none', victimServicesConsent: undefined }));
  });

  it('refuses a consent dated after the referral', () => {
    given().when(submitReferral({ victimServicesConsent: { writtenConsentObtainedAt: '2026-11-02T14:31:00.000Z' } })).thenRefused('REFERRAL.INVALID_CONSENT_TIME', 'validation');
  });

  it('needs the consent when a correction first gives a status', () => {
    const unprotected = referralSubmitted({ immigrationReliefStatus: 'none' });
    given(unprotected).when(correctReferral()).thenRefused('REFERRAL.VICTIM_SERVICES_CONSENT_REQUIRED', 'validation');
  });

  it('lets the DHS component that referred her authorize a law enforcement disclosure ((b)(2)), and no one else', () => {
    given(referralSubmitted()).when(authorizeLawEnforcementDisclosure()).then(lawEnforcementDisclosureAuthorized());
    const notDhs = { ...HSI_METADATA, agencyDepartment: 'DOJ' as const };
    given(referralSubmitted()).when(authorizeLawEnforcementDisclosure({}, notDhs)).thenRefused('REFERRAL.NOT_DHS', 'forbidden');
    given(referralSubmitted()).when(authorizeLawEnforcementDisclosure({}, { ...SHELTER_METADATA })).thenRefused('REFERRAL.NOT_SENDER', 'forbidden');
    given(referralSubmitted()).when(authorizeLawEnforcementDisclosure({ purpose: ' ' })).thenRefused('REFERRAL.PURPOSE_REQUIRED', 'validation');
  });

  it("records an adult's waiver ((b)(4)) from the sender or the shelter, never a minor's", () => {
    given(referralSubmitted()).when(recordImmigrationWaiver()).then(immigrationConfidentialityWaived());
    given(referralSubmitted()).when(recordImmigrationWaiver(SHELTER_METADATA)).then(expect.objectContaining({ type: 'ImmigrationConfidentialityWaived' }));
    given(referralSubmitted({}, true)).when(recordImmigrationWaiver()).thenRefused('REFERRAL.WAIVER_NEEDS_ADULT', 'illegal-state');
  });

  it('records the final denial from a federal department only, after which nothing more can be recorded under the section', () => {
    given(referralSubmitted()).when(recordImmigrationReliefDenial()).then(immigrationReliefFinallyDenied());
    const { agencyDepartment: _department, ...notFederal } = HSI_METADATA;
    given(referralSubmitted()).when(recordImmigrationReliefDenial(notFederal)).thenRefused('REFERRAL.NOT_FEDERAL_DEPARTMENT', 'forbidden');
    given(referralSubmitted(), immigrationReliefFinallyDenied()).when(authorizeLawEnforcementDisclosure()).thenRefused('REFERRAL.NOT_IMMIGRATION_PROTECTED', 'illegal-state');
    given(referralSubmitted({ immigrationReliefStatus: 'none' })).when(recordImmigrationWaiver()).thenRefused('REFERRAL.NOT_IMMIGRATION_PROTECTED', 'illegal-state');
  });
});

describe("the referral as its sender reads it without the victim's consent to status updates (VAWA)", () => {
  it("leaves out what the shelter did with it, and when and why, and shows the sender's own status", () => {
    const { state } = given(referralSubmitted(), referralAcknowledged(), referralInformationRequested());
    const view = withoutVictimServices(victimReferralDecider.view(state)!);
    expect(view.status).toBe('submitted');
    expect(view.record).not.toHaveProperty('acknowledgedAt');
    expect(view.record).not.toHaveProperty('openQuestion');
    const declined = withoutVictimServices(victimReferralDecider.view(given(referralSubmitted(), referralAcknowledged(), referralDeclined()).state)!);
    expect(declined).toMatchObject({ status: 'submitted', record: { referralId: 'ref-1' } });
    expect(JSON.stringify(declined)).not.toContain('No family rooms');
    const withdrawn = withoutVictimServices(victimReferralDecider.view(given(referralSubmitted(), referralWithdrawn()).state)!);
    expect(withdrawn.status).toBe('withdrawn');
  });
});

describe("the addressee's questions and the sender's answers", () => {
  const asked = [submitted, referralAcknowledged(), referralInformationRequested()];

  it('gives each question the next id, q1 for the first', () => {
    given(submitted, referralAcknowledged()).when(requestReferralInformation()).then(referralInformationRequested());
    const second = given(...asked, referralInformationProvided()).when(requestReferralInformation('And a bed for a baby?'));
    second.then({ ...referralInformationRequested(), data: { ...referralInformationRequested().data, questionId: 'q2', question: 'And a bed for a baby?' } });
  });

  it("takes the sender's answer to a question, which returns the referral to the addressee", () => {
    given(...asked).when(answerReferralQuestion()).then(referralInformationProvided());
    expect(victimReferralDecider.view(given(...asked, referralInformationProvided()).state)).toMatchObject({
      status: 'acknowledged',
      record: { questions: [{ questionId: 'q1', question: 'Does the daughter need a school placement?', askedAt: referralInformationRequested().data.requestedAt, answer: 'Yes: she is 7 and in second grade.', answeredAt: referralInformationProvided().data.providedAt }] },
    });
  });

  it('refuses an answer from anyone but the sender, to a question never asked, or twice', () => {
    given(...asked).when(answerReferralQuestion('q1', referralAcknowledged().metadata)).thenRefused('REFERRAL.NOT_SENDER', 'forbidden');
    given(...asked).when(answerReferralQuestion('q2')).thenRefused('REFERRAL.NO_SUCH_QUESTION', 'not-found');
    given(...asked, referralInformationProvided()).when(answerReferralQuestion()).thenRefused('REFERRAL.QUESTION_ALREADY_ANSWERED', 'illegal-state');
  });

  it('takes the answer whatever the shelter did since, which the sender may not know (VAWA)', () => {
    given(...asked, referralAccepted()).when(answerReferralQuestion()).then(referralInformationProvided());
    given(...asked, referralDeclined()).when(answerReferralQuestion()).then(referralInformationProvided());
  });

  it('numbers a question stored before questions had ids by its place', () => {
    const { questionId: _id, ...older } = referralInformationRequested().data;
    const view = victimReferralDecider.view(given(submitted, referralAcknowledged(), { ...referralInformationRequested(), data: older }).state);
    expect(view?.record.questions).toEqual([expect.objectContaining({ questionId: 'q1' })]);
  });

  it('shows the sender the questions even without the consent to status updates: the provider chose to send them to it', () => {
    const view = withoutVictimServices(victimReferralDecider.view(given(...asked).state)!);
    expect(view.status).toBe('submitted');
    expect(view.record.questions).toEqual([expect.objectContaining({ questionId: 'q1', question: 'Does the daughter need a school placement?' })]);
  });
});
