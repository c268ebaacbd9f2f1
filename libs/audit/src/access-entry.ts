import { DomainError, RECORD_TYPES, RecordType } from '@crescent/domain';
import { isCanonicalInstant } from '@crescent/ledger';

/** What kind of access an entry records; one request or inbound command is one entry. */
export const ACCESS_CATEGORIES = [
  /** A request refused for want of valid credentials (401); a successful one shows as the principal of its entry. */
  'authentication',
  'record-read',
  'record-write',
  'admin-read',
  'admin-change',
  'audit-read',
  'ledger-read',
  /** A request no route matched: nothing was read, but someone asked. */
  'unknown-route',
] as const;
export type AccessCategory = (typeof ACCESS_CATEGORIES)[number];

/** `denied`: refused for who is asking (401, 403, 429); `failed`: refused for anything else, or never answered. */
export const ACCESS_OUTCOMES = ['success', 'denied', 'failed'] as const;
export type AccessOutcome = (typeof ACCESS_OUTCOMES)[number];

export type Principal = `agency:${string}` | `person:${string}` | 'admin' | 'anonymous';

/** A principal: an authenticated agency, a person signed in (caseworker, supervisor, administrator), the administrators' token, or nobody known. */
export const PRINCIPAL = /^(agency:[a-z0-9][a-z0-9-]{1,62}|person:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|admin|anonymous)$/;
/** A route pattern (never a path with its values filled in, never a query string) or an inbound command type. */
const ACTION = /^((GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (\/[^\s?]*|\(no route\))|kafka:[A-Za-z]{1,100})$/;
/** The person of an agency who took a step, as its system names them: `person:<uuid>`. */
export const PERSON_REFERENCE = /^person:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Record ids are uuids or slugs: anything else in a path is not recorded. */
export const RECORD_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const CODE = /^[A-Z0-9_.]{1,100}$/;
const SOURCE = /^\S{1,255}$/;

/**
 * One access: who did what to which record, when, from where, and how it ended. Identifiers and
 * codes only: never a field value, a query string or a credential.
 */
export interface AccessEntry {
  readonly id: string;
  /** An ISO-8601 UTC instant as `Date#toISOString` writes it, so text order is time order. */
  readonly at: string;
  readonly principal: Principal;
  /** `GET /v1/referrals/:id`, or `kafka:<CommandType>` for an inbound command. */
  readonly action: string;
  readonly category: AccessCategory;
  readonly recordType: RecordType | null;
  readonly recordId: string | null;
  /** The client's address, or the inbound topic a command came from. */
  readonly source: string;
  readonly outcome: AccessOutcome;
  /** The HTTP status; null for an inbound command or a request the client abandoned. */
  readonly status: number | null;
  /** The problem code of a refusal. */
  readonly code: string | null;
  /** The person the agency named as taking the step (`X-On-Behalf-Of`); absent when none was named. */
  readonly onBehalfOf?: string;
}

/** The outcome of an answer with this status, HTTP's or the problem an inbound command was refused with. */
export function outcomeOf(status: number): AccessOutcome {
  if (status < 400) return 'success';
  return status === 401 || status === 403 || status === 429 ? 'denied' : 'failed';
}

/**
 * Refuses an entry that is not made of identifiers: the patterns leave no room for free text, so a
 * value cannot reach the audit by mistake. Messages name the field, never its value.
 */
export function assertValidAccessEntry(entry: AccessEntry): void {
  const checks: [keyof AccessEntry, boolean][] = [
    ['id', typeof entry.id === 'string' && RECORD_ID.test(entry.id)],
    ['at', isCanonicalInstant(entry.at)],
    ['principal', PRINCIPAL.test(entry.principal)],
    ['action', ACTION.test(entry.action)],
    ['category', ACCESS_CATEGORIES.includes(entry.category)],
    ['recordType', entry.recordType === null || RECORD_TYPES.includes(entry.recordType)],
    ['recordId', entry.recordId === null || RECORD_ID.test(entry.recordId)],
    ['source', SOURCE.test(entry.source)],
    ['outcome', ACCESS_OUTCOMES.includes(entry.outcome)],
    ['status', entry.status === null || (Number.isInteger(entry.status) && entry.status >= 100 && entry.status <= 599)],
    ['code', entry.code === null || CODE.test(entry.code)],
    ['onBehalfOf', entry.onBehalfOf === undefined || PERSON_REFERENCE.test(entry.onBehalfOf)],
  ];
  const invalid = checks.filter(([, valid]) => !valid).map(([name]) => name);
  if (invalid.length > 0) {
    throw new DomainError('validation', 'AUDIT.INVALID_ENTRY', `access entry: invalid ${invalid.join(', ')}`);
  }
}
