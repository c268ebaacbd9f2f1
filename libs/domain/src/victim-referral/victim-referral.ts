import { DomainCommand, DomainEvent, RecordView } from '../decider';
import { RecordState } from '../record-state';
import { Officer, Place } from '../values';

export const IMMIGRATION_RELIEF_STATUSES = [
  'none',
  't-visa-applicant',
  'u-visa-applicant',
  'continued-presence',
  'vawa-self-petitioner',
] as const;
export type ImmigrationReliefStatus = (typeof IMMIGRATION_RELIEF_STATUSES)[number];

/**
 * The victim's prior written consent to this referral under 8 U.S.C. 1367(b)(7): disclosure to a
 * nonprofit victim service provider for the sole purpose of helping her obtain victim services.
 * A referral of a person with immigration relief (any status but `none`) must carry it.
 */
export interface VictimServicesConsent {
  /** When the victim gave her written consent: before the referral. */
  readonly writtenConsentObtainedAt: string;
}

export const REFERRAL_NEEDS = ['shelter', 'legal', 'medical', 'interpreter', 'counseling', 'case-management'] as const;
export type ReferralNeed = (typeof REFERRAL_NEEDS)[number];

export interface Victim {
  readonly givenName: string;
  readonly familyName: string;
  /** `YYYY-MM-DD`. */
  readonly dateOfBirth: string;
  readonly nationality: string;
  readonly phone: string;
  /** Most preferred first, as BCP 47 tags (`es`, `en`). */
  readonly preferredLanguages: readonly string[];
}

/** The victim as the events record them: flagged as a minor at the time of submission or correction. */
export interface RecordedVictim extends Victim {
  readonly isMinor: boolean;
}

export interface Dependent {
  readonly relationship: string;
  readonly age: number;
}

export type ReferringOfficer = Officer;

/** Everything a referral carries, as the referring agency wrote it. */
export interface VictimReferralDetails {
  readonly referralId: string;
  /** The victim service provider the referral is addressed to. */
  readonly referredToAgencyId: string;
  readonly victim: Victim;
  readonly immigrationReliefStatus: ImmigrationReliefStatus;
  readonly needs: readonly ReferralNeed[];
  readonly dependents: readonly Dependent[];
  readonly foundAt: Place;
  readonly referringOfficer: ReferringOfficer;
  /**
   * Required when `immigrationReliefStatus` is not `none`. Like the status it is 8 U.S.C. 1367
   * information: it reaches no agency outside DHS, DOJ and State but the addressee it names.
   */
  readonly victimServicesConsent?: VictimServicesConsent;
}

/** What a sender may correct: everything but the addressee (a different addressee is a new referral). */
export type VictimReferralCorrection = Omit<VictimReferralDetails, 'referredToAgencyId'>;

export interface VictimContact {
  readonly phone: string;
  readonly preferredLanguages: readonly string[];
}

type WithRecordedVictim<T extends { readonly victim: Victim }> = Omit<T, 'victim'> & { readonly victim: RecordedVictim };

export type SubmitVictimReferral = DomainCommand<'SubmitVictimReferral', VictimReferralDetails>;
export type AcknowledgeVictimReferral = DomainCommand<'AcknowledgeVictimReferral', { readonly referralId: string }>;
export type AcceptVictimReferral = DomainCommand<'AcceptVictimReferral', { readonly referralId: string }>;
export type DeclineVictimReferral = DomainCommand<'DeclineVictimReferral', { readonly referralId: string; readonly reason: string }>;
export type RequestVictimReferralInformation = DomainCommand<
  'RequestVictimReferralInformation',
  { readonly referralId: string; readonly question: string }
>;
/** The sender answers one of the addressee's questions, named by the id the question was given. */
export type AnswerVictimReferralInformationRequest = DomainCommand<
  'AnswerVictimReferralInformationRequest',
  { readonly referralId: string; readonly questionId: string; readonly answer: string }
>;
export type WithdrawVictimReferral = DomainCommand<'WithdrawVictimReferral', { readonly referralId: string; readonly reason: string }>;
export type UpdateVictimContact = DomainCommand<'UpdateVictimContact', VictimContact & { readonly referralId: string }>;
export type CorrectVictimReferral = DomainCommand<'CorrectVictimReferral', VictimReferralCorrection>;
/** 8 U.S.C. 1367(b)(2): the DHS component that referred the victim authorizes a disclosure to a named law enforcement agency. */
export type AuthorizeLawEnforcementDisclosure = DomainCommand<
  'AuthorizeLawEnforcementDisclosure',
  { readonly referralId: string; readonly recipientAgencyId: string; readonly purpose: string; readonly authorizingOfficial: string }
>;
/** 8 U.S.C. 1367(b)(4): the adult victim waives the section's protection. */
export type RecordImmigrationWaiver = DomainCommand<'RecordImmigrationWaiver', { readonly referralId: string; readonly waivedInWritingAt: string }>;
/** 8 U.S.C. 1367(a)(2), last sentence: the application was denied and all appeals exhausted, so the protection ends. */
export type RecordImmigrationReliefDenial = DomainCommand<'RecordImmigrationReliefDenial', { readonly referralId: string; readonly finallyDeniedOn: string }>;

export type VictimReferralCommand =
  | SubmitVictimReferral
  | AcknowledgeVictimReferral
  | AcceptVictimReferral
  | DeclineVictimReferral
  | RequestVictimReferralInformation
  | AnswerVictimReferralInformationRequest
  | WithdrawVictimReferral
  | UpdateVictimContact
  | CorrectVictimReferral
  | AuthorizeLawEnforcementDisclosure
  | RecordImmigrationWaiver
  | RecordImmigrationReliefDenial;

/** Schema version 2: the victim's name split in two, `preferredLanguages`, and the minor flag. */
export type VictimReferralSubmitted = DomainEvent<
  'VictimReferralSubmitted',
  WithRecordedVictim<VictimReferralDetails> & { readonly referringAgencyId: string; readonly submittedAt: string }
>;
export type VictimReferralAcknowledged = DomainEvent<
  'VictimReferralAcknowledged',
  { readonly referralId: string; readonly acknowledgedAt: string }
>;
export type VictimReferralAccepted = DomainEvent<'VictimReferralAccepted', { readonly referralId: string; readonly acceptedAt: string }>;
export type VictimReferralDeclined = DomainEvent<
  'VictimReferralDeclined',
  { readonly referralId: string; readonly reason: string; readonly declinedAt: string }
>;
/** `questionId` since questions are answered; one stored before has none, and takes its place's (q1, q2, … in order) when read. */
export type VictimReferralInformationRequested = DomainEvent<
  'VictimReferralInformationRequested',
  { readonly referralId: string; readonly questionId?: string; readonly question: string; readonly requestedAt: string }
>;
export type VictimReferralInformationProvided = DomainEvent<
  'VictimReferralInformationProvided',
  { readonly referralId: string; readonly questionId: string; readonly answer: string; readonly providedAt: string }
>;
export type VictimReferralWithdrawn = DomainEvent<
  'VictimReferralWithdrawn',
  { readonly referralId: string; readonly reason: string; readonly withdrawnAt: string }
>;
export type VictimContactUpdated = DomainEvent<
  'VictimContactUpdated',
  VictimContact & { readonly referralId: string; readonly updatedAt: string }
>;
export type VictimReferralCorrected = DomainEvent<
  'VictimReferralCorrected',
  WithRecordedVictim<VictimReferralCorrection> & { readonly correctedAt: string }
>;

/**
 * The events that say a person has applied for or holds immigration relief, and on what terms its
 * information may leave DHS, DOJ and State: they reach no agency outside those departments. (The
 * (b)(7) consent travels inside the submission, so the shelter is entitled from the first event.)
 */
export type LawEnforcementDisclosureAuthorized = DomainEvent<
  'LawEnforcementDisclosureAuthorized',
  AuthorizeLawEnforcementDisclosure['data'] & { readonly authorizingAgencyId: string; readonly authorizedAt: string }
>;
export type ImmigrationConfidentialityWaived = DomainEvent<
  'ImmigrationConfidentialityWaived',
  RecordImmigrationWaiver['data'] & { readonly recordedAt: string }
>;
export type ImmigrationReliefFinallyDenied = DomainEvent<
  'ImmigrationReliefFinallyDenied',
  RecordImmigrationReliefDenial['data'] & { readonly recordedAt: string }
>;

export const IMMIGRATION_CONFIDENTIALITY_EVENT_TYPES = [
  'LawEnforcementDisclosureAuthorized',
  'ImmigrationConfidentialityWaived',
  'ImmigrationReliefFinallyDenied',
] as const;

/**
 * What a victim service provider does with a referral: the fact and content of the services a victim
 * requested, used or was denied (34 U.S.C. 12291(b)(2)), which reach no other agency without her consent.
 */
export const VICTIM_SERVICE_EVENT_TYPES = [
  'VictimReferralAcknowledged',
  'VictimReferralAccepted',
  'VictimReferralDeclined',
  'VictimReferralInformationRequested',
] as const;

/** The consent field that releases a referral's service events (its status updates) to a named recipient. */
export const REFERRAL_STATUS_CONSENT_FIELD = 'status';

const SERVICE_STATUSES: readonly VictimReferralStatus[] = ['acknowledged', 'information-requested', 'accepted', 'declined'];

/**
 * The referral as its sender reads it without the victim's consent to status updates: what the
 * provider did with it (acknowledged, asked, accepted, declined, and when and why) left out, its status
 * as the sender left it. VAWA, 34 U.S.C. 12291(b)(2).
 */
export function withoutVictimServices(view: RecordView): RecordView {
  const { acknowledgedAt: _acknowledged, openQuestion: _question, acceptedAt: _accepted, declineReason: _reason, ...record } = view.record;
  const status = (SERVICE_STATUSES as readonly string[]).includes(view.status) ? 'submitted' : view.status;
  return { ...view, status, record };
}

export type VictimReferralEvent =
  | VictimReferralSubmitted
  | VictimReferralAcknowledged
  | VictimReferralAccepted
  | VictimReferralDeclined
  | VictimReferralInformationRequested
  | VictimReferralInformationProvided
  | VictimReferralWithdrawn
  | VictimContactUpdated
  | VictimReferralCorrected
  | LawEnforcementDisclosureAuthorized
  | ImmigrationConfidentialityWaived
  | ImmigrationReliefFinallyDenied;

export type VictimReferralStatus =
  | 'submitted'
  | 'acknowledged'
  | 'information-requested'
  | 'accepted'
  | 'declined'
  | 'withdrawn';

/** The referral as it stands: the latest details plus where its lifecycle has got to. */
export interface VictimReferralRecord extends Omit<VictimReferralSubmitted['data'], never> {
  readonly acknowledgedAt?: string;
  /** The addressee's question while it awaits the sender's answer (a correction or contact update). */
  readonly openQuestion?: string;
  /**
   * Every question the addressee asked the sender, with the sender's answer once given. The provider
   * chose to send them to the sender, so the sender reads them (VAWA, 34 U.S.C. 12291(b)(2)).
   */
  readonly questions?: readonly ReferralQuestion[];
  readonly acceptedAt?: string;
  readonly declineReason?: string;
  readonly withdrawalReason?: string;
  readonly correctedAt?: string;
  /** 8 U.S.C. 1367 exceptions and the protection's end, as recorded. */
  readonly immigrationConfidentiality?: ImmigrationConfidentialityRecord;
}

export interface ReferralQuestion {
  readonly questionId: string;
  readonly question: string;
  readonly askedAt: string;
  readonly answer?: string;
  readonly answeredAt?: string;
}

/** Besides the (b)(7) consent to the addressee, which the referral itself carries. */
export interface ImmigrationConfidentialityRecord {
  /** (b)(2): the law enforcement agencies a disclosure was authorized for. */
  readonly lawEnforcementRecipientIds: readonly string[];
  readonly waived: boolean;
  readonly finallyDenied: boolean;
}

export type VictimReferralState = RecordState<VictimReferralStatus, VictimReferralRecord>;
