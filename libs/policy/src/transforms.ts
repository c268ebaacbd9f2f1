import { createHmac } from 'node:crypto';
import { Generalization } from '@crescent/domain';

/** A recipient's current pseudonym key; a new keyId (rotation) gives every value a new token. */
export type PseudonymKeys = (recipientAgencyId: string) => { readonly keyId: string; readonly secret: Uint8Array };

/** What a transform needs beyond the value: the event's time and the recipient's pseudonym key. */
export interface TransformContext {
  readonly now: string;
  readonly key: () => { readonly keyId: string; readonly secret: Uint8Array };
}

/** `undefined` when the value is not of the shape the transform takes: the field is then withheld, never passed through. */
export type Transform = (value: unknown, path: string, context: TransformContext) => unknown;

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Keeps the last `keepLast` characters: `+1 504 555 0142` -> `***********0142`. */
export function mask(value: unknown, keepLast = 4): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value);
  const kept = keepLast === 0 ? '' : text.slice(-keepLast);
  return '*'.repeat(text.length - kept.length) + kept;
}

/** `keyId:base64url(HMAC-SHA256(secret, path NUL JSON(value)))`: stable per recipient and key, unrelated across them. */
export function pseudonymize(value: unknown, path: string, key: { readonly keyId: string; readonly secret: Uint8Array }): string | undefined {
  if (value === undefined) return undefined;
  const digest = createHmac('sha256', key.secret).update(`${path}\0${JSON.stringify(value)}`).digest('base64url');
  return `${key.keyId}:${digest}`;
}

export const AGE_BANDS = [
  [0, 11, '0-11'],
  [12, 17, '12-17'],
  [18, 24, '18-24'],
  [25, 34, '25-34'],
  [35, 44, '35-44'],
  [45, 54, '45-54'],
  [55, 64, '55-64'],
  [65, Infinity, '65+'],
] as const;

/** Whole years between a `YYYY-MM-DD` birth date and the UTC calendar day of `now`. */
export function ageOn(dateOfBirth: string, now: string): number | undefined {
  const birth = CALENDAR_DATE.exec(dateOfBirth);
  const nowMs = Date.parse(now);
  if (!birth || Number.isNaN(nowMs)) return undefined;
  const today = new Date(nowMs).toISOString().slice(0, 10);
  const [year, month, day] = today.split('-');
  const age = Number(year) - Number(birth[1]) - (`${month}-${day}` < `${birth[2]}-${birth[3]}` ? 1 : 0);
  return age >= 0 ? age : undefined;
}

const GENERALIZERS: { readonly [To in Generalization]: (value: unknown, now: string) => unknown } = {
  'birth-year': (value) => (typeof value === 'string' && CALENDAR_DATE.test(value) ? value.slice(0, 4) : undefined),
  'age-band': (value, now) => {
    const age = typeof value === 'string' ? ageOn(value, now) : undefined;
    return age === undefined ? undefined : ageBandOf(age);
  },
  parish: (value) => {
    const parish = value !== null && typeof value === 'object' ? (value as { parish?: unknown }).parish : undefined;
    return typeof parish === 'string' ? parish : undefined;
  },
  day: (value) => {
    // Parsed once: `new Date(text)` would parse the text again, as Date.parse does.
    const time = typeof value === 'string' && INSTANT.test(value) ? Date.parse(value) : Number.NaN;
    return Number.isNaN(time) ? undefined : new Date(time).toISOString().slice(0, 10);
  },
  count: (value) => (Array.isArray(value) ? value.length : undefined),
  // Dependents as a shelter plans rooms with them: each one's relationship and age band, nothing else of them.
  'relationship-and-age-band': (value) => (Array.isArray(value) && value.every(isRelativeWithAge) ? value.map(({ relationship, age }) => ({ relationship, ageBand: ageBandOf(age) })) : undefined),
};

function isRelativeWithAge(value: unknown): value is { relationship: string; age: number } {
  const { relationship, age } = (value ?? {}) as { relationship?: unknown; age?: unknown };
  return typeof relationship === 'string' && typeof age === 'number' && Number.isInteger(age) && age >= 0;
}

function ageBandOf(age: number): string | undefined {
  return AGE_BANDS.find(([from, to]) => age >= from && age <= to)?.[2];
}

export function generalize(value: unknown, to: Generalization, now: string): unknown {
  return GENERALIZERS[to](value, now);
}

/** A deep copy of a JSON value, so a projection never shares arrays or objects with the event. */
export function copyJson(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyJson);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) if (key !== '__proto__') copy[key] = copyJson((value as Record<string, unknown>)[key]);
  return copy;
}
