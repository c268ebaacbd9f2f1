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
