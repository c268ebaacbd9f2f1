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
import { isCalendarDate, isMinorOn, requireText } from '../validation';
import {
  RecordedVictim,
  SubmitVictimReferral,
  Victim,
  VictimReferralCommand,
  VictimReferralEvent,
  VictimReferralRecord,
  VictimReferralState,
  VictimReferralStatus,
} from './victim-referral';
import {
  upcastVictimReferralSubmittedV1,
  VICTIM_REFERRAL_SUBMITTED_VERSION,
  VictimReferralSubmittedV1,
} from './victim-referral-submitted.versions';

const REFERRING_KINDS: readonly AgencyKind[] = ['federal-law-enforcement', 'local-law-enforcement', 'prosecutor'];

type LifecycleCommand = Exclude<VictimReferralCommand, SubmitVictimReferral>;

/** Who may take each step: the addressee answers a referral, the sender maintains it. */
const ACTOR: Record<LifecycleCommand['type'], 'addressee' | 'sender'> = {
  AcknowledgeVictimReferral: 'addressee',
  AcceptVictimReferral: 'addressee',
  DeclineVictimReferral: 'addressee',
  RequestVictimReferralInformation: 'addressee',
  WithdrawVictimReferral: 'sender',
  UpdateVictimContact: 'sender',
  CorrectVictimReferral: 'sender',
};

const OPEN: readonly VictimReferralStatus[] = ['submitted', 'acknowledged', 'information-requested'];

/**
 * The addressee acknowledges before it answers. Accepting or declining while a question is open is
 * allowed (the answer may have come by phone). The sender keeps contact details and corrections
 * current while the victim is being served, and either of them answers an open question.
 */
const ALLOWED_FROM: Record<LifecycleCommand['type'], readonly VictimReferralStatus[]> = {
  AcknowledgeVictimReferral: ['submitted'],
  AcceptVictimReferral: ['acknowledged', 'information-requested'],
  DeclineVictimReferral: ['acknowledged', 'information-requested'],
  RequestVictimReferralInformation: ['acknowledged'],
  WithdrawVictimReferral: OPEN,
  UpdateVictimContact: [...OPEN, 'accepted'],
  CorrectVictimReferral: [...OPEN, 'accepted'],
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
  if (ACTOR[command.type] === 'sender') {
    requireAgency(command.metadata, [referral.originatorAgencyId], 'REFERRAL.NOT_SENDER', 'only the referring agency may do this');
  } else {
    requireAgency(command.metadata, [referral.record.referredToAgencyId], 'REFERRAL.NOT_ADDRESSEE', 'only the addressee may do this');
  }
  requireStatus(referral.status, ALLOWED_FROM[command.type], REFUSALS);
  return [decideStep(command)];
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
  return eventOf(
    'VictimReferralSubmitted',
    { ...data, victim: recordVictim(data.victim, metadata), referringAgencyId: metadata.agencyId, submittedAt: metadata.now },
    metadata,
    VICTIM_REFERRAL_SUBMITTED_VERSION,
  );
}

function decideStep(command: LifecycleCommand): VictimReferralEvent {
  const { data, metadata } = command;
  switch (command.type) {
    case 'AcknowledgeVictimReferral':
      return eventOf('VictimReferralAcknowledged', { referralId: data.referralId, acknowledgedAt: metadata.now }, metadata);
    case 'AcceptVictimReferral':
      return eventOf('VictimReferralAccepted', { referralId: data.referralId, acceptedAt: metadata.now }, metadata);
    case 'DeclineVictimReferral':
      requireText(command.data.reason, 'REFERRAL.REASON_REQUIRED', 'a reason for declining');
      return eventOf('VictimReferralDeclined', { ...command.data, declinedAt: metadata.now }, metadata);
    case 'RequestVictimReferralInformation':
      requireText(command.data.question, 'REFERRAL.QUESTION_REQUIRED', 'the question');
      return eventOf('VictimReferralInformationRequested', { ...command.data, requestedAt: metadata.now }, metadata);
    case 'WithdrawVictimReferral':
      requireText(command.data.reason, 'REFERRAL.REASON_REQUIRED', 'a reason for withdrawing');
      return eventOf('VictimReferralWithdrawn', { ...command.data, withdrawnAt: metadata.now }, metadata);
    case 'UpdateVictimContact':
      return eventOf('VictimContactUpdated', { ...command.data, updatedAt: metadata.now }, metadata);
    case 'CorrectVictimReferral':
      return eventOf(
        'VictimReferralCorrected',
        { ...command.data, victim: recordVictim(command.data.victim, metadata), correctedAt: metadata.now },
        metadata,
      );
    default:
      return assertNever(command);
  }
}

function recordVictim(victim: Victim, metadata: CommandMetadata): RecordedVictim {
  requireText(victim.familyName, 'REFERRAL.VICTIM_NAME_REQUIRED', "the victim's family name");
  if (!isCalendarDate(victim.dateOfBirth) || victim.dateOfBirth > metadata.now.slice(0, 10)) {
    throw new DomainError('validation', 'REFERRAL.INVALID_DATE_OF_BIRTH', 'dateOfBirth must be a past date as YYYY-MM-DD');
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
    case 'VictimReferralInformationRequested':
      return { ...state, status: 'information-requested', record: { ...state.record, openQuestion: event.data.question } };
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
    default:
      return assertNever(event);
  }
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
  VictimReferralWithdrawn: [1],
  VictimContactUpdated: [1],
  VictimReferralCorrected: [1],
};

export const victimReferralDecider: Decider<VictimReferralCommand, VictimReferralEvent, VictimReferralState> = recordDecider({
  recordType: 'victim-referral',
  commandTypes: [
    'SubmitVictimReferral',
    'AcknowledgeVictimReferral',
    'AcceptVictimReferral',
    'DeclineVictimReferral',
    'RequestVictimReferralInformation',
    'WithdrawVictimReferral',
    'UpdateVictimContact',
    'CorrectVictimReferral',
  ],
  eventSchemaVersions: EVENT_SCHEMA_VERSIONS,
  upcasters: {
    VictimReferralSubmitted: (older) => upcastVictimReferralSubmittedV1(older as VictimReferralSubmittedV1),
  },
  decide,
  evolve,
});
