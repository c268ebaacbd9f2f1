import { InMemorySpanExporter, NodeTracerProvider, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { SpanKind } from '@opentelemetry/api';
import { AdminModule } from '../../apps/admin/src/admin.module';
import { InboxModule } from '../../apps/inbox/src/inbox.module';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { RelayModule } from '../../apps/relay/src/relay.module';
import { EXCHANGE_PRINCIPALS } from '@crescent/messaging';
import { installTracing } from '@crescent/observability';
import { DEMO_AGENCIES } from '@crescent/runtime';
import { eventually, exchangeKafka, kafkaBrokers, RunningApp, startApp, startInboxConnector, TEST_DATABASE_URL, uniqueName } from '@crescent/test-support';
import { createExchangeClient } from '../../contracts/client';
import { EXAMPLE_REFERRAL } from './fixtures';

const [hsi, , shelter] = DEMO_AGENCIES;
const TRACE_ID = '5e8c1d2f4a6b7c8d9e0f1a2b3c4d5e6f';
const CALLER_SPAN = 'a1b2c3d4e5f60718';

/**
 * One trace from the agency's request to the shelter's inbox: the HTTP request's server span
 * (continuing the caller's traceparent), the append within it, the relay's projection and publish of
 * the event (joined through the traceparent the event carries), and the inbox's consumption of the
 * message (joined through its ce_traceparent header). Spans go to an in-memory exporter.
 */
describe('a referral traced from the request to the inbox', () => {
  const namespace = `${uniqueName('trace')}.`;
  const schema = uniqueName('trace_store');
  const shared = { databaseUrl: TEST_DATABASE_URL, topicNamespace: namespace, databaseSchema: schema };
  const exporter = new InMemorySpanExporter();
  let provider: NodeTracerProvider;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    provider = installTracing('crescent-test', new SimpleSpanProcessor(exporter));
    apps.push(await startApp({ ...shared, ...exchangeKafka(EXCHANGE_PRINCIPALS.admin) }, [AdminModule]));
    apps.push(await startApp({ ...shared, ...exchangeKafka(EXCHANGE_PRINCIPALS.intake) }, [IntakeModule]));
    apps.push(await startApp({ ...shared, ...exchangeKafka(EXCHANGE_PRINCIPALS.relay) }, [RelayModule]));
    apps.push(await startInboxConnector(apps[1].url, shelter, { ...shared, kafkaBrokers: kafkaBrokers() }, InboxModule));
  });

  afterAll(async () => {
    for (const running of apps.reverse()) await running.app.close();
    await provider?.shutdown();
  });

  it('joins the request, the append, the relay and the consumption in the caller’s trace', async () => {
    const submitted = await createExchangeClient(apps[1].url, hsi.token).POST('/v1/referrals', {
      body: EXAMPLE_REFERRAL,
      params: { header: { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` } },
    });
    expect(submitted.response.status).toBe(201);
    await eventually('the referral in the shelter inbox', async () => {
      const { data } = await createExchangeClient(apps[3].url, shelter.token).GET('/v1/inbox');
      return data?.referrals.some((entry) => entry.referralId === submitted.data!.recordId) ? true : undefined;
    });

    const inTrace = () => exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === TRACE_ID);
    const one = (what: string, match: (span: ReadableSpan) => boolean) =>
      eventually(what, async () => inTrace().find(match), 10_000);
    const server = await one('the server span', (span) => span.kind === SpanKind.SERVER && span.name === 'POST /v1/referrals');
    const append = await one('the append span', (span) => span.name === 'append victim-referral');
    const relay = await one('the relay span', (span) => span.name === 'relay VictimReferralSubmitted');
    const consume = await one('the inbox consumption span', (span) => span.kind === SpanKind.CONSUMER && String(span.attributes['messaging.destination.name']).includes(shelter.agency.id));
    const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
    process.stdout.write(`tracing: ${inTrace().length} spans in the trace: ${inTrace().map((span) => span.name).join(', ')}\n`);

    expect(parentOf(server)).toBe(CALLER_SPAN);
    expect(server.attributes).toMatchObject({ 'http.route': '/v1/referrals', 'http.response.status_code': 201 });
    expect(parentOf(append)).toBe(server.spanContext().spanId);
    expect(parentOf(relay)).toBe(server.spanContext().spanId);
    expect(relay.kind).toBe(SpanKind.PRODUCER);
    expect(parentOf(consume)).toBe(server.spanContext().spanId);
    // Identifiers and counts only: no value of the referral in any span of the trace.
    const text = JSON.stringify(inTrace().map((span) => ({ name: span.name, attributes: span.attributes, events: span.events, status: span.status })));
    for (const value of ['Maria', 'Example', '1994-03-17', '504 555', 'Chef Menteur']) expect(text).not.toContain(value);
  });
});
