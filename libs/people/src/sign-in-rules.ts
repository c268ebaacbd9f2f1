/** Consecutive failed sign-ins to one username that lock it. */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MS = 15 * 60_000;
/** A session unused this long ends (idle expiry). */
export const SESSION_IDLE_MS = 30 * 60_000;
/** A session ends this long after sign-in, used or not (absolute expiry). */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;

/** The failures counted against a username after one more, and until when it is locked if that one locked it. */
export function afterFailure(failuresBefore: number, now: Date): { failures: number; lockedUntil: Date | undefined } {
  const failures = failuresBefore + 1;
  // A lock starts the count afresh: once it lifts, another full run of failures is needed to lock again.
  return failures >= LOCKOUT_THRESHOLD ? { failures: 0, lockedUntil: new Date(now.getTime() + LOCKOUT_MS) } : { failures, lockedUntil: undefined };
}

export function isLocked(lockedUntil: Date | undefined, now: Date): boolean {
  return lockedUntil !== undefined && lockedUntil.getTime() > now.getTime();
}

/** A session lives while it has been used within the idle limit and is younger than the absolute limit. */
export function isSessionLive(session: { readonly createdAt: Date; readonly lastSeenAt: Date }, now: Date): boolean {
  const at = now.getTime();
  return at - session.lastSeenAt.getTime() < SESSION_IDLE_MS && at - session.createdAt.getTime() < SESSION_ABSOLUTE_MS;
}
