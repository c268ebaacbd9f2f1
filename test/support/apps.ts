import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { exchangeKafka, kafkaBrokers, TEST_DATABASE_URL, uniqueName } from './infrastructure';
import { EXCHANGE_PRINCIPALS } from '@crescent/messaging';
import { createCrescentApp, DEMO_AGENCIES, loadConfig, RuntimeConfig, RuntimeRole } from '@crescent/runtime';

export interface RunningApp {
  readonly app: INestApplication;
  readonly url: string;
}

/** Starts one Crescent app as its `main` would, on a free loopback port, with the demo agencies and secrets unless overridden. */
export async function startApp(
  overrides: Partial<RuntimeConfig>,
  features: readonly (Type | DynamicModule)[],
  role: RuntimeRole = 'exchange',
): Promise<RunningApp> {
  // No anchoring unless asked: the demo's default file sits beside the default database, which a test's overrides replace.
  // Every test client calls from 127.0.0.1, and suites meet 401 on purpose (guessed tokens, credentials past their
  // grace) and while they poll for a change the feed brings. At the default lockout (10 failures in 15 minutes)
  // those add up within one suite, and every later request of it, the admin's too, is answered 429: agency-lifecycle
  // failed so in CI. http-edge sets its own limits to test the lockout.
  const config: RuntimeConfig = {
    ...loadConfig({ SEED_DEMO: 'true' }, role),
    logLevel: 'warn',
    ledgerAnchoring: undefined,
    authFailureLimit: { limit: 1000, windowSeconds: 900 },
    ...overrides,
  };
  const app = await createCrescentApp(config, 'crescent-test', features, role);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}` };
}

/** The inbox run as one agency's connector: its own database, that agency's credential, the exchange's HTTP API. */
export function startInboxConnector(
  exchangeUrl: string,
  agency: { readonly agency: { readonly id: string }; readonly token: string },
  overrides: Partial<RuntimeConfig>,
  inboxModule: Type,
): Promise<RunningApp> {
  return startApp(
    { databaseSchema: uniqueName('inbox'), ...overrides, exchangeUrl, inboxAgencyCredential: agency.token, inboxAgencyId: agency.agency.id },
    [inboxModule],
    'connector',
  );
}

/**
 * A raw request: any method, headers and body, the body's text sent as it is. Tests that call the
 * documented API use the typed client (`createExchangeClient` in contracts/client.ts); this one is
 * for what the contract's types would refuse to send: malformed bodies, wrong content types,
 * headers out of the contract (bad-input, http-edge), and requests audited exactly as sent, paths no
 * route serves and refused queries included (access-audit).
 */
export async function request(
  url: string,
  options: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; contentType: string; headers: Headers; body: any }> {
  const response = await fetch(url, {
    method: options.method ?? 'GET',
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** What the typed client answered, as tests assert it: status, content type and body (the data, or the problem). */
export async function answered<D, E>(call: Promise<{ data?: D; error?: E; response: Response }>): Promise<{ status: number; contentType: string; body: D | E | undefined }> {
  const { data, error, response } = await call;
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: data ?? error };
}

/** Polls until `probe` returns a value, or fails after `timeoutMs` naming what it waited for. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The distributed deployment: admin, intake and relay each on its own, on PostgreSQL and the real broker; the inbox as the shelter's connector. */
export interface DistributedExchange {
  readonly admin: RunningApp;
  readonly intake: RunningApp;
  readonly relay: RunningApp;
  readonly inbox: RunningApp;
  /** The PostgreSQL schema of the exchange's event store and tables. */
  readonly storeSchema: string;
  /** Prepended to every topic of this deployment. */
  readonly namespace: string;
  close(): Promise<void>;
}

export async function startDistributedExchange(modules: { readonly admin: Type; readonly intake: Type; readonly relay: Type; readonly inbox: Type }): Promise<DistributedExchange> {
  const namespace = `${uniqueName('e2e')}.`;
  const storeSchema = uniqueName('e2e_store');
  const shared = { databaseUrl: TEST_DATABASE_URL, topicNamespace: namespace };
  const exchangeApp = (principal: string, feature: Type) => startApp({ ...shared, ...exchangeKafka(principal), databaseSchema: storeSchema }, [feature]);
  // The exchange's administration gives every agency its topics and ACLs; the inbox is the shelter's own connector.
  const admin = await exchangeApp(EXCHANGE_PRINCIPALS.admin, modules.admin);
  const intake = await exchangeApp(EXCHANGE_PRINCIPALS.intake, modules.intake);
  const relay = await exchangeApp(EXCHANGE_PRINCIPALS.relay, modules.relay);
  const [, , shelter] = DEMO_AGENCIES;
  const inbox = await startInboxConnector(intake.url, shelter, { ...shared, kafkaBrokers: kafkaBrokers() }, modules.inbox);
  return {
    admin,
    intake,
    relay,
    inbox,
    storeSchema,
    namespace,
    close: async () => {
      for (const running of [inbox, relay, intake, admin]) await running.app.close();
    },
  };
}
