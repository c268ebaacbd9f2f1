import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertValidAccessEntry } from './access-entry';
import { HttpExchange, httpAccessEntry, isAdmin, markAdmin, noteAuditedRecord, notedRecordOf } from './http-access';

const REFERRAL_ID = '7d1f3c2a-4b5e-4f60-8a71-9b2c3d4e5f60';

function exchange(overrides: Partial<HttpExchange>): HttpExchange {
  return {
    method: 'GET',
    path: '/v1/inbox',
    route: '/v1/inbox',
    params: {},
    status: 200,
    problemCode: undefined,
    location: undefined,
    principal: 'agency:jefferson-shelter',
    source: '127.0.0.1',
    at: '2025-03-01T10:00:00.000Z',
    notedRecord: undefined,
    ...overrides,
  };
}

/** What an admin would read in the audit about each exchange: written out by hand from the issue. */
describe('the access audit entry of an HTTP exchange', () => {
  it.each<[string, Partial<HttpExchange>, object]>([
    [
      'a read refused for a wrong token',
      { path: `/v1/referrals/${REFERRAL_ID}`, route: '/v1/referrals/:id', params: { id: REFERRAL_ID }, status: 401, problemCode: 'AUTH.UNKNOWN_CREDENTIAL', principal: 'anonymous' },
      { action: 'GET /v1/referrals/:id', category: 'authentication', recordType: 'victim-referral', recordId: REFERRAL_ID, outcome: 'denied', status: 401, code: 'AUTH.UNKNOWN_CREDENTIAL', principal: 'anonymous' },
    ],
    [
      'a referral submitted: the new record is the one its Location names',
      { method: 'POST', path: '/v1/referrals', route: '/v1/referrals', status: 201, location: `/v1/referrals/${REFERRAL_ID}`, principal: 'agency:hsi-new-orleans' },
      { action: 'POST /v1/referrals', category: 'record-write', recordType: 'victim-referral', recordId: REFERRAL_ID, outcome: 'success', status: 201, code: null },
    ],
    [
      'a submission refused as invalid',
      { method: 'POST', path: '/v1/referrals', route: '/v1/referrals', status: 400, problemCode: 'REQUEST.INVALID' },
      { category: 'record-write', recordType: null, recordId: null, outcome: 'failed', status: 400, code: 'REQUEST.INVALID' },
    ],
    [
      'a referral read by an agency it is not for',
      { route: '/v1/referrals/:id', params: { id: REFERRAL_ID }, status: 404, problemCode: 'RECORD.NOT_FOUND' },
      { category: 'record-read', recordType: 'victim-referral', recordId: REFERRAL_ID, outcome: 'failed', code: 'RECORD.NOT_FOUND' },
    ],
    [
      'an inbox read for another agency',
      { status: 403, problemCode: 'INBOX.NOT_YOURS' },
      { action: 'GET /v1/inbox', category: 'record-read', recordType: null, outcome: 'denied', status: 403, code: 'INBOX.NOT_YOURS' },
    ],
    [
      'an admin preview of a stored record, which its handler names',
      { method: 'POST', path: '/v1/admin/previews', route: '/v1/admin/previews', principal: 'admin', notedRecord: { recordType: 'victim-referral', recordId: REFERRAL_ID } },
      { category: 'record-read', recordType: 'victim-referral', recordId: REFERRAL_ID, principal: 'admin', outcome: 'success' },
    ],
    [
      'an agency registered',
      { method: 'POST', path: '/v1/admin/agencies', route: '/v1/admin/agencies', status: 201, principal: 'admin', notedRecord: { recordType: 'agency', recordId: 'nopd-special-victims' } },
      { category: 'admin-change', recordType: 'agency', recordId: 'nopd-special-victims' },
    ],
    [
      'a policy version published',
      { method: 'POST', path: '/v1/admin/policies/shelter-referrals/versions', route: '/v1/admin/policies/:policyId/versions', params: { policyId: 'shelter-referrals' }, status: 201 },
      { category: 'admin-change', recordType: 'sharing-policy', recordId: 'shelter-referrals' },
    ],
    [
      'a policy version read',
      { path: '/v1/admin/policies/shelter-referrals/versions/2', route: '/v1/admin/policies/:policyId/versions/:version', params: { policyId: 'shelter-referrals', version: '2' } },
      { category: 'admin-read', recordType: 'sharing-policy', recordId: 'shelter-referrals' },
    ],
    [
      'a subscription paused',
      { method: 'POST', route: '/v1/admin/subscriptions/:subscriptionId/pause', params: { subscriptionId: 'sub-1' } },
      { category: 'admin-change', recordType: 'subscription', recordId: 'sub-1' },
    ],
    [
      'a Kafka token issued for an agency credential',
      { method: 'POST', path: '/v1/auth/kafka-token', route: '/v1/auth/kafka-token', status: 201, principal: 'agency:hsi-new-orleans' },
      { category: 'authentication', recordType: null, outcome: 'success', principal: 'agency:hsi-new-orleans' },
    ],
    ['the ledger read', { path: '/v1/admin/ledger', route: '/v1/admin/ledger' }, { category: 'ledger-read', recordType: null }],
    ['the ledger verified', { route: '/v1/admin/ledger/verification' }, { category: 'ledger-read' }],
    ['the audit read', { path: '/v1/admin/audit', route: '/v1/admin/audit' }, { action: 'GET /v1/admin/audit', category: 'audit-read' }],
    ['the audit verified', { route: '/v1/admin/audit/verify' }, { category: 'audit-read' }],
    ['the agencies listed', { route: '/v1/admin/agencies' }, { category: 'admin-read', recordType: null }],
    ['a path no route serves', { path: '/v1/people', route: undefined, status: 404, problemCode: 'HTTP.404' }, { action: 'GET (no route)', category: 'unknown-route', outcome: 'failed' }],
    ['a request the client abandoned', { status: undefined }, { outcome: 'failed', status: null, code: null }],
    ['a server error', { status: 500, problemCode: 'INTERNAL' }, { outcome: 'failed', code: 'INTERNAL' }],
  ])('records %s', (_, overrides, expected) => {
    const entry = httpAccessEntry(exchange(overrides), 'entry-1');
    expect(entry).toMatchObject({ id: 'entry-1', at: '2025-03-01T10:00:00.000Z', source: '127.0.0.1', ...expected });
    expect(() => assertValidAccessEntry(entry!)).not.toThrow();
  });

  it('keeps no path segment that is not an id, since the client may have typed anything there', () => {
    const entry = httpAccessEntry(exchange({ route: '/v1/referrals/:id', params: { id: 'Zelda Canary, 1994-03-17' }, status: 404 }), 'entry-1');
    expect(entry).toMatchObject({ recordType: null, recordId: null });
  });

  it.each(['/health/live', '/health/ready', '/v1/docs', '/v1/docs/swagger-ui.css', '/v1/openapi.json'])('leaves %s out', (path) => {
    expect(httpAccessEntry(exchange({ path, route: undefined }), 'entry-1')).toBeUndefined();
  });

  it.each(['/health', '/health/live/x', '/v1/docsx', '/v1/openapi.json/x'])('keeps %s, which only looks like a probe or the docs', (path) => {
    expect(httpAccessEntry(exchange({ path, route: undefined, status: 404 }), 'entry-1')).toMatchObject({ category: 'unknown-route' });
  });

  it('names a record for every route of the contract that has one in its path, and a valid entry for every route', () => {
    const contract = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'contracts', 'openapi', 'exchange.openapi.json'), 'utf8'));
    const routes = Object.entries<Record<string, unknown>>(contract.paths)
      .filter(([path]) => !path.startsWith('/health/'))
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path })));
    expect(routes.length).toBeGreaterThan(30);
    for (const { method, path } of routes) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const entry = httpAccessEntry(
        exchange({ method, path, route: path.replace(/\{(\w+)\}/g, ':$1'), params: Object.fromEntries(names.map((name) => [name, 'some-id'])) }),
        'entry-1',
      )!;
      expect(() => assertValidAccessEntry(entry)).not.toThrow();
      expect({ route: `${method} ${path}`, hasRecord: entry.recordId !== null }).toEqual({ route: `${method} ${path}`, hasRecord: names.length > 0 });
    }
  });
});

describe('the marks a request carries for its audit entry', () => {
  it('tell an admin request apart from any other', () => {
    const admitted = {};
    markAdmin(admitted);
    expect([isAdmin(admitted), isAdmin({})]).toEqual([true, false]);
  });

  it('keep a noted record only when it is named by an id', () => {
    const preview = {};
    const freeText = {};
    noteAuditedRecord(preview, { recordType: 'victim-referral', recordId: REFERRAL_ID });
    noteAuditedRecord(freeText, { recordType: 'victim-referral', recordId: 'Zelda Canary' });
    expect(notedRecordOf(preview)).toEqual({ recordType: 'victim-referral', recordId: REFERRAL_ID });
    expect(notedRecordOf(freeText)).toBeUndefined();
  });
});
