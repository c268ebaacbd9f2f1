import { DomainError } from './domain-error';

/** Data rules the domain owns; the edges validate shapes too, but a command from any edge must pass these. */
export function requireText(value: unknown, code: string, what: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new DomainError('validation', code, `${what} is required`);
  }
}

export function requireSome(values: readonly unknown[] | undefined, code: string, what: string): void {
  if (!Array.isArray(values) || values.length === 0) {
    throw new DomainError('validation', code, `at least one ${what} is required`);
  }
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** A real `YYYY-MM-DD` date: `2026-02-30` is not one. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !CALENDAR_DATE.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
}

/** An ISO 8601 date-time with an offset, as `metadata.now` is. */
export function isInstant(value: unknown): value is string {
  return typeof value === 'string' && INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

export function isAfter(instant: string, reference: string): boolean {
  return Date.parse(instant) > Date.parse(reference);
}

/**
 * Under 18 on the UTC calendar day of `now`. Comparing `YYYY-MM-DD` strings keeps it exact:
 * someone born on 29 February comes of age on 1 March in a common year.
 */
export function isMinorOn(dateOfBirth: string, now: string): boolean {
  const [year, month, day] = dateOfBirth.split('-');
  const eighteenthBirthday = `${String(Number(year) + 18).padStart(4, '0')}-${month}-${day}`;
  return new Date(now).toISOString().slice(0, 10) < eighteenthBirthday;
}

/** Characters no one types into a name or a note: controls (but tab and line breaks) and bidirectional formatting (U+202A-U+202E, U+2066-U+2069). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

/** The rule every text of a command follows, in words: the HTTP contract says it too. */
export const PLAIN_TEXT_RULE =
  'refused (never normalized) when blank, or holding a control character (tab and line breaks aside) or a bidirectional formatting character (U+202A-U+202E, U+2066-U+2069)';

export function isPlainText(value: string): boolean {
  return /\S/.test(value) && !UNSAFE_CHARACTER.test(value);
}

const EARLIEST_PLAUSIBLE = Date.parse('1900-01-01T00:00:00Z');
const PLAUSIBLE_YEARS_AHEAD = 10;

/** The dates the domain believes, in words. */
export const PLAUSIBLE_DATE_RULE = `from 1900 to ${PLAUSIBLE_YEARS_AHEAD} years after now`;

/** A `YYYY-MM-DD` date or an instant from 1900 to ten years after `now`: anything else is a typing slip or a probe. */
export function isPlausibleDate(value: string, now: string): boolean {
  const time = Date.parse(CALENDAR_DATE.test(value) ? `${value}T00:00:00Z` : value);
  const latest = new Date(now);
  latest.setUTCFullYear(latest.getUTCFullYear() + PLAUSIBLE_YEARS_AHEAD);
  return time >= EARLIEST_PLAUSIBLE && time <= latest.getTime();
}

/** A date of birth: a real calendar date, from 1900, not after the day of `now`. */
export function isBirthDate(value: unknown, now: string): value is string {
  return isCalendarDate(value) && isPlausibleDate(value, now) && value <= now.slice(0, 10);
}

/** Deeper than any command's data goes (a policy rule's condition lists are 4 levels down). */
const MAX_DATA_DEPTH = 8;

/**
 * Rules every command's data follows, whichever edge it came through and whatever its type: each
 * text plain, each date plausible, lists of one kind and never of lists, bounded nesting. The first
 * problem is reported by its path (keys the edge's validation let through; never a value).
 */
export function requireSoundData(data: unknown, now: string): void {
  const problem = dataProblem(data, now, '', 0);
  if (problem) throw new DomainError('validation', problem[0], problem[1]);
}

function dataProblem(value: unknown, now: string, path: string, depth: number): [code: string, message: string] | undefined {
  const at = path || 'the data';
  if (typeof value === 'string') {
    if (!isPlainText(value)) return ['DATA.INVALID_TEXT', `the text at ${at} is ${PLAIN_TEXT_RULE}`];
    const dated = CALENDAR_DATE.test(value) || INSTANT.test(value);
    if (dated && !isPlausibleDate(value, now)) return ['DATA.IMPLAUSIBLE_DATE', `the date at ${at} must be ${PLAUSIBLE_DATE_RULE}`];
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= MAX_DATA_DEPTH) return ['DATA.TOO_DEEP', `${at} nests deeper than ${MAX_DATA_DEPTH} levels`];
  const entries = Object.entries(value);
  if (Array.isArray(value)) {
    const kinds = new Set(value.map((element) => (Array.isArray(element) ? 'array' : element === null ? 'null' : typeof element)));
    if (kinds.has('array') || kinds.has('null') || kinds.size > 1) {
      return ['DATA.INVALID_LIST', `the list at ${at} must hold values of one kind, none of them a list or null`];
    }
  }
  for (const [key, field] of entries) {
    const problem = dataProblem(field, now, `${path}/${key}`, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}
