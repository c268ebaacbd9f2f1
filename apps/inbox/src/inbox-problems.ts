import { ProblemAnswer, RATE_LIMITED } from '@crescent/runtime';

/** The answers of InboxAccessGuard, for every route behind it. */
export const INBOX_ACCESS_PROBLEMS: readonly ProblemAnswer[] = [
  [401, 'AUTH.NO_SESSION (no live session cookie; a read may send the agency\'s bearer token instead), AUTH.UNKNOWN_CREDENTIAL'],
  [403, 'AUTH.CSRF (a change without the session\'s X-CSRF-Token), INBOX.NOT_YOURS (another agency), PERSON.NOT_A_SUPERVISOR, AUTH.AGENCY_NOT_ACTIVE'],
  RATE_LIMITED,
];
