import { DomainEvent } from '../decider';
import { GuardianRelationship } from '../values';
import { ConsentRecorded, Guardian } from './consent';

export const CONSENT_RECORDED_VERSION = 2;

/** Version 1: the guardian's relationship as typed. */
export type ConsentRecordedV1 = DomainEvent<
  'ConsentRecorded',
  Omit<ConsentRecorded['data'], 'guardian'> & { readonly guardian?: { readonly name: string; readonly relationship: string } }
>;

/** The words version 1 consents used, as typed (lower case, spaces and hyphens as one space). */
const TYPED_RELATIONSHIPS: Readonly<Record<string, GuardianRelationship>> = {
  mother: 'mother',
  mom: 'mother',
  mum: 'mother',
  father: 'father',
  dad: 'father',
  stepmother: 'stepmother',
  'step mother': 'stepmother',
  stepfather: 'stepfather',
  'step father': 'stepfather',
  grandmother: 'grandmother',
  grandma: 'grandmother',
  grandfather: 'grandfather',
  grandpa: 'grandfather',
  aunt: 'aunt',
  uncle: 'uncle',
  sister: 'sibling',
  brother: 'sibling',
  sibling: 'sibling',
  guardian: 'legal-guardian',
  'legal guardian': 'legal-guardian',
  'foster parent': 'foster-parent',
  'foster mother': 'foster-parent',
  'foster father': 'foster-parent',
};

/** A version 1 relationship as a word of the list; what is not recognised is `other-relative`. */
export function guardianRelationshipOf(typed: string): GuardianRelationship {
  const words = typed.trim().toLowerCase().replace(/[\s-]+/g, ' ');
  return Object.hasOwn(TYPED_RELATIONSHIPS, words) ? TYPED_RELATIONSHIPS[words] : 'other-relative';
}

/** v1 -> v2: the typed relationship becomes a word of the list. */
export function upcastConsentRecordedV1(event: ConsentRecordedV1): ConsentRecorded {
  const { guardian, ...data } = event.data;
  const upcastGuardian: Guardian | undefined = guardian && { name: guardian.name, relationship: guardianRelationshipOf(guardian.relationship) };
  return {
    type: event.type,
    data: { ...data, ...(upcastGuardian ? { guardian: upcastGuardian } : {}) },
    metadata: { ...event.metadata, schemaVersion: CONSENT_RECORDED_VERSION },
  };
}

/** v2 data to v1, whole or projected: a word of the list is valid free text, so nothing changes. */
export function downcastConsentRecordedDataToV1(data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return { ...data };
}
