import { HeldQuestion } from './inbox.consumer';
import { InboxDetail, InboxSummary } from './inbox.store';
import { CallbackDto, DependentDto, InboxDetailDto, InboxItemDto } from './inbox-referrals.dto';

/** One note for every retraction: a retraction says nothing of its cause (a revoked consent, a narrowed policy, a sealing). */
export const RETRACTION_NOTE = 'The details of this referral were retracted: this agency may no longer hold them, so they were removed from the inbox.';

/** Who sent a referral, by the name the exchange knows the agency by. */
export type SenderNames = (agencyId: string) => string | undefined;

/** What a list shows of a referral: only values the agency received. */
export function inboxItem(summary: InboxSummary, senderNames: SenderNames): InboxItemDto {
  const { referral } = summary;
  const senderAgencyId = typeof referral.referringAgencyId === 'string' ? referral.referringAgencyId : null;
  const victim = isObject(referral.victim) ? referral.victim : {};
  const name = [victim.givenName, victim.familyName].filter((part): part is string => typeof part === 'string' && part !== '').join(' ');
  return {
    referralId: summary.referralId,
    status: summary.status,
    receivedAt: summary.receivedAt,
    updatedAt: summary.updatedAt,
    senderAgencyId,
    senderName: senderAgencyId ? (senderNames(senderAgencyId) ?? null) : null,
    ...(name ? { victimDisplayName: name } : {}),
    ...(typeof victim.isMinor === 'boolean' ? { minor: victim.isMinor } : {}),
    retracted: summary.retracted,
  };
}

/** The detail of a referral: everything received (never more), with its history, retractions, questions and consents. */
export function inboxDetail(detail: InboxDetail, senderNames: SenderNames): InboxDetailDto {
  const { questions, ...referral } = detail.referral;
  const item = inboxItem(detail, senderNames);
  return {
    ...item,
    recordVersion: detail.recordVersion,
    policyVersion: detail.policyVersion,
    sender: item.senderAgencyId ? { agencyId: item.senderAgencyId, name: item.senderName } : null,
    referral,
    ...(Array.isArray(referral.dependents) ? { dependents: referral.dependents as DependentDto[] } : {}),
    ...(isObject(referral.referringOfficer) ? { callback: referral.referringOfficer as CallbackDto } : {}),
    history: detail.history,
    retractions: detail.retractions.map(({ at }) => ({ at, note: RETRACTION_NOTE })),
    questions: Array.isArray(questions) ? (questions as HeldQuestion[]) : [],
    consents: detail.consents,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
