import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { get } from 'node:http';
import { EVENT_STORE, EventStore, GlobalPosition } from '@crescent/event-store';
import { BusMessage, commandReplyTopic, inboundCommandTopic, MESSAGE_BUS, MessageBus } from '@crescent/messaging';
import { DEMO_AGENCIES, RUNTIME_CONFIG, RuntimeConfig } from '@crescent/runtime';
import { request, RunningApp, startApp } from '@crescent/test-support';
import { ARREST_IN_ORLEANS, EXAMPLE_REFERRAL } from '../../../test/e2e/fixtures';
import { COMMAND_ROUTES } from './commands/command-catalog';
import { IntakeModule } from './intake.module';

/** Every generated text carries this, so any answer that repeats a submitted value is caught. */
const CANARY = 'Qz7canary';
// Over HTTP each run is a real request (some 10 ms here); inbound messages are handled in-process, so they take the larger share.
const HTTP_RUNS = 3000;
const KAFKA_RUNS = 7000;
const [hsi, sheriff, shelter] = DEMO_AGENCIES;
type DemoAgency = (typeof DEMO_AGENCIES)[number];
type RecordKind = 'referral' | 'arrest' | 'case' | 'consent';

const { referredToAgencyId: _, ...REFERRAL_CONTENT } = EXAMPLE_REFERRAL;
const REASON = { reason: 'Closed after review' };
const PAST = '2026-01-05T10:00:00Z';

/** Each command: who sends it, its HTTP path (`:id` the record), a valid body, and the record it acts on. */
const COMMANDS: Record<string, { as: DemoAgency; path: string; body: object; on?: RecordKind }> = {
  OpenCase: { as: hsi, path: '/v1/cases', body: { title: 'Operation Bayou', parish: 'Orleans', leadInvestigator: { name: 'SA Dana Example', badgeNumber: 'HSI-4471', phone: '+1 504 555 0199' } } },
  LinkRecordToCase: { as: hsi, path: '/v1/cases/:id/links', body: { recordType: 'victim-referral', recordId: '00000000-0000-4000-8000-000000000000' }, on: 'case' },
  CloseCase: { as: hsi, path: '/v1/cases/:id/closure', body: REASON, on: 'case' },
  AddCaseTeamMember: { as: hsi, path: '/v1/cases/:id/team', body: { agencyId: sheriff.agency.id }, on: 'case' },
  RemoveCaseTeamMember: { as: hsi, path: '/v1/cases/:id/team-removals', body: { agencyId: sheriff.agency.id }, on: 'case' },
  SubmitVictimReferral: { as: hsi, path: '/v1/referrals', body: EXAMPLE_REFERRAL },
  AcknowledgeVictimReferral: { as: shelter, path: '/v1/referrals/:id/acknowledgement', body: {}, on: 'referral' },
  AcceptVictimReferral: { as: shelter, path: '/v1/referrals/:id/acceptance', body: {}, on: 'referral' },
  DeclineVictimReferral: { as: shelter, path: '/v1/referrals/:id/decline', body: REASON, on: 'referral' },
  RequestVictimReferralInformation: { as: shelter, path: '/v1/referrals/:id/information-requests', body: { question: 'Any allergies?' }, on: 'referral' },
  AnswerVictimReferralInformationRequest: { as: hsi, path: '/v1/referrals/:id/information-answers', body: { questionId: 'q1', answer: 'No allergies.' }, on: 'referral' },
  WithdrawVictimReferral: { as: hsi, path: '/v1/referrals/:id/withdrawal', body: REASON, on: 'referral' },
  UpdateVictimContact: { as: hsi, path: '/v1/referrals/:id/contact', body: { phone: '+1 504 555 0100', preferredLanguages: ['es'] }, on: 'referral' },
  CorrectVictimReferral: { as: hsi, path: '/v1/referrals/:id/corrections', body: REFERRAL_CONTENT, on: 'referral' },
  AuthorizeLawEnforcementDisclosure: {
    as: hsi,
    path: '/v1/referrals/:id/law-enforcement-disclosures',
    body: { recipientAgencyId: sheriff.agency.id, purpose: 'Prosecution of the trafficker', authorizingOfficial: 'SAC Example' },
    on: 'referral',
  },
  RecordImmigrationWaiver: { as: hsi, path: '/v1/referrals/:id/immigration-waiver', body: { waivedInWritingAt: PAST }, on: 'referral' },
  RecordImmigrationReliefDenial: { as: hsi, path: '/v1/referrals/:id/immigration-relief-denial', body: { finallyDeniedOn: '2026-01-05' }, on: 'referral' },
  RecordArrest: { as: sheriff, path: '/v1/arrests', body: ARREST_IN_ORLEANS },
  AmendCharges: { as: sheriff, path: '/v1/arrests/:id/charges', body: { charges: ARREST_IN_ORLEANS.charges }, on: 'arrest' },
  RecordArresteeRelationship: { as: sheriff, path: '/v1/arrests/:id/arrestee-relationship', body: { relationshipToVictim: 'mother' }, on: 'arrest' },
  SealArrestRecord: { as: sheriff, path: '/v1/arrests/:id/seal', body: { courtOrderReference: 'CDC-2026-114' }, on: 'arrest' },
  ExpungeArrestRecord: { as: sheriff, path: '/v1/arrests/:id/expungement', body: { courtOrderReference: 'CDC-2026-115' }, on: 'arrest' },
  RecordConsent: {
    as: shelter,
    path: '/v1/consents',
    body: { referralId: ':referral', victimIsMinor: false, recipientAgencyIds: [hsi.agency.id], purposes: ['investigation'], fields: ['victim.phone'], written: true, informed: true, expiresAt: ':expiry' },
  },
  RevokeConsent: { as: shelter, path: '/v1/consents/:id/revocation', body: REASON, on: 'consent' },
};

const canary = fc.nat().map((n) => `${CANARY}${n.toString(36)}`);
const deep = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

/** What a prober puts where a value belongs. */
const nasty: fc.Arbitrary<unknown> = fc.oneof(
  canary,
  canary.map((c) => `${c}\u0000`),
  canary.map((c) => `\u202E${c}`),
  canary.map((c) => `\u2066${c}\u2069`),
  canary.map((c) => ` \t${c}\u001b[2J`),
  fc.constantFrom('', '   ', '\n', '\u00a0'),
  fc.constantFrom('1899-12-31', '1850-01-01T00:00:00Z', '2040-01-01T00:00:00Z', '9999-12-31', '0000-01-01', '2026-02-30'),
  fc.constantFrom<unknown>(null, true, 0, -1, 1e308, 2 ** 53, [], {}, [[], [[]]], deep(40), deep(1000)),
  canary.map((c) => ({ [c]: c })),
  canary.map((c) => [c, { [c]: [c] }]),
  canary.map((c) => Array.from({ length: 500 }, () => ({ note: c }))),
  fc.jsonValue({ maxDepth: 3 }),
);

type Mutation =
  | { kind: 'set'; at: number; value: unknown }
  | { kind: 'add'; at: number; key: string; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'replace'; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: nasty }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('add' as const), at: fc.nat(), key: canary, value: nasty }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replace' as const), value: nasty }) },
);

/** How the text goes on the wire: as JSON, or cut short, or wrapped in a hostile depth, or with trailing noise. */
const framing = fc.constantFrom('json', 'json', 'json', 'json', 'truncated', 'deep', 'noise');
const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/merge-patch+json'];

const input = fc.record({
  command: fc.constantFrom(...Object.keys(COMMANDS)),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
  framing,
  contentType: fc.oneof({ weight: 6, arbitrary: fc.constant(CONTENT_TYPES[0]) }, { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
  ifMatch: fc.option(fc.oneof(fc.constantFrom('"0"', '"1"', '"2"', '"99"', '*'), canary), { freq: 4 }),
  idempotencyKey: fc.option(canary, { freq: 6 }),
  target: fc.constantFrom('own', 'own', 'own', 'missing', 'malformed'),
});
type Input = typeof input extends fc.Arbitrary<infer T> ? T : never;

/** Every path to a value in `value`, objects and arrays included, the root first. */
function pathsOf(value: unknown, prefix: readonly (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [[...prefix]];
  return [[...prefix], ...Object.entries(value).flatMap(([key, field]) => pathsOf(field, [...prefix, Array.isArray(value) ? Number(key) : key]))];
}

function mutated(body: object, mutations: readonly Mutation[]): unknown {
  let result: unknown = structuredClone(body);
  for (const change of mutations) {
    // Generated values are shared between runs: each goes in as a copy.
    const value = 'value' in change ? structuredClone(change.value) : undefined;
    if (change.kind === 'replace') {
      result = value;
      continue;
    }
    const paths = pathsOf(result);
    const path = paths[change.at % paths.length];
    if (path.length === 0) {
      if (change.kind === 'set') result = value;
      continue;
    }
    const parent = path.slice(0, -1).reduce((node: any, key) => node?.[key], result);
    const key = path[path.length - 1];
    // A generated `__proto__` key is a path no assignment follows.
    if (parent === null || typeof parent !== 'object') continue;
    if (change.kind === 'set') parent[key] = value;
    if (change.kind === 'delete') delete parent[key];
    if (change.kind === 'add' && typeof parent[key] === 'object' && parent[key] !== null) parent[key][change.key] = value;
  }
  return result;
}

function framed(value: unknown, how: string): string {
  const text = JSON.stringify(value) ?? 'null';
  if (how === 'truncated') return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
  if (how === 'deep') return `${'['.repeat(5000)}${text}${']'.repeat(5000)}`;
  if (how === 'noise') return `${text} ${CANARY}trailing`;
  return text;
}

/** Generated bodies and inbound messages across every command: no 5xx, no echo, nothing appended when refused, healthy after. */
describe('the edge under generated bad input', () => {
  let exchange: RunningApp;
  let store: EventStore;
  let bus: MessageBus;
  let config: RuntimeConfig;
  let last: GlobalPosition | undefined;
  const records = {} as Record<RecordKind, string>;
  const counts = { http: 0, kafka: 0, refused: 0, accepted: 0, byStatus: new Map<number | string, number>() };
  const replies = new Map<string, BusMessage>();

  beforeAll(async () => {
    exchange = await startApp(
      { databaseUrl: 'sqlite::memory:', kafkaBrokers: [], logLevel: 'error', credentialRateLimit: { limit: 1_000_000, windowSeconds: 60 } },
      [IntakeModule],
    );
    store = exchange.app.get(EVENT_STORE);
    bus = exchange.app.get(MESSAGE_BUS);
    config = exchange.app.get(RUNTIME_CONFIG);
    const topics = [hsi, sheriff, shelter].flatMap(({ agency }) => (['receipts', 'rejections'] as const).map((kind) => commandReplyTopic(config.topicNamespace, agency.id, kind)));
    await bus.subscribe({ groupId: 'edge-fuzz', topics }, async (message) => {
      replies.set(message.headers.ce_subject ?? '', message);
    });
    const create = async (path: string, token: string, body: object) => (await request(`${exchange.url}${path}`, { method: 'POST', token, body })).body.recordId as string;
    records.referral = await create('/v1/referrals', hsi.token, EXAMPLE_REFERRAL);
    records.arrest = await create('/v1/arrests', sheriff.token, ARREST_IN_ORLEANS);
    records.case = await create('/v1/cases', hsi.token, COMMANDS.OpenCase.body);
    records.consent = await create('/v1/consents', shelter.token, validBody('RecordConsent'));
    expect(Object.values(records).every((id) => typeof id === 'string')).toBe(true);
    last = (await store.readAll(undefined, 1_000_000)).at(-1)?.position;
  });

  afterAll(() => exchange?.app.close());

  it('lists every command of the exchange', () => {
    expect(Object.keys(COMMANDS).sort()).toEqual(COMMAND_ROUTES.map((route) => route.commandType).sort());
  });

  function validBody(command: string): object {
    const text = JSON.stringify(COMMANDS[command].body)
      .replace('":referral"', JSON.stringify(records.referral))
      .replace('":expiry"', JSON.stringify(new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString()));
    return JSON.parse(text);
  }

  function recordIdFor(command: string, target: Input['target']): string | undefined {
    const on = COMMANDS[command].on;
    if (!on) return undefined;
    // A malformed id is no canary: a problem's `instance` is the request's path, by design.
    return target === 'own' ? records[on] : target === 'missing' ? randomUUID() : 'not-a-record-id';
  }

  /** What an answer must never be, whatever was sent; and when it refused, the store must be as it was. */
  async function expectClean(status: number | string, answer: string, refused: boolean): Promise<void> {
    counts.byStatus.set(status, (counts.byStatus.get(status) ?? 0) + 1);
    expect(typeof status === 'number' ? status : 400).toBeLessThan(500);
    expect(answer).not.toContain(CANARY);
    const appended = await store.readAll(last, 1000);
    if (refused) {
      counts.refused += 1;
      expect(appended).toEqual([]);
    } else {
      counts.accepted += 1;
      last = appended.at(-1)?.position ?? last;
    }
  }

  const started = Date.now();

  it(`answers ${HTTP_RUNS} generated HTTP bodies cleanly`, async () => {
    await fc.assert(
      fc.asyncProperty(input, async (sent) => {
        const { as, path } = COMMANDS[sent.command];
        const recordId = recordIdFor(sent.command, sent.target);
        const response = await fetch(`${exchange.url}${path.replace(':id', recordId ?? '')}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${as.token}`,
            'content-type': sent.contentType,
            ...(sent.ifMatch === null ? {} : { 'if-match': sent.ifMatch }),
            ...(sent.idempotencyKey === null ? {} : { 'idempotency-key': sent.idempotencyKey }),
          },
          body: framed(mutated(validBody(sent.command), sent.mutations), sent.framing),
        });
        counts.http += 1;
        await expectClean(response.status, await response.text(), response.status >= 300);
      }),
      { numRuns: HTTP_RUNS },
    );
  }, 180_000);

  it(`answers ${KAFKA_RUNS} generated inbound messages cleanly, each on the agency's reply topics`, async () => {
    await fc.assert(
      fc.asyncProperty(input, fc.option(canary, { freq: 10 }), async (sent, strangeType) => {
        const { as } = COMMANDS[sent.command];
        const recordId = recordIdFor(sent.command, sent.target);
        const commandId = randomUUID();
        const headers: Record<string, string> = { ce_specversion: '1.0', ce_id: commandId, ce_type: strangeType ?? sent.command };
        if (recordId !== undefined) headers.ce_subject = recordId;
        if (sent.ifMatch !== null) headers.ce_expectedversion = sent.ifMatch.replace(/"/g, '');
        const value = framed(mutated(validBody(sent.command), sent.mutations), sent.framing);
        // The in-process bus resolves once intake has handled the message: a thrown (5xx) error fails here.
        await bus.publish([{ topic: inboundCommandTopic(config.topicNamespace, as.agency.id), key: commandId, value, headers }]);
        counts.kafka += 1;
        const reply = replies.get(commandId);
        replies.delete(commandId);
        expect(reply).toBeDefined();
        const rejected = reply!.topic.endsWith('command-rejections');
        await expectClean(rejected ? `kafka ${JSON.parse(reply!.value).status}` : 'kafka accepted', JSON.stringify(reply), rejected);
      }),
      { numRuns: KAFKA_RUNS },
    );
  }, 180_000);

  it('leaves the exchange ready', async () => {
    // On a new connection: a pooled one may be one the server let go while the inbound messages ran.
    const ready = await new Promise<number | undefined>((resolve, reject) => get(`${exchange.url}/health/ready`, { agent: false }, (answer) => resolve(answer.resume().statusCode)).on('error', reject));
    expect(ready).toBe(200);
    const statuses = [...counts.byStatus].map(([status, count]) => `${status}: ${count}`).join(', ');
    process.stdout.write(
      `edge fuzz: ${counts.http} HTTP bodies and ${counts.kafka} inbound messages in ${Date.now() - started} ms; ` +
        `${counts.refused} refused (nothing appended), ${counts.accepted} accepted; ${statuses}\n`,
    );
    expect(counts.http + counts.kafka).toBeGreaterThanOrEqual(HTTP_RUNS + KAFKA_RUNS);
  });
});
