import { AgencyKind } from '../agency/agency';
import { Decider, EventSchemaVersions } from '../decider';
import { DomainError } from '../domain-error';
import { CommandMetadata } from '../message';
import {
  assertNever,
  eventOf,
  ExistingRecord,
  Refusals,
  recordDecider,
  requireAgency,
  requireNew,
  requireRecord,
  requireStatus,
} from '../record-state';
import { isAfter, isBirthDate, isCalendarDate, isInstant, isMinorOn, requireText } from '../validation';
import {
  AnswerVictimReferralInformationRequest,
  AuthorizeLawEnforcementDisclosure,
  ImmigrationConfidentialityRecord,
  RecordedVictim,
  RecordImmigrationReliefDenial,
  RecordImmigrationWaiver,
  RequestVictimReferralInformation,
  VictimReferralDetails,
  SubmitVictimReferral,
  Victim,
  VictimReferralCommand,
  VictimReferralEvent,
  VictimReferralRecord,
  VictimReferralState,
  VictimReferralStatus,
} from './victim-referral';
import {
  downcastSubmissionDataToV1,
  upcastVictimReferralSubmittedV1,
  VICTIM_REFERRAL_SUBMITTED_VERSION,
  VictimReferralSubmittedV1,
} from './victim-referral-submitted.versions';

const REFERRING_KINDS: readonly AgencyKind[] = ['federal-law-enforcement', 'local-law-enforcement', 'prosecutor'];

type LifecycleCommand = Exclude<VictimReferralCommand, SubmitVictimReferral>;

/** Who may take each step: the addressee answers a referral, the sender maintains it. */
const ACTOR: Record<LifecycleCommand['type'], 'addressee' | 'sender' | 'either'> = {
  AcknowledgeVictimReferral: 'addressee',
  AcceptVictimReferral: 'addressee',
  DeclineVictimReferral: 'addressee',
  RequestVictimReferralInformation: 'addressee',
  AnswerVictimReferralInformationRequest: 'sender',
  WithdrawVictimReferral: 'sender',
  UpdateVictimContact: 'sender',
  CorrectVictimReferral: 'sender',
  AuthorizeLawEnforcementDisclosure: 'sender',
  RecordImmigrationWaiver: 'either',
  RecordImmigrationReliefDenial: 'sender',
};

const OPEN: readonly VictimReferralStatus[] = ['submitted', 'acknowledged', 'information-requested'];

/**
 * Every status but the sender's own withdrawal: what the provider did with the referral (acknowledged,
 * asked, accepted, declined) is VAWA information the sender may not have (34 U.S.C. 12291(b)(2)), so
 * whether a sender's step is allowed never turns on it; a refusal would tell it.
 */
const NOT_WITHDRAWN: readonly VictimReferralStatus[] = [...OPEN, 'accepted', 'declined'];

/**
 * The addressee acknowledges before it answers. Accepting or declining while a question is open is
 * allowed (the answer may have come by phone). The sender may withdraw, and keeps contact details and
 * corrections current, until it withdraws; either of them answers an open question.
 */
const ALLOWED_FROM: Record<LifecycleCommand['type'], readonly VictimReferralStatus[]> = {
  AcknowledgeVictimReferral: ['submitted'],
  AcceptVictimReferral: ['acknowledged', 'information-requested'],
  DeclineVictimReferral: ['acknowledged', 'information-requested'],
  RequestVictimReferralInformation: ['acknowledged'],
  // Whatever the shelter did since it asked: the sender may not know it (VAWA), so it never refuses the answer.
  AnswerVictimReferralInformationRequest: NOT_WITHDRAWN,
  WithdrawVictimReferral: NOT_WITHDRAWN,
  UpdateVictimContact: NOT_WITHDRAWN,
  CorrectVictimReferral: NOT_WITHDRAWN,
  AuthorizeLawEnforcementDisclosure: [...NOT_WITHDRAWN, 'withdrawn'],
  RecordImmigrationWaiver: [...NOT_WITHDRAWN, 'withdrawn'],
  RecordImmigrationReliefDenial: [...NOT_WITHDRAWN, 'withdrawn'],
};

const REFUSALS: Refusals<VictimReferralStatus> = {
  submitted: ['REFERRAL.NOT_ACKNOWLEDGED', 'the addressee has not acknowledged this referral yet'],
  acknowledged: ['REFERRAL.ALREADY_ACKNOWLEDGED', 'this referral has already been acknowledged'],
  'information-requested': ['REFERRAL.INFORMATION_ALREADY_REQUESTED', 'a request for information awaits the sender'],
  accepted: ['REFERRAL.ALREADY_ACCEPTED', 'this referral has already been accepted'],
  declined: ['REFERRAL.ALREADY_DECLINED', 'this referral has been declined'],
  withdrawn: ['REFERRAL.ALREADY_WITHDRAWN', 'this referral has been withdrawn'],
};

/** The agencies a referral concerns: its sender and its addressee. */
export const referralParties = (referral: {
  readonly originatorAgencyId: string;
  readonly record: { readonly referredToAgencyId: string };
}): readonly string[] => [referral.originatorAgencyId, referral.record.referredToAgencyId];

function decide(command: VictimReferralCommand, state: VictimReferralState): VictimReferralEvent[] {
  if (command.type === 'SubmitVictimReferral') return [submit(command, state)];
  const referral = requireRecord(state, command.metadata, referralParties, 'REFERRAL.NOT_FOUND', 'victim referral');
  const actor = ACTOR[command.type];
  if (actor === 'sender') {
    requireAgency(command.metadata, [referral.originatorAgencyId], 'REFERRAL.NOT_SENDER', 'only the referring agency may do this');
  } else if (actor === 'addressee') {
    requireAgency(command.metadata, [referral.record.referredToAgencyId], 'REFERRAL.NOT_ADDRESSEE', 'only the addressee may do this');
  }
  requireStatus(referral.status, ALLOWED_FROM[command.type], REFUSALS);
  switch (command.type) {
    case 'AuthorizeLawEnforcementDisclosure':
    case 'RecordImmigrationWaiver':
    case 'RecordImmigrationReliefDenial':
      return [decideImmigrationConfidentiality(command, referral)];
    case 'CorrectVictimReferral':
      requireVictimServicesConsent(command.data, referral.record, command.metadata);
      return [decideStep(command)];
    case 'RequestVictimReferralInformation':
      requireText(command.data.question, 'REFERRAL.QUESTION_REQUIRED', 'the question');
      return [
        eventOf('VictimReferralInformationRequested', { ...command.data, questionId: questionIdAt((referral.record.questions ?? []).length), requestedAt: command.metadata.now }, command.metadata),
      ];
    case 'AnswerVictimReferralInformationRequest': {
      const { referralId, questionId, answer } = command.data;
      const question = referral.record.questions?.find((asked) => asked.questionId === questionId);
      if (!question) throw new DomainError('not-found', 'REFERRAL.NO_SUCH_QUESTION', 'the addressee asked no question with this id');
      if (question.answer !== undefined) throw new DomainError('illegal-state', 'REFERRAL.QUESTION_ALREADY_ANSWERED', 'this question has been answered');
      requireText(answer, 'REFERRAL.ANSWER_REQUIRED', 'the answer');
      return [eventOf('VictimReferralInformationProvided', { referralId, questionId, answer, providedAt: command.metadata.now }, command.metadata)];
    }
    default:
      return [decideStep(command)];
  }
}

/** A question's id: its place among the referral's questions, so ids need no source of randomness and old questions get theirs on read. */
function questionIdAt(index: number): string {
  return `q${index + 1}`;
}

function submit(command: SubmitVictimReferral, state: VictimReferralState): VictimReferralEvent {
  const { data, metadata } = command;
  requireNew(state, 'REFERRAL.ALREADY_SUBMITTED', 'this referral has already been submitted');
  if (!(REFERRING_KINDS as readonly string[]).includes(metadata.agencyKind)) {
    throw new DomainError('forbidden', 'REFERRAL.SUBMITTER_NOT_ALLOWED', 'only law enforcement and prosecutors submit victim referrals');
  }
  if (data.referredToAgencyId === metadata.agencyId) {
    throw new DomainError('validation', 'REFERRAL.SELF_REFERRAL', 'an agency cannot refer a victim to itself');
  }
  requireVictimServicesConsent(data, undefined, metadata);
  return eventOf(
    'VictimReferralSubmitted',
    { ...data, victim: recordVictim(data.victim, metadata), referringAgencyId: metadata.agencyId, submittedAt: metadata.now },
    metadata,
    VICTIM_REFERRAL_SUBMITTED_VERSION,
  );
}

/**
 * A referral of a person with immigration relief goes to the shelter only under 8 U.S.C. 1367(b)(7),
 * with her prior written consent: the submission carries it, so the shelter is entitled from the
 * first event. A correction that first gives a status needs it too (a referral stored before the rule
 * may be given it by a correction).
 */
function requireVictimServicesConsent(
  data: Pick<VictimReferralDetails, 'immigrationReliefStatus' | 'victimServicesConsent'>,
  before: VictimReferralRecord | undefined,
  metadata: CommandMetadata,
): void {
  const obtainedAt = data.victimServicesConsent?.writtenConsentObtainedAt;
  if (obtainedAt === undefined) {
    const required = data.immigrationReliefStatus !== 'none' && (before === undefined || before.immigrationReliefStatus === 'none');
    if (!required) return;
    throw new DomainError(
      'validation',
      'REFERRAL.VICTIM_SERVICES_CONSENT_REQUIRED',
      "a referral of a person with immigration relief needs the victim's prior written consent to it (8 U.S.C. 1367(b)(7)): victimServicesConsent",
    );
  }
  if (!isInstant(obtainedAt) || isAfter(obtainedAt, metadata.now)) {
    throw new DomainError('validation', 'REFERRAL.INVALID_CONSENT_TIME', 'victimServicesConsent.writtenConsentObtainedAt must be a date-time before now');
  }
}

function decideImmigrationConfidentiality(
  command: AuthorizeLawEnforcementDisclosure | RecordImmigrationWaiver | RecordImmigrationReliefDenial,
  referral: ExistingRecord<VictimReferralState>,
): VictimReferralEvent {
  const { metadata } = command;
  const confidentiality = referral.record.immigrationConfidentiality;
  if (referral.record.immigrationReliefStatus === 'none' || confidentiality?.finallyDenied) {
    throw new DomainError('illegal-state', 'REFERRAL.NOT_IMMIGRATION_PROTECTED', 'this referral carries no immigration relief under 8 U.S.C. 1367');
  }
  switch (command.type) {
    case 'AuthorizeLawEnforcementDisclosure': {
      if (metadata.agencyDepartment !== 'DHS') {
        throw new DomainError('forbidden', 'REFERRAL.NOT_DHS', 'only a DHS component authorizes a law enforcement disclosure (8 U.S.C. 1367(b)(2))');
      }
      const { referralId, recipientAgencyId, purpose, authorizingOfficial } = command.data;
      requireText(recipientAgencyId, 'REFERRAL.RECIPIENT_REQUIRED', 'the law enforcement agency the disclosure is for');
      requireText(purpose, 'REFERRAL.PURPOSE_REQUIRED', 'the legitimate law enforcement purpose');
      requireText(authorizingOfficial, 'REFERRAL.AUTHORIZING_OFFICIAL_REQUIRED', 'the DHS official who authorizes it');
      return eventOf(
        'LawEnforcementDisclosureAuthorized',
        { referralId, recipientAgencyId, purpose, authorizingOfficial, authorizingAgencyId: metadata.agencyId, authorizedAt: metadata.now },
        metadata,
      );
    }
    case 'RecordImmigrationWaiver': {
      if (referral.record.victim.isMinor) {
        throw new DomainError('illegal-state', 'REFERRAL.WAIVER_NEEDS_ADULT', 'only an adult waives 8 U.S.C. 1367 (b)(4)');
      }
      const { referralId, waivedInWritingAt } = command.data;
      if (!isInstant(waivedInWritingAt) || isAfter(waivedInWritingAt, metadata.now)) {
        throw new DomainError('validation', 'REFERRAL.INVALID_WAIVER_TIME', 'waivedInWritingAt must be a date-time before now');
      }
      return eventOf('ImmigrationConfidentialityWaived', { referralId, waivedInWritingAt, recordedAt: metadata.now }, metadata);
    }
    case 'RecordImmigrationReliefDenial': {
      if (metadata.agencyDepartment === undefined) {
        throw new DomainError('forbidden', 'REFERRAL.NOT_FEDERAL_DEPARTMENT', 'a final denial is recorded by a component of DHS, DOJ or State');
      }
      const { referralId, finallyDeniedOn } = command.data;
      if (!isCalendarDate(finallyDeniedOn) || finallyDeniedOn > metadata.now.slice(0, 10)) {
        throw new DomainError('validation', 'REFERRAL.INVALID_DENIAL_DATE', 'finallyDeniedOn must be a past date as YYYY-MM-DD');
      }
      return eventOf('ImmigrationReliefFinallyDenied', { referralId, finallyDeniedOn, recordedAt: metadata.now }, metadata);
    }
    default:
      return assertNever(command);
  }
}

type StepCommand = Exclude<
  LifecycleCommand,
  AuthorizeLawEnforcementDisclosure | RecordImmigrationWaiver | RecordImmigrationReliefDenial | RequestVictimReferralInformation | AnswerVictimReferralInformationRequest
>;

function decideStep(command: StepCommand): VictimReferralEvent {
  const { data, metadata } = command;
  switch (command.type) {
    case 'AcknowledgeVictimReferral':
      return eventOf('VictimReferralAcknowledged', { referralId: data.referralId, acknowledgedAt: metadata.now }, metadata);
    case 'AcceptVictimReferral':
      return eventOf('VictimReferralAccepted', { referralId: data.referralId, acceptedAt: metadata.now }, metadata);
    case 'DeclineVictimReferral':
      requireText(command.data.reason, 'REFERRAL.REASON_REQUIRED', 'a reason for declining');
      return eventOf('VictimReferralDeclined', { ...command.data, declinedAt: metadata.now }, metadata);
    case 'WithdrawVictimReferral':
      requireText(command.data.reason, 'REFERRAL.REASON_REQUIRED', 'a reason for withdrawing');
      return eventOf('VictimReferralWithdrawn', { ...command.data, withdrawnAt: metadata.now }, metadata);
    case 'UpdateVictimContact':
      return eventOf('VictimContactUpdated', { ...command.data, updatedAt: metadata.now }, metadata);
    case 'CorrectVictimReferral':
      return eventOf('VictimReferralCorrected', { ...command.data, victim: recordVictim(command.data.victim, metadata), correctedAt: metadata.now }, metadata);
    default:
      return assertNever(command);
  }
}

function recordVictim(victim: Victim, metadata: CommandMetadata): RecordedVictim {
  requireText(victim.familyName, 'REFERRAL.VICTIM_NAME_REQUIRED', "the victim's family name");
  if (!isBirthDate(victim.dateOfBirth, metadata.now)) {
    throw new DomainError('validation', 'REFERRAL.INVALID_DATE_OF_BIRTH', 'dateOfBirth must be a date as YYYY-MM-DD, from 1900 to today');
  }
  return { ...victim, isMinor: isMinorOn(victim.dateOfBirth, metadata.now) };
}

function evolve(state: VictimReferralState, event: VictimReferralEvent): VictimReferralState {
  if (event.type === 'VictimReferralSubmitted') {
    return { status: 'submitted', originatorAgencyId: event.data.referringAgencyId, record: event.data };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'VictimReferralAcknowledged':
      return { ...state, status: 'acknowledged', record: { ...state.record, acknowledgedAt: event.data.acknowledgedAt } };
    case 'VictimReferralInformationRequested': {
      const questions = state.record.questions ?? [];
      const { questionId = questionIdAt(questions.length), question, requestedAt } = event.data;
      return { ...state, status: 'information-requested', record: { ...state.record, openQuestion: question, questions: [...questions, { questionId, question, askedAt: requestedAt }] } };
    }
    case 'VictimReferralInformationProvided': {
      const { questionId, answer, providedAt } = event.data;
      const questions = (state.record.questions ?? []).map((asked) => (asked.questionId === questionId ? { ...asked, answer, answeredAt: providedAt } : asked));
      return answered(state, { ...state.record, questions });
    }
    case 'VictimReferralAccepted':
      return { ...state, status: 'accepted', record: { ...closeQuestion(state.record), acceptedAt: event.data.acceptedAt } };
    case 'VictimReferralDeclined':
      return { ...state, status: 'declined', record: { ...closeQuestion(state.record), declineReason: event.data.reason } };
    case 'VictimReferralWithdrawn':
      return { ...state, status: 'withdrawn', record: { ...closeQuestion(state.record), withdrawalReason: event.data.reason } };
    case 'VictimContactUpdated': {
      const { phone, preferredLanguages } = event.data;
      return answered(state, { ...state.record, victim: { ...state.record.victim, phone, preferredLanguages } });
    }
    case 'VictimReferralCorrected':
      return answered(state, { ...state.record, ...event.data });
    case 'LawEnforcementDisclosureAuthorized':
      return withConfidentiality(state, (current) => ({ ...current, lawEnforcementRecipientIds: [...current.lawEnforcementRecipientIds, event.data.recipientAgencyId] }));
    case 'ImmigrationConfidentialityWaived':
      return withConfidentiality(state, (current) => ({ ...current, waived: true }));
    case 'ImmigrationReliefFinallyDenied':
      return withConfidentiality(state, (current) => ({ ...current, finallyDenied: true }));
    default:
      return assertNever(event);
  }
}

const NO_EXCEPTION: ImmigrationConfidentialityRecord = { lawEnforcementRecipientIds: [], waived: false, finallyDenied: false };

function withConfidentiality(
  state: ExistingRecord<VictimReferralState>,
  change: (current: ImmigrationConfidentialityRecord) => ImmigrationConfidentialityRecord,
): VictimReferralState {
  return { ...state, record: { ...state.record, immigrationConfidentiality: change(state.record.immigrationConfidentiality ?? NO_EXCEPTION) } };
}

/** The sender's update answers an open question: the referral goes back to the addressee. */
function answered(state: ExistingRecord<VictimReferralState>, record: VictimReferralRecord): VictimReferralState {
  const status = state.status === 'information-requested' ? 'acknowledged' : state.status;
  return { ...state, status, record: closeQuestion(record) };
}

function closeQuestion({ openQuestion: _openQuestion, ...record }: VictimReferralRecord): VictimReferralRecord {
  return record;
}

const EVENT_SCHEMA_VERSIONS: EventSchemaVersions<VictimReferralEvent> = {
  VictimReferralSubmitted: [1, VICTIM_REFERRAL_SUBMITTED_VERSION],
  VictimReferralAcknowledged: [1],
  VictimReferralAccepted: [1],
  VictimReferralDeclined: [1],
  VictimReferralInformationRequested: [1],
  VictimReferralInformationProvided: [1],
  VictimReferralWithdrawn: [1],
  VictimContactUpdated: [1],
  VictimReferralCorrected: [1],
  LawEnforcementDisclosureAuthorized: [1],
  ImmigrationConfidentialityWaived: [1],
  ImmigrationReliefFinallyDenied: [1],
};

export const victimReferralDecider: Decider<VictimReferralCommand, VictimReferralEvent, VictimReferralState> = recordDecider({
  recordType: 'victim-referral',
  commandTypes: [
    'SubmitVictimReferral',
    'AcknowledgeVictimReferral',
    'AcceptVictimReferral',
    'DeclineVictimReferral',
    'RequestVictimReferralInformation',
    'AnswerVictimReferralInformationRequest',
    'WithdrawVictimReferral',
    'UpdateVictimContact',
    'CorrectVictimReferral',
    'AuthorizeLawEnforcementDisclosure',
    'RecordImmigrationWaiver',
    'RecordImmigrationReliefDenial',
  ],
  eventSchemaVersions: EVENT_SCHEMA_VERSIONS,
  upcasters: {
    VictimReferralSubmitted: (older) => upcastVictimReferralSubmittedV1(older as VictimReferralSubmittedV1),
  },
  downcasters: {
    VictimReferralSubmitted: { 1: downcastSubmissionDataToV1 },
  },
  decide,
  evolve,
});
