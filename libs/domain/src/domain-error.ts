/** How an error is meant to be answered; the HTTP edge maps each kind to one status. */
export type DomainErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  /** Refused for a while whoever asks (a username locked after repeated failed sign-ins). */
  | 'locked'
  | 'illegal-state'
  /** Not now: what the request needs is committed but not readable yet, and the same request may succeed in a moment. */
  | 'unavailable';

/** A refusal with a stable machine code, such as `REFERRAL.ALREADY_SUBMITTED`. */
export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
