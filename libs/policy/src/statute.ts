import { SharableRecordType } from '@crescent/domain';

/** How each statutory rule is named in the disclosure ledger. */
export const STATUTE = {
  vawa: 'VAWA 34 U.S.C. 12291(b)(2)',
  immigrationRelief: '8 U.S.C. 1367',
  sealed: 'sealed or expunged record',
  minorGuardian: 'minor consent without a non-suspect guardian',
} as const;

export type StatuteName = (typeof STATUTE)[keyof typeof STATUTE];

/**
 * VAWA personally identifying information of a victim, per record type: names, date of birth,
 * nationality, phone, where the victim was found, the household, a guardian. Case and arrest
 * records carry no victim PII (their victims are referenced by referral id only).
 */
export const VAWA_PII_PATHS: { readonly [Type in SharableRecordType]: readonly string[] } = {
  'victim-referral': [
    'victim.givenName',
    'victim.familyName',
    'victim.dateOfBirth',
    'victim.nationality',
    'victim.phone',
    'phone',
    'foundAt.description',
    'dependents',
  ],
  consent: ['guardian'],
  'arrest-record': [],
  case: [],
};

/** 8 U.S.C. 1367 immigration-relief information (T or U visa, continued presence, VAWA self-petition), and everything under it. */
export const IMMIGRATION_RELIEF_PATHS: { readonly [Type in SharableRecordType]: readonly string[] } = {
  'victim-referral': ['immigrationReliefStatus'],
  consent: [],
  'arrest-record': [],
  case: [],
};

/** Whether `path` is `protectedPath` or lies under it. */
export function isAtOrUnder(path: string, protectedPath: string): boolean {
  return path === protectedPath || path.startsWith(`${protectedPath}.`);
}
