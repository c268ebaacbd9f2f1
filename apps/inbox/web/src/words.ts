/** The words a caseworker reads for the exchange's codes. */

export const STATUS_WORDS: Record<string, string> = {
  received: 'New',
  acknowledged: 'Acknowledged',
  'information-requested': 'Waiting for an answer',
  accepted: 'Accepted',
  declined: 'Declined',
  withdrawn: 'Withdrawn by the sender',
};

export const statusWords = (status: string) => STATUS_WORDS[status] ?? status;

const FIELD_WORDS: Record<string, string> = {
  referralId: 'Referral number',
  referringAgencyId: 'Sent by',
  submittedAt: 'Sent on',
  'victim.givenName': 'First name',
  'victim.familyName': 'Last name',
  'victim.phone': 'Phone',
  'victim.preferredLanguages': 'Languages',
  'victim.nationality': 'Nationality',
  'victim.isMinor': 'Under 18',
  needs: 'Needs',
  dependents: 'Children and other dependents',
  'foundAt.description': 'Where she was found',
  'foundAt.parish': 'Parish',
  'referringOfficer.name': 'Referring officer',
  'referringOfficer.phone': "Officer's work phone",
  'referringOfficer.badgeNumber': "Officer's badge",
  phone: 'Phone',
  preferredLanguages: 'Languages',
};

/** A received field's name in words; an unknown one by its path, never dropped. */
export const fieldWords = (path: string) => FIELD_WORDS[path] ?? path;

const NEED_WORDS: Record<string, string> = {
  shelter: 'a safe place to stay',
  legal: 'legal help',
  interpreter: 'an interpreter',
  medical: 'medical care',
  counseling: 'counseling',
  'case-management': 'case management',
};

const LANGUAGE_WORDS: Record<string, string> = { es: 'Spanish', en: 'English', fr: 'French', vi: 'Vietnamese', pt: 'Portuguese', ht: 'Haitian Creole' };

/** A received value as a sentence part: lists joined, codes in words, times in local time. */
export function valueWords(path: string, value: unknown): string {
  if (Array.isArray(value)) {
    const words = path.endsWith('needs') ? NEED_WORDS : path.endsWith('preferredLanguages') ? LANGUAGE_WORDS : {};
    return value.map((item) => (typeof item === 'string' ? (words[item] ?? item) : JSON.stringify(item))).join(', ');
  }
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return new Date(value).toLocaleString();
  return String(value);
}

export const CONSENT_PURPOSES = [
  { value: 'victim-services', label: 'Help with services' },
  { value: 'investigation', label: 'The investigation' },
  { value: 'prosecution', label: 'Prosecution' },
  { value: 'health-care', label: 'Health care' },
  { value: 'legal-services', label: 'Legal help' },
] as const;

/** What a victim may agree to share, in her words; `status` releases what the shelter did with the referral. */
export const CONSENT_FIELDS = [
  { value: 'status', label: 'Updates on her referral (acknowledged, accepted, declined, questions)' },
  { value: 'victim.givenName', label: 'First name' },
  { value: 'victim.familyName', label: 'Last name' },
  { value: 'victim.phone', label: 'Phone' },
  { value: 'victim.preferredLanguages', label: 'Languages' },
  { value: 'needs', label: 'Needs' },
] as const;

export const GUARDIAN_RELATIONSHIPS = ['mother', 'father', 'stepmother', 'stepfather', 'grandmother', 'grandfather', 'aunt', 'uncle', 'sibling', 'legal-guardian', 'foster-parent', 'other-relative'] as const;
