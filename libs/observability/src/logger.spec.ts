import { Writable } from 'node:stream';
import { createLogger, logProcessWarnings, LogThreshold, PinoLoggerService } from './logger';
import { recordFieldNames, REDACTED } from './log-redaction';
import { traceIdOf, withRequestIds } from './request-context';

/** A referral's data as an agency would send it, every value a string no log line may hold. */
const REFERRAL = {
  referralId: 'canary-referral-id',
  referredToAgencyId: 'canary-shelter',
  victim: {
    givenName: 'CanaryGiven',
    familyName: 'CanaryFamily',
    dateOfBirth: '1901-02-03',
    nationality: 'ZZ',
    phone: '+1 555 000 1234',
    preferredLanguages: ['canary-lang'],
    isMinor: false,
  },
  immigrationReliefStatus: 'canary-status',
  needs: ['canary-need'],
  dependents: [{ relationship: 'canary-relative', age: 97 }],
  foundAt: { description: 'Canary Motel on Nowhere Road', parish: 'CanaryParish' },
  referringOfficer: { name: 'Officer Canary', badgeNumber: 'CANARY-1', phone: '+1 555 000 9876' },
};
// The age as JSON would write it: a bare '97' also turns up in a line's own time (…:59.797Z).
const CANARIES = ['canary', 'Canary', 'CANARY', '1901-02-03', '555 000', 'ZZ', '"age":97'];

function capture(threshold: LogThreshold = 'debug'): { lines: () => Record<string, unknown>[]; text: () => string; service: PinoLoggerService; pino: ReturnType<typeof createLogger> } {
  let text = '';
  const sink = new Writable({ write: (chunk, _, done) => ((text += chunk.toString()), done()) });
  const pino = createLogger('crescent-test', threshold, sink);
  return { pino, service: new PinoLoggerService(pino), text: () => text, lines: () => text.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)) };
}

describe('log lines', () => {
  it('censor every value of a record handed to the logger, however deep, and keep the shape', () => {
    const log = capture();
    log.pino.info(REFERRAL, 'the record itself');
    log.pino.info({ event: { type: 'VictimReferralSubmitted', data: REFERRAL } }, 'an event');
    log.pino.warn({ batch: { events: [{ stored: { data: REFERRAL } }] } }, 'deep in a batch');
    log.service.log({ data: REFERRAL }, 'relay');
    log.service.error({ victim: REFERRAL.victim }, 'a stack', 'relay');

    const text = log.text();
    for (const canary of CANARIES) expect(text).not.toContain(canary);
    const [record, event, batch, viaNest, error] = log.lines();
    expect(record).toMatchObject({ referralId: REDACTED, victim: REDACTED, foundAt: REDACTED, msg: 'the record itself' });
    expect(event).toMatchObject({ event: { type: 'VictimReferralSubmitted', data: { victim: REDACTED, referringOfficer: REDACTED } } });
    expect(batch).toMatchObject({ batch: { events: [{ stored: { data: { victim: REDACTED, dependents: REDACTED } } }] } });
    expect(viaNest).toMatchObject({ level: 'info', context: 'relay', data: { victim: REDACTED } });
    expect(error).toMatchObject({ level: 'error', context: 'relay', stack: 'a stack', victim: REDACTED });
  });

  it('censor a record inside a class instance and an error, and censor whole what nests past any depth searched', () => {
    class SubmitReferralBody {
      victim = REFERRAL.victim;
    }
    const failure = Object.assign(new Error('projection failed'), { data: { foundAt: REFERRAL.foundAt } });
    let deep: Record<string, unknown> = { note: 'canary at the bottom' };
    for (let level = 0; level < 30; level += 1) deep = { level: deep };
    const log = capture();
    log.pino.info({ body: new SubmitReferralBody(), at: new Date(0) });
    log.pino.error({ err: failure });
    log.pino.info({ deep });

    expect(log.text()).not.toMatch(/canary|Canary/);
    const [body, error] = log.lines();
    expect(body).toMatchObject({ body: { victim: REDACTED }, at: '1970-01-01T00:00:00.000Z' });
    expect(error).toMatchObject({ err: { type: 'Error', message: 'projection failed', stack: expect.stringContaining('projection failed'), data: { foundAt: REDACTED } } });
  });

  it('censor credentials: request headers, a sign-in and a session', () => {
    const log = capture();
    log.pino.info({ req: { headers: { authorization: 'Bearer canary-token', cookie: 'session=canary', 'x-csrf-token': 'canary-csrf', accept: 'application/json' } } });
    log.pino.info({ signIn: { username: 'caseworker', password: 'canary-password' }, session: { csrfToken: 'canary-session-csrf' } });
    expect(log.text()).not.toContain('canary');
    expect(log.lines()[0]).toMatchObject({ req: { headers: { authorization: REDACTED, cookie: REDACTED, 'x-csrf-token': REDACTED, accept: 'application/json' } } });
    expect(log.lines()[1]).toMatchObject({ signIn: { username: 'caseworker', password: REDACTED }, session: { csrfToken: REDACTED } });
  });

  it('are JSON with time, level, app and context, and the ids of the request being served', async () => {
    const log = capture();
    await withRequestIds({ requestId: 'r-1', correlationId: 'c-1', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      log.service.warn('after an await', 'inbox');
    });
    log.service.log('outside any request', 'relay');

    const [inRequest, outside] = log.lines();
    expect(inRequest).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      level: 'warn',
      app: 'crescent-test',
      context: 'inbox',
      requestId: 'r-1',
      correlationId: 'c-1',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      msg: 'after an await',
    });
    expect(outside).not.toHaveProperty('requestId');
    expect(outside).toMatchObject({ level: 'info', context: 'relay', msg: 'outside any request' });
  });

  it('keep LOG_LEVEL as a threshold: warn prints warnings and errors only', () => {
    const log = capture('warn');
    log.service.debug('d', 'x');
    log.service.log('l', 'x');
    log.service.warn('w', 'x');
    log.service.error('e', undefined, 'x');
    expect(log.lines().map((line) => line.msg)).toEqual(['w', 'e']);
  });
});

describe('the censored field names', () => {
  it('come from the event contracts: personal, free-text and identifying fields of every record type', () => {
    const names = recordFieldNames();
    // Written from the schemas' documented fields, not read back from the code under test.
    for (const name of ['givenName', 'familyName', 'dateOfBirth', 'phone', 'description', 'question', 'badgeNumber', 'bookingNumber', 'arrestee', 'guardian', 'charges', 'leadInvestigator', 'title']) {
      expect(names).toContain(name);
    }
    expect(names).not.toContain('msg');
    expect(names).not.toContain('context');
  });
});

describe('the trace id of a traceparent', () => {
  it.each([
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['00-00000000000000000000000000000000-00f067aa0ba902b7-01', undefined],
    ['01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', undefined],
    ['00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01', undefined],
    ['Maria Example', undefined],
  ])('%s -> %s', (traceparent, traceId) => {
    expect(traceIdOf(traceparent)).toBe(traceId);
  });
});

describe("Node's own warnings", () => {
  it('are JSON lines of the app, by name and message, instead of Node\'s plain text', () => {
    const log = capture();
    logProcessWarnings(log.pino);
    // As Node emits one (emitWarning does so on the real process, out of a test's reach).
    process.emit('warning', Object.assign(new Error('11 connect listeners added'), { name: 'MaxListenersExceededWarning' }));
    expect(log.lines()).toEqual([
      expect.objectContaining({ level: 'warn', app: 'crescent-test', context: 'node', warning: 'MaxListenersExceededWarning', msg: '11 connect listeners added' }),
    ]);
    expect(process.listenerCount('warning')).toBe(1);
  });
});

