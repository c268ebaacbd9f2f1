import { isCalendarDate, isInstant, isMinorOn } from './validation';

describe('dates in the domain', () => {
  it.each([
    ['2008-02-29', '2026-02-28T23:59:59Z', true],
    ['2008-02-29', '2026-03-01T00:00:00Z', false],
    ['2008-11-02', '2026-11-02T00:00:00Z', false],
    ['2008-11-02', '2026-11-01T23:59:59Z', true],
    ['2008-11-02', '2026-11-01T20:00:00-05:00', false],
  ])('someone born %s, at %s, is a minor: %s', (dateOfBirth, now, minor) => {
    expect(isMinorOn(dateOfBirth, now)).toBe(minor);
  });

  it.each([
    ['2024-02-29', true],
    ['2026-02-29', false],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['', false],
  ])('%s is a calendar date: %s', (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });

  it.each([
    ['2026-11-02T14:30:00.000Z', true],
    ['2026-11-02T14:30:00-06:00', true],
    ['2026-11-02', false],
    ['2026-11-02T14:30:00', false],
    ['soon', false],
  ])('%s is an instant: %s', (value, expected) => {
    expect(isInstant(value)).toBe(expected);
  });
});
