/** Value shapes several records share. */

export interface Place {
  readonly description: string;
  readonly parish: string;
}

export interface Officer {
  readonly name: string;
  readonly badgeNumber: string;
  readonly phone: string;
}

/**
 * How a person stands to a minor victim: a consent's guardian, and an arrestee in the victim's matter.
 * A closed list, so that a guardian turned suspect is found by the record that says so, never by
 * comparing names as typed (34 U.S.C. 12291(b)(2): a minor's guardian may not be her abuser).
 */
export const GUARDIAN_RELATIONSHIPS = [
  'mother',
  'father',
  'stepmother',
  'stepfather',
  'grandmother',
  'grandfather',
  'aunt',
  'uncle',
  'sibling',
  'legal-guardian',
  'foster-parent',
  'other-relative',
] as const;
export type GuardianRelationship = (typeof GUARDIAN_RELATIONSHIPS)[number];

export function isGuardianRelationship(value: unknown): value is GuardianRelationship {
  return (GUARDIAN_RELATIONSHIPS as readonly unknown[]).includes(value);
}
