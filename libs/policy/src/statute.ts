import { SharableRecordType } from '@crescent/domain';

/** How each statutory rule is named in the disclosure ledger. */
export const STATUTE = {
  vawa: 'VAWA 34 U.S.C. 12291(b)(2)',
  immigrationRelief: '8 U.S.C. 1367',
  sealed: 'sealed or expunged record',
  minorGuardian: 'minor consent without a non-suspect guardian',
  needToKnow: '28 CFR 23.20(e) need to know',
} as const;

export type StatuteName = (typeof STATUTE)[keyof typeof STATUTE];

/**
 * VAWA personally identifying information and individual information of a victim (34 U.S.C.
 * 12291(a), (b)(2)), per record type: names, date of birth, nationality, phone, languages, whether
 * she is a minor, the services she needs, where she was found (anything of it locates her), the
 * household, a guardian. Case and arrest records carry no victim PII (their victims are referenced by
 * referral id only).
 */
export const VAWA_PII_PATHS: { readonly [Type in SharableRecordType]: readonly string[] } = {
  'victim-referral': [
    'victim.givenName',
    'victim.familyName',
    'victim.dateOfBirth',
    'victim.nationality',
    'victim.phone',
    'victim.preferredLanguages',
    'victim.isMinor',
    'phone',
    'preferredLanguages',
    'needs',
    'foundAt',
    'dependents',
  ],
  consent: ['guardian'],
  'arrest-record': [],
  case: [],
};

/**
 * An arrest record's finding that its arrestee is the victims' mother, uncle, guardian: it tells
 * of the victims' family, so it goes only where a policy names it (default deny), never with
 * a protected victim's references (below), and its own event says nothing when it is withheld.
 */
export const ARRESTEE_RELATIONSHIP_PATH = 'arrestee.relationshipToVictim';

/**
 * 8 U.S.C. 1367 information inside records that reach recipients outside DHS, DOJ and State: a
 * referral's immigration-relief status (whatever it is, so that `none` cannot be told from a
 * status) and the victim's (b)(7) consent that comes with it, and an arrest record's references to
 * the victims' referrals and the arrestee's relationship to them when one of them is protected.
 */
export const IMMIGRATION_RELIEF_PATHS: { readonly [Type in SharableRecordType]: readonly string[] } = {
  'victim-referral': ['immigrationReliefStatus', 'victimServicesConsent'],
  consent: [],
  'arrest-record': ['victimReferralIds', ARRESTEE_RELATIONSHIP_PATH],
  case: [],
};

/** Whether `path` is `protectedPath` or lies under it. */
export function isAtOrUnder(path: string, protectedPath: string): boolean {
  return path === protectedPath || path.startsWith(`${protectedPath}.`);
}
