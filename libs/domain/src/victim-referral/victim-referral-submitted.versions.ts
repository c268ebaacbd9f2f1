import { DomainEvent } from '../decider';
import { isMinorOn } from '../validation';
import { RecordedVictim, Victim, VictimReferralSubmitted } from './victim-referral';

export const VICTIM_REFERRAL_SUBMITTED_VERSION = 2;

/** Version 1 of the victim: one free-text name and unordered `languages`, no minor flag. */
export interface VictimV1 {
  readonly name: string;
  readonly dateOfBirth: string;
  readonly nationality: string;
  readonly phone: string;
  readonly languages: readonly string[];
}

export type VictimReferralSubmittedV1 = DomainEvent<
  'VictimReferralSubmitted',
  Omit<VictimReferralSubmitted['data'], 'victim'> & { readonly victim: VictimV1 }
>;

/**
 * Splits a version 1 name: whitespace is collapsed, the last word is the family name and the words
 * before it the given name. A single word is taken as the family name with an empty given name,
 * as ICAO 9303 travel documents record a mononym. Multi-word family names (`de la Cruz`) cannot be
 * told apart from given names here; the sender corrects those with CorrectVictimReferral.
 */
export function splitVictimName(name: string): Pick<Victim, 'givenName' | 'familyName'> {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return { givenName: words.slice(0, -1).join(' '), familyName: words.at(-1) ?? '' };
}

/** v1 -> v2: the minor flag is computed as the decider would have, on the day of submission. */
export function upcastVictimReferralSubmittedV1(event: VictimReferralSubmittedV1): VictimReferralSubmitted {
  const { name, languages, ...victim } = event.data.victim;
  return {
    type: event.type,
    data: {
      ...event.data,
      victim: {
        ...splitVictimName(name),
        ...victim,
        preferredLanguages: [...languages],
        isMinor: isMinorOn(victim.dateOfBirth, event.data.submittedAt),
      },
    },
    metadata: { ...event.metadata, schemaVersion: VICTIM_REFERRAL_SUBMITTED_VERSION },
  };
}

/** v2 -> v1, for subscribers pinned to version 1: the name is rejoined and the minor flag dropped. */
export function downcastVictimReferralSubmittedToV1(event: VictimReferralSubmitted): VictimReferralSubmittedV1 {
  return {
    type: event.type,
    data: downcastSubmissionDataToV1(event.data) as VictimReferralSubmittedV1['data'],
    metadata: { ...event.metadata, schemaVersion: 1 },
  };
}

/**
 * v2 data to v1, whole or as a recipient's projection: only what is there is renamed, nothing is
 * added, so a downcast projection never discloses more than the v2 one.
 */
export function downcastSubmissionDataToV1(data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const victim = data.victim as Partial<RecordedVictim> | undefined;
  if (victim === null || typeof victim !== 'object') return { ...data };
  const { givenName, familyName, preferredLanguages, isMinor: _isMinor, ...rest } = victim;
  const names = [givenName, familyName].filter((part): part is string => typeof part === 'string' && part !== '');
  return {
    ...data,
    victim: {
      ...(names.length > 0 || (givenName !== undefined && familyName !== undefined) ? { name: names.join(' ') } : {}),
      ...rest,
      ...(preferredLanguages ? { languages: [...preferredLanguages] } : {}),
    },
  };
}
