import { afterFailure, isLocked, isSessionLive } from './sign-in-rules';

const at = (time: string) => new Date(`2026-11-02T${time}Z`);

describe('lockout', () => {
  it('counts four failures in a row without locking, and locks on the fifth for 15 minutes', () => {
    let failures = 0;
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      const outcome = afterFailure(failures, at('10:00:00'));
      expect(outcome).toEqual({ failures: attempt, lockedUntil: undefined });
      failures = outcome.failures;
    }
    expect(afterFailure(failures, at('10:00:00'))).toEqual({ failures: 0, lockedUntil: at('10:15:00') });
  });

  it('holds the lock until its end, not a moment after', () => {
    expect(isLocked(at('10:15:00'), at('10:14:59'))).toBe(true);
    expect(isLocked(at('10:15:00'), at('10:15:00'))).toBe(false);
    expect(isLocked(undefined, at('10:00:00'))).toBe(false);
  });
});

describe('session expiry', () => {
  const signedInAt = at('08:00:00');

  it('lives while used within 30 minutes', () => {
    expect(isSessionLive({ createdAt: signedInAt, lastSeenAt: at('09:00:00') }, at('09:29:59'))).toBe(true);
  });

  it('ends after 30 minutes unused', () => {
    expect(isSessionLive({ createdAt: signedInAt, lastSeenAt: at('09:00:00') }, at('09:30:00'))).toBe(false);
  });

  it('ends 12 hours after sign-in however often it is used', () => {
    expect(isSessionLive({ createdAt: signedInAt, lastSeenAt: at('19:59:00') }, at('19:59:59'))).toBe(true);
    expect(isSessionLive({ createdAt: signedInAt, lastSeenAt: at('19:59:00') }, at('20:00:00'))).toBe(false);
  });
});
