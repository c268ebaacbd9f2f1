import { ChildProcess } from 'node:child_process';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { EXCHANGE_PRINCIPALS } from '@crescent/messaging';
import { DEMO_AGENCIES } from '@crescent/runtime';
import { eventually, exchangeKafkaEnv, freePort, kafkaBrokers, killHard, spawnApp, TEST_DATABASE_URL, uniqueName } from '@crescent/test-support';
import { createExchangeClient } from '../../contracts/client';
import { ARREST_IN_ORLEANS, consentToSheriff, EXAMPLE_REFERRAL } from './fixtures';

const [hsi, sheriff, shelter] = DEMO_AGENCIES;
const CORRELATION_ID = 'observability-e2e-correlation';
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const TRACEPARENT = `00-${TRACE_ID}-b7ad6b7169203331-01`;

/** Values found nowhere else: if one shows in a log line, a record's field was logged. */
const CANARY = {
  givenName: 'Zephyrinecanary',
  familyName: 'Quillbrookcanary',
  victimBirth: '1987-09-23',
  victimPhone: '+1 985 417 2093',
  foundAt: 'Canary motel past the Xylo road bridge',
  officer: 'Officer Vantacanary',
  officerPhone: '+1 985 630 8841',
  arresteeGiven: 'Orrincanary',
  arresteeFamily: 'Thistlecanary',
  arresteeBirth: '1971-06-14',
  charge: 'Canary charge of harbouring',
  arrestPlace: 'Canary warehouse on Lark street',
  caseTitle: 'Operation Marigoldcanary',
  lead: 'SA Wrenfield Canary',
  question: 'Canary question: does she need a Vietnamese interpreter?',
};

const REFERRAL = {
  ...EXAMPLE_REFERRAL,
  victim: { ...EXAMPLE_REFERRAL.victim, givenName: CANARY.givenName, familyName: CANARY.familyName, dateOfBirth: CANARY.victimBirth, phone: CANARY.victimPhone },
  foundAt: { description: CANARY.foundAt, parish: 'Orleans' },
  referringOfficer: { name: CANARY.officer, badgeNumber: 'HSI-4471', phone: CANARY.officerPhone },
};
const ARREST = {
  ...ARREST_IN_ORLEANS,
  arrestee: { givenName: CANARY.arresteeGiven, familyName: CANARY.arresteeFamily, dateOfBirth: CANARY.arresteeBirth },
  charges: [{ statute: 'La. R.S. 14:46.2', description: CANARY.charge }],
  place: { description: CANARY.arrestPlace, parish: 'Orleans' },
};
const CASE = { title: CANARY.caseTitle, parish: 'Orleans', leadInvestigator: { name: CANARY.lead, badgeNumber: 'HSI-5502', phone: '+1 504 555 0199' } };

type AppName = 'admin' | 'intake' | 'relay' | 'inbox';

/**
 * The exchange's apps each in its own process, as deployed, on PostgreSQL and the real broker, logging
 * at debug and exporting traces to an OTLP collector of the test's: the seed scenario with canary
 * values goes through them, and no log line or span of any app holds one.
 */
describe('observability of the running apps', () => {
  const namespace = `${uniqueName('obs')}.`;
  const schema = uniqueName('obs_store');
  const logs: Record<AppName, string> = { admin: '', intake: '', relay: '', inbox: '' };
  const urls = {} as Record<AppName, string>;
  const children: ChildProcess[] = [];
  /** What an OTLP collector received: each export's body (OTLP/JSON). */
  const exported: string[] = [];
  let collector: Server;

  /** Starts one app and waits until it answers. */
  const start = async (app: AppName, env: Record<string, string>): Promise<void> => {
    const port = await freePort();
    const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`, OTEL_BSP_SCHEDULE_DELAY: '200' };
    children.push(spawnApp(app, { ...env, ...tracing, PORT: String(port), LOG_LEVEL: 'debug', TOPIC_NAMESPACE: namespace, DATABASE_URL: TEST_DATABASE_URL }, (text) => (logs[app] += text)));
    urls[app] = `http://127.0.0.1:${port}`;
    await eventually(`${app} to answer`, () => fetch(`${urls[app]}/health/live`).then((response) => (response.ok ? true : undefined), () => undefined), 60_000);
  };

  beforeAll(async () => {
    collector = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        if (request.url === '/v1/traces') exported.push(body);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const exchange = (principal: string) => ({ ...exchangeKafkaEnv(principal), DATABASE_SCHEMA: schema, SEED_DEMO: 'true' });
    // One after another: each seeds the demo agencies into the same store.
    await start('admin', exchange(EXCHANGE_PRINCIPALS.admin));
    await start('intake', exchange(EXCHANGE_PRINCIPALS.intake));
    await start('relay', exchange(EXCHANGE_PRINCIPALS.relay));
    await start('inbox', {
      KAFKA_BROKERS: kafkaBrokers().join(','),
      DATABASE_SCHEMA: uniqueName('obs_inbox'),
      EXCHANGE_URL: urls.intake,
      INBOX_AGENCY_CREDENTIAL: shelter.token,
      INBOX_AGENCY_ID: shelter.agency.id,
    });

    const as = (token: string) => createExchangeClient(urls.intake, token);
    const submitted = await as(hsi.token).POST('/v1/referrals', { body: REFERRAL, params: { header: { 'X-Correlation-Id': CORRELATION_ID, traceparent: TRACEPARENT } } });
    expect(submitted.response.status).toBe(201);
    const referralId = submitted.data!.recordId;
    await eventually('the referral in the shelter inbox', async () => {
      const { data } = await createExchangeClient(urls.inbox, shelter.token).GET('/v1/inbox');
      return data?.referrals.some((entry) => entry.referralId === referralId) ? true : undefined;
    }, 60_000);
    const onReferral = { params: { path: { id: referralId } } };
    expect((await as(shelter.token).POST('/v1/referrals/{id}/acknowledgement', { ...onReferral, body: {} })).response.status).toBe(200);
    expect((await as(shelter.token).POST('/v1/referrals/{id}/information-requests', { ...onReferral, body: { question: CANARY.question } })).response.status).toBe(200);
    const consent = await as(shelter.token).POST('/v1/consents', { body: consentToSheriff(referralId, new Date(Date.now() + 180 * 86_400_000).toISOString()) });
    expect(consent.response.status).toBe(201);
    expect((await as(sheriff.token).POST('/v1/arrests', { body: ARREST })).response.status).toBe(201);
    expect((await as(hsi.token).POST('/v1/cases', { body: CASE })).response.status).toBe(201);
    // A refused body is logged too (as a problem): it must not quote what it refused.
    const refused = await as(hsi.token).POST('/v1/referrals', { body: { ...REFERRAL, victim: { ...REFERRAL.victim, dateOfBirth: CANARY.question } } });
    expect(refused.response.status).toBe(400);
    // Until the relay has projected all of it: the lag it reports comes back to nothing.
    await eventually('the relay to catch up', async () => {
      const ready = await createExchangeClient(urls.relay).GET('/health/ready');
      const relay = (ready.data as { relay?: { lagEvents: number } } | undefined)?.relay;
      return relay?.lagEvents === 0 ? true : undefined;
    }, 60_000);
  }, 240_000);

  afterAll(async () => {
    for (const child of children) await killHard(child);
    await new Promise((resolve) => collector?.close(resolve));
  });

  it('writes no canary value in any line of any app', () => {
    const found = Object.entries(logs).flatMap(([app, text]) =>
      Object.entries(CANARY)
        // Also as digits alone, as a phone number or a date could be written.
        .filter(([, value]) => text.toLowerCase().includes(value.toLowerCase()) || (/^[\d +-]+$/.test(value) && text.includes(value.replace(/\D/g, ''))))
        .map(([name]) => `${app}: ${name}`),
    );
    const lineCounts = Object.entries(logs).map(([app, text]) => [app, text.split('\n').filter(Boolean).length] as const);
    process.stdout.write(`canary log scan: ${lineCounts.map(([app, count]) => `${app} ${count}`).join(', ')} lines; ${Object.keys(CANARY).length} canaries, ${found.length} found\n`);
    // Every app said something at debug: a scan of silent apps would prove nothing.
    for (const [, count] of lineCounts) expect(count).toBeGreaterThan(10);
    expect(found).toEqual([]);
  });

  it('writes every line as JSON with time, level, app and context; request lines carry their ids', () => {
    for (const [app, text] of Object.entries(logs)) {
      const lines = text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
      for (const line of lines) {
        expect(line).toMatchObject({ time: expect.any(String), level: expect.stringMatching(/^(trace|debug|info|warn|error|fatal)$/), app: `crescent-${app}`, msg: expect.any(String) });
      }
      expect(lines.filter((line) => line.context === undefined)).toEqual([]);
      for (const request of lines.filter((line) => line.context === 'http')) expect(request.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
    const intakeLines = logs.intake.split('\n').filter(Boolean).map((line) => JSON.parse(line));
    expect(intakeLines).toContainEqual(
      expect.objectContaining({ context: 'http', method: 'POST', route: '/v1/referrals', status: 201, correlationId: CORRELATION_ID, traceId: TRACE_ID, requestId: expect.any(String) }),
    );
  });

  it('counts at /metrics what the scenario did: appends, HTTP latency by route, deliveries to the shelter, the lease', async () => {
    const intake = await scrape(urls.intake);
    const relay = await scrape(urls.relay);
    const inbox = await scrape(urls.inbox);

    expect(sample(intake, 'crescent_events_appended_total', { record_type: 'victim-referral' })).toBeGreaterThanOrEqual(2);
    expect(sample(intake, 'crescent_events_appended_total', { record_type: 'arrest-record' })).toBeGreaterThanOrEqual(1);
    expect(sample(intake, 'crescent_http_request_duration_seconds_count', { method: 'POST', route: '/v1/referrals', status: '201' })).toBe(1);
    expect(sample(intake, 'crescent_http_request_duration_seconds_count', { method: 'POST', route: '/v1/referrals', status: '400' })).toBe(1);
    expect(sample(intake, 'process_cpu_seconds_total', {})).toBeGreaterThan(0);
    expect(sample(relay, 'crescent_relay_deliveries_total', { recipient_agency: shelter.agency.id, record_type: 'victim-referral' })).toBeGreaterThanOrEqual(1);
    expect(sample(relay, 'crescent_relay_lease_held', {})).toBe(1);
    expect(sample(relay, 'crescent_relay_lag_events', {})).toBe(0);
    expect(sample(relay, 'crescent_relay_dead_letters', {})).toBe(0);
    expect(sample(intake, 'crescent_relay_lease_held', {})).toBeUndefined();
    expect(sample(inbox, 'crescent_consumer_lag_messages', {})).toBe(0);
    for (const text of [intake.text, relay.text, inbox.text]) {
      for (const value of Object.values(CANARY)) expect(text).not.toContain(value);
    }
    const ready = await createExchangeClient(urls.relay).GET('/health/ready');
    expect(ready.data).toMatchObject({ status: 'up', relay: { holdsLease: true, lagEvents: 0, lagSeconds: 0 } });
  });

  it('exports the trace over OTLP from every app it crossed, with no value of a record', async () => {
    // The intake's server span, the relay's projection and the inbox's consumption, each from its own process.
    const services = ['crescent-intake', 'crescent-relay', 'crescent-inbox'];
    await eventually('spans of the referral trace from the intake, the relay and the inbox', async () => {
      const inTrace = exported.filter((body) => body.includes(TRACE_ID));
      return services.every((service) => inTrace.some((body) => body.includes(`"${service}"`))) ? true : undefined;
    });
    process.stdout.write(`otlp export: ${exported.length} exports received\n`);
    const text = exported.join('\n');
    for (const value of Object.values(CANARY)) expect(text).not.toContain(value);
  });
});

interface Scrape {
  readonly text: string;
  readonly samples: { name: string; labels: Record<string, string>; value: number }[];
}

/** Prometheus's text exposition, read line by line. */
async function scrape(url: string): Promise<Scrape> {
  const response = await fetch(`${url}/metrics`);
  const contentType = response.headers.get('content-type') ?? '';
  expect(contentType.split(';').map((part) => part.trim()).sort()).toEqual(['charset=utf-8', 'text/plain', 'version=0.0.4']);
  const text = await response.text();
  const samples = text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [, name, labels = '', value] = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line)!;
      return { name, labels: Object.fromEntries([...labels.matchAll(/(\w+)="([^"]*)"/g)].map(([, key, label]) => [key, label])), value: Number(value) };
    });
  return { text, samples };
}

/** The value of the one sample of `name` whose labels include `labels`, summed when several match; undefined when none does. */
function sample({ samples }: Scrape, name: string, labels: Record<string, string>): number | undefined {
  const matching = samples.filter((entry) => entry.name === name && Object.entries(labels).every(([key, value]) => entry.labels[key] === value));
  return matching.length === 0 ? undefined : matching.reduce((sum, entry) => sum + entry.value, 0);
}
