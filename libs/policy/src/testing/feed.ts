import { Agency, FieldRule, RecordEvent, RecordType, SharableRecordType, SharingPolicy } from '@crescent/domain';
import { DisclosureState, evolveDisclosureState, FeedEvent, initialDisclosureState } from '../disclosure-state';
import { projectForRecipient } from '../project-for-recipient';
import { PseudonymKeys } from '../transforms';

/**
 * The fixtures' records happen in Orleans Parish; every criminal justice agency here serves it, so
 * that tests of policies are not cut by need to know (28 CFR Part 23), which is tested on its own.
 */
export const HSI: Agency = { id: 'hsi-new-orleans', name: 'HSI New Orleans', kind: 'federal-law-enforcement', department: 'DHS', jurisdiction: ['Orleans'] };
export const SHERIFF: Agency = { id: 'st-bernard-sheriff', name: 'St. Bernard Sheriff', kind: 'local-law-enforcement', jurisdiction: ['St. Bernard', 'Orleans'] };
export const SHELTER: Agency = { id: 'bayou-haven-shelter', name: 'Bayou Haven', kind: 'victim-service-provider', jurisdiction: [] };
export const FBI: Agency = { id: 'fbi-new-orleans', name: 'FBI New Orleans', kind: 'federal-law-enforcement', department: 'DOJ', jurisdiction: ['Orleans'] };
export const PROSECUTOR: Agency = { id: 'orleans-parish-da', name: 'Orleans DA', kind: 'prosecutor', jurisdiction: ['Orleans'] };

export const KEYS: PseudonymKeys = (recipientAgencyId) => ({ keyId: 'k1', secret: Buffer.from(`secret-of-${recipientAgencyId}`) });

const ID_OF: Record<string, string> = {
  case: 'caseId',
  'victim-referral': 'referralId',
  'arrest-record': 'arrestRecordId',
  consent: 'consentId',
  agency: 'agencyId',
  'sharing-policy': 'policyId',
  subscription: 'subscriptionId',
};

/** Which record an event belongs to, from its type (every event names its record's id in its data). */
export function feedEventOf(event: RecordEvent): FeedEvent {
  const recordType: RecordType = event.type.startsWith('Case') || event.type === 'RecordLinkedToCase'
    ? 'case'
    : event.type.startsWith('Arrest') ? 'arrest-record'
    : event.type.startsWith('Consent') ? 'consent'
    : event.type.startsWith('Agency') ? 'agency'
    : event.type === 'SharingPolicyPublished' ? 'sharing-policy'
    : event.type.startsWith('Subscription') ? 'subscription'
    : 'victim-referral';
  return { recordType, recordId: String((event.data as unknown as Record<string, unknown>)[ID_OF[recordType]]), event };
}

export function stateOf(...events: RecordEvent[]): DisclosureState {
  return events.reduce((state, event) => evolveDisclosureState(state, feedEventOf(event)), initialDisclosureState);
}

/** Folds the history, then the event, and projects the event for the recipient under `policy` as a draft. */
export function project(event: RecordEvent, recipient: Agency, policy: SharingPolicy | undefined, ...history: RecordEvent[]) {
  const state = stateOf(...history, event);
  return projectForRecipient(feedEventOf(event), recipient, state, KEYS, { draft: policy });
}

export function policyOf(recordType: SharableRecordType, rules: FieldRule[], overrides: Partial<SharingPolicy> = {}): SharingPolicy {
  return { policyId: 'p', appliesTo: { agencyKind: 'federal-law-enforcement' }, recordType, purpose: 'investigation', addresseeOnly: false, rules, ...overrides };
}

/** Every dotted leaf path of a JSON value (arrays are leaves, as the engine treats them). */
export function leafPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return prefix ? [prefix] : [];
  return Object.keys(value).flatMap((key) => leafPaths((value as Record<string, unknown>)[key], prefix ? `${prefix}.${key}` : key));
}

/** Every path of a JSON object and its prefixes. */
export function allPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.keys(value).flatMap((key) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...allPaths((value as Record<string, unknown>)[key], path)];
  });
}

/** A permissive admin: include every path of the data, no condition. */
export function includeEverything(data: unknown): FieldRule[] {
  return leafPaths(data).map((path) => ({ path, action: 'include' }));
}
