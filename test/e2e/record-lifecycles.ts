import { EXAMPLE_REFERRAL } from './fixtures';

export type Actor = 'hsi' | 'sheriff' | 'shelter';

/** One command in a lifecycle walk, and what the agency must be told. */
export interface LifecycleStep {
  readonly as: Actor;
  readonly command: string;
  /** The record the step acts on, by alias; a create step names the alias it creates. */
  readonly record: string;
  /** The body; a function of the walk's records (alias to id) where it names one of them. */
  readonly body?: object | ((records: ReadonlyMap<string, string>) => object);
  /** `ok`, or the code of the refusal. */
  readonly expect: string;
}

const REASON = { reason: 'Recorded for the test walk' };
const COURT_ORDER = { courtOrderReference: '24th JDC No. 2026-114' };
const CHARGES = { charges: [{ statute: 'La. R.S. 14:46.2', description: 'Human trafficking' }] };
const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600 * 1000).toISOString();
const { referredToAgencyId: _addressee, ...REFERRAL_CONTENT } = EXAMPLE_REFERRAL;
const NO_SUCH_REFERRAL = '5f0c6f43-8d0e-4c53-9d1b-0f8a3c1e2b7a';
const linkTo = (recordType: string, alias: string) => (records: ReadonlyMap<string, string>) => ({ recordType, recordId: records.get(alias) });

/** Every lifecycle of every record, with an illegal step in each; the HTTP and Kafka walks share it. */
export const LIFECYCLES: Record<string, readonly LifecycleStep[]> = {
  'a case is opened, linked and closed': [
    { as: 'shelter', command: 'OpenCase', record: 'refused-case', body: openCase(), expect: 'CASE.OPENER_NOT_ALLOWED' },
    { as: 'hsi', command: 'OpenCase', record: 'case', body: openCase(), expect: 'ok' },
    { as: 'hsi', command: 'SubmitVictimReferral', record: 'case-referral', body: EXAMPLE_REFERRAL, expect: 'ok' },
    { as: 'hsi', command: 'LinkRecordToCase', record: 'case', body: linkTo('victim-referral', 'case-referral'), expect: 'ok' },
    { as: 'hsi', command: 'LinkRecordToCase', record: 'case', body: linkTo('victim-referral', 'case-referral'), expect: 'CASE.RECORD_ALREADY_LINKED' },
    { as: 'hsi', command: 'LinkRecordToCase', record: 'case', body: { recordType: 'victim-referral', recordId: NO_SUCH_REFERRAL }, expect: 'CASE.LINKED_RECORD_NOT_FOUND' },
    { as: 'sheriff', command: 'RecordArrest', record: 'case-arrest', body: recordArrest(), expect: 'ok' },
    // The sheriff's arrest is not HSI's to link; the sheriff links it once it is on the case's team.
    { as: 'hsi', command: 'LinkRecordToCase', record: 'case', body: linkTo('arrest-record', 'case-arrest'), expect: 'CASE.LINKED_RECORD_NOT_FOUND' },
    { as: 'sheriff', command: 'LinkRecordToCase', record: 'case', body: linkTo('arrest-record', 'case-arrest'), expect: 'CASE.NOT_FOUND' },
    { as: 'shelter', command: 'AddCaseTeamMember', record: 'case', body: { agencyId: 'st-bernard-sheriff' }, expect: 'CASE.NOT_FOUND' },
    { as: 'hsi', command: 'AddCaseTeamMember', record: 'case', body: { agencyId: 'bayou-haven-shelter' }, expect: 'CASE.UNKNOWN_TEAM_MEMBER' },
    { as: 'hsi', command: 'AddCaseTeamMember', record: 'case', body: { agencyId: 'st-bernard-sheriff' }, expect: 'ok' },
    { as: 'sheriff', command: 'LinkRecordToCase', record: 'case', body: linkTo('arrest-record', 'case-arrest'), expect: 'ok' },
    { as: 'sheriff', command: 'CloseCase', record: 'case', body: REASON, expect: 'CASE.NOT_FOUND' },
    { as: 'hsi', command: 'CloseCase', record: 'case', body: REASON, expect: 'ok' },
    { as: 'hsi', command: 'LinkRecordToCase', record: 'case', body: linkTo('victim-referral', 'case-referral'), expect: 'CASE.CLOSED' },
  ],
  'a referral is acknowledged, questioned, answered and accepted': [
    { as: 'hsi', command: 'SubmitVictimReferral', record: 'referral', body: EXAMPLE_REFERRAL, expect: 'ok' },
    { as: 'shelter', command: 'AcceptVictimReferral', record: 'referral', body: {}, expect: 'REFERRAL.NOT_ACKNOWLEDGED' },
    { as: 'shelter', command: 'AcknowledgeVictimReferral', record: 'referral', body: {}, expect: 'ok' },
    { as: 'shelter', command: 'RequestVictimReferralInformation', record: 'referral', body: { question: 'Does the child need school enrolment?' }, expect: 'ok' },
    { as: 'hsi', command: 'UpdateVictimContact', record: 'referral', body: { phone: '+1 504 555 0177', preferredLanguages: ['es'] }, expect: 'ok' },
    { as: 'hsi', command: 'AcceptVictimReferral', record: 'referral', body: {}, expect: 'REFERRAL.NOT_ADDRESSEE' },
    { as: 'sheriff', command: 'AcceptVictimReferral', record: 'referral', body: {}, expect: 'REFERRAL.NOT_FOUND' },
    { as: 'shelter', command: 'AcceptVictimReferral', record: 'referral', body: {}, expect: 'ok' },
    { as: 'hsi', command: 'CorrectVictimReferral', record: 'referral', body: REFERRAL_CONTENT, expect: 'ok' },
  ],
  'a referral is declined': [
    { as: 'hsi', command: 'SubmitVictimReferral', record: 'declined', body: EXAMPLE_REFERRAL, expect: 'ok' },
    { as: 'shelter', command: 'AcknowledgeVictimReferral', record: 'declined', body: {}, expect: 'ok' },
    { as: 'shelter', command: 'DeclineVictimReferral', record: 'declined', body: { reason: 'No family room free' }, expect: 'ok' },
    { as: 'shelter', command: 'AcceptVictimReferral', record: 'declined', body: {}, expect: 'REFERRAL.ALREADY_DECLINED' },
  ],
  'a referral is withdrawn by its sender': [
    { as: 'hsi', command: 'SubmitVictimReferral', record: 'withdrawn', body: EXAMPLE_REFERRAL, expect: 'ok' },
    { as: 'shelter', command: 'WithdrawVictimReferral', record: 'withdrawn', body: REASON, expect: 'REFERRAL.NOT_SENDER' },
    { as: 'hsi', command: 'WithdrawVictimReferral', record: 'withdrawn', body: REASON, expect: 'ok' },
    { as: 'shelter', command: 'AcknowledgeVictimReferral', record: 'withdrawn', body: {}, expect: 'REFERRAL.ALREADY_WITHDRAWN' },
  ],
  'an arrest is recorded, amended, sealed and expunged': [
    { as: 'sheriff', command: 'RecordArrest', record: 'arrest', body: recordArrest(), expect: 'ok' },
    { as: 'hsi', command: 'AmendCharges', record: 'arrest', body: CHARGES, expect: 'ARREST.NOT_FOUND' },
    { as: 'sheriff', command: 'AmendCharges', record: 'arrest', body: CHARGES, expect: 'ok' },
    { as: 'hsi', command: 'RecordArresteeRelationship', record: 'arrest', body: { relationshipToVictim: 'stepfather' }, expect: 'ARREST.NOT_FOUND' },
    { as: 'sheriff', command: 'RecordArresteeRelationship', record: 'arrest', body: { relationshipToVictim: 'Step-father' }, expect: 'REQUEST.INVALID' },
    { as: 'sheriff', command: 'RecordArresteeRelationship', record: 'arrest', body: { relationshipToVictim: 'stepfather' }, expect: 'ok' },
    { as: 'sheriff', command: 'RecordArresteeRelationship', record: 'arrest', body: { relationshipToVictim: 'stepfather' }, expect: 'ARREST.RELATIONSHIP_ALREADY_RECORDED' },
    { as: 'sheriff', command: 'SealArrestRecord', record: 'arrest', body: COURT_ORDER, expect: 'ok' },
    { as: 'sheriff', command: 'RecordArresteeRelationship', record: 'arrest', body: { relationshipToVictim: 'uncle' }, expect: 'ARREST.SEALED' },
    { as: 'sheriff', command: 'AmendCharges', record: 'arrest', body: CHARGES, expect: 'ARREST.SEALED' },
    { as: 'sheriff', command: 'ExpungeArrestRecord', record: 'arrest', body: COURT_ORDER, expect: 'ok' },
    { as: 'sheriff', command: 'SealArrestRecord', record: 'arrest', body: COURT_ORDER, expect: 'ARREST.EXPUNGED' },
  ],
  "a consent is recorded and revoked by the agencies holding the victim's relationship": [
    { as: 'hsi', command: 'SubmitVictimReferral', record: 'referral', body: EXAMPLE_REFERRAL, expect: 'ok' },
    { as: 'shelter', command: 'RecordConsent', record: 'past-consent', body: consentFor('referral', '2020-01-01T00:00:00Z'), expect: 'CONSENT.EXPIRY_NOT_IN_FUTURE' },
    { as: 'shelter', command: 'RecordConsent', record: 'long-consent', body: consentFor('referral', inDays(366)), expect: 'CONSENT.EXPIRY_TOO_FAR' },
    { as: 'sheriff', command: 'RecordConsent', record: 'sheriff-consent', body: consentFor('referral'), expect: 'CONSENT.REFERRAL_NOT_FOUND' },
    { as: 'shelter', command: 'RecordConsent', record: 'typed-guardian', body: minorConsentFor('referral', 'Aunt Rosa'), expect: 'REQUEST.INVALID' },
    { as: 'shelter', command: 'RecordConsent', record: 'minor-consent', body: minorConsentFor('referral', 'aunt'), expect: 'ok' },
    { as: 'shelter', command: 'RecordConsent', record: 'orphan-consent', body: consentFor(NO_SUCH_REFERRAL), expect: 'CONSENT.REFERRAL_NOT_FOUND' },
    { as: 'hsi', command: 'RecordConsent', record: 'sender-consent', body: consentFor('referral'), expect: 'ok' },
    { as: 'shelter', command: 'RecordConsent', record: 'consent', body: consentFor('referral'), expect: 'ok' },
    { as: 'sheriff', command: 'RevokeConsent', record: 'consent', body: REASON, expect: 'CONSENT.NOT_FOUND' },
    { as: 'hsi', command: 'RevokeConsent', record: 'consent', body: REASON, expect: 'CONSENT.NOT_FOUND' },
    { as: 'shelter', command: 'RevokeConsent', record: 'sender-consent', body: REASON, expect: 'ok' },
    { as: 'shelter', command: 'RevokeConsent', record: 'consent', body: REASON, expect: 'ok' },
    { as: 'shelter', command: 'RevokeConsent', record: 'consent', body: REASON, expect: 'CONSENT.ALREADY_REVOKED' },
  ],
};

function openCase() {
  return {
    title: 'Operation Chef Menteur',
    parish: 'Orleans',
    leadInvestigator: { name: 'SA Dana Example', badgeNumber: 'HSI-4471', phone: '+1 504 555 0199' },
  };
}

function recordArrest() {
  return {
    arrestee: { givenName: 'John', familyName: 'Doe', dateOfBirth: '1980-05-02' },
    ...CHARGES,
    bookingNumber: 'SBSO-2026-0931',
    arrestedAt: '2026-11-02T21:15:00-06:00',
    place: { description: 'Motel parking lot', parish: 'St. Bernard' },
    victimReferralIds: [],
  };
}

/** A consent for the referral the walk created under that alias, or else for the referral of that id. */
function minorConsentFor(referral: string, relationship: string) {
  return (records: ReadonlyMap<string, string>) => ({ ...consentFor(referral)(records), victimIsMinor: true, guardian: { name: 'Rosa Example', relationship } });
}

function consentFor(referral: string, expiresAt = inDays(180)) {
  return (records: ReadonlyMap<string, string>) => ({
    referralId: records.get(referral) ?? referral,
    victimIsMinor: false,
    recipientAgencyIds: ['st-bernard-sheriff'],
    purposes: ['investigation'],
    fields: ['victim.phone'],
    written: true,
    informed: true,
    expiresAt,
  });
}
