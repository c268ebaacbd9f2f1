import { RecordType } from '@crescent/domain';
import { AccessCategory, AccessEntry, outcomeOf, Principal, RECORD_ID } from './access-entry';

/** What the edge knows of one answered (or abandoned) request once it is over; no body, no query string. */
export interface HttpExchange {
  readonly method: string;
  /** The path without its query string. */
  readonly path: string;
  /** The pattern of the route that matched, such as `/v1/referrals/:id`; undefined when none did. */
  readonly route: string | undefined;
  readonly params: Readonly<Record<string, unknown>>;
  /** Undefined when the client went away before an answer was sent. */
  readonly status: number | undefined;
  readonly problemCode: string | undefined;
  /** The `Location` of a record the request created. */
  readonly location: string | undefined;
  readonly principal: Principal;
  readonly source: string;
  readonly at: string;
  /** The record a handler said it read, when its route cannot say (the record is named in the body). */
  readonly notedRecord: AuditedRecord | undefined;
  /** The person an agency named as taking the step, once checked. */
  readonly onBehalfOf?: string;
}

export interface AuditedRecord {
  readonly recordType: RecordType;
  readonly recordId: string;
}

/** Where each kind of record lives over HTTP: a route under one of these names a record of its type. */
const RECORD_COLLECTIONS: readonly (readonly [string, RecordType])[] = [
  ['/v1/referrals', 'victim-referral'],
  ['/v1/cases', 'case'],
  ['/v1/arrests', 'arrest-record'],
  ['/v1/consents', 'consent'],
  // The caseworkers' inbox: the referrals it received, the consents it recorded.
  ['/v1/inbox/referrals', 'victim-referral'],
  ['/v1/inbox/consents', 'consent'],
  ['/v1/admin/agencies', 'agency'],
  ['/v1/admin/policies', 'sharing-policy'],
  ['/v1/admin/subscriptions', 'subscription'],
];

/** Probes and documentation say nothing about records or principals. */
const UNAUDITED = /^\/(health\/(live|ready)|v1\/docs(\/.*)?|v1\/openapi\.json)$/;

/** The audit's account of one HTTP exchange, or nothing for health and documentation routes. */
export function httpAccessEntry(exchange: HttpExchange, id: string): AccessEntry | undefined {
  if (UNAUDITED.test(exchange.path)) return undefined;
  const record = exchange.notedRecord ?? recordOfRoute(exchange);
  return {
    id,
    at: exchange.at,
    principal: exchange.principal,
    action: `${exchange.method} ${exchange.route ?? '(no route)'}`,
    category: categoryOf(exchange.method, exchange.route, exchange.status),
    recordType: record?.recordType ?? null,
    recordId: record?.recordId ?? null,
    source: exchange.source,
    outcome: exchange.status === undefined ? 'failed' : outcomeOf(exchange.status),
    status: exchange.status ?? null,
    code: exchange.status !== undefined && exchange.status >= 400 ? (exchange.problemCode ?? null) : null,
    ...(exchange.onBehalfOf ? { onBehalfOf: exchange.onBehalfOf } : {}),
  };
}

function categoryOf(method: string, route: string | undefined, status: number | undefined): AccessCategory {
  if (status === 401) return 'authentication';
  if (route === undefined) return 'unknown-route';
  // What an agency's credential opens besides the record API (its identity, a Kafka token): a log-on.
  if (route.startsWith('/v1/auth/')) return 'authentication';
  // Signing a person in or out, or asking who is signed in.
  if (/^\/v1\/(inbox|admin)\/session$/.test(route)) return 'authentication';
  if (route.startsWith('/v1/admin/audit')) return 'audit-read';
  if (route.startsWith('/v1/admin/ledger')) return 'ledger-read';
  // A preview runs the relay's projection on a stored record (or a sample): it reads record data.
  if (route === '/v1/admin/previews') return 'record-read';
  const reads = method === 'GET' || method === 'HEAD';
  if (route.startsWith('/v1/admin/')) return reads ? 'admin-read' : 'admin-change';
  return reads ? 'record-read' : 'record-write';
}

/** The record a route's path parameter names, or the one a create answered with in `Location`. */
function recordOfRoute({ route, params, location }: HttpExchange): AuditedRecord | undefined {
  if (route === undefined) return undefined;
  for (const [collection, recordType] of RECORD_COLLECTIONS) {
    let recordId: unknown;
    if (route === collection) {
      recordId = location?.startsWith(`${collection}/`) ? location.slice(collection.length + 1) : undefined;
    } else if (route.startsWith(`${collection}/:`)) {
      recordId = params[route.slice(collection.length + 2).split('/')[0]];
    } else {
      continue;
    }
    // A path segment that is not an id names no record, and may be anything the client typed.
    return typeof recordId === 'string' && RECORD_ID.test(recordId) ? { recordType, recordId } : undefined;
  }
  return undefined;
}

const admins = new WeakSet<object>();
const people = new WeakMap<object, string>();
const refusedAgencies = new WeakMap<object, string>();
const notedRecords = new WeakMap<object, AuditedRecord>();
const onBehalfOf = new WeakMap<object, string>();

/** For the command edge: the person an authenticated agency named, after the format was checked. */
export function noteOnBehalfOf(request: object, person: string): void {
  onBehalfOf.set(request, person);
}

export function onBehalfOfNoted(request: object): string | undefined {
  return onBehalfOf.get(request);
}

/** The admin guard's mark on a request it admitted, read by the audit once the request is over. */
export function markAdmin(request: object): void {
  admins.add(request);
}

export function isAdmin(request: object): boolean {
  return admins.has(request);
}

/** A session guard's mark on a request a signed-in person made: the audit names the person. */
export function markPerson(request: object, personId: string): void {
  people.set(request, personId);
}

export function personOf(request: object): string | undefined {
  return people.get(request);
}

/** The agency guard's note on a request it refused although the credential was an agency's (suspended or revoked). */
export function noteRefusedAgency(request: object, agencyId: string): void {
  refusedAgencies.set(request, agencyId);
}

export function refusedAgencyOf(request: object): string | undefined {
  return refusedAgencies.get(request);
}

/** For a handler that reads or changes a record named in its body, which the route cannot show. */
export function noteAuditedRecord(request: object, record: AuditedRecord): void {
  // Only an id is kept: the entry must never carry whatever else a body might hold.
  if (RECORD_ID.test(record.recordId)) notedRecords.set(request, { recordType: record.recordType, recordId: record.recordId });
}

export function notedRecordOf(request: object): AuditedRecord | undefined {
  return notedRecords.get(request);
}
