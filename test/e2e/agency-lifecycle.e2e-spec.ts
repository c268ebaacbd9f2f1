import { AdminModule } from '../../apps/admin/src/admin.module';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { RelayModule } from '../../apps/relay/src/relay.module';
import { EVENT_STORE, EventStore } from '@crescent/event-store';
import { EXCHANGE_PRINCIPALS, outboundTopic } from '@crescent/messaging';
import { DEMO_ADMIN_TOKEN, DEMO_AGENCIES, sha256Hex } from '@crescent/runtime';
import { eventually, exchangeKafka, readTopics, request, RunningApp, startApp, TEST_DATABASE_URL, uniqueName } from '@crescent/test-support';
import { EXAMPLE_REFERRAL } from './fixtures';

/**
 * Rotation, suspension and revocation as an agency's system meets them over HTTP. Each change
 * reaches the apps through the feed, so the tests wait for it to show, then assert what it does.
 */
describe('an agency credential lifecycle, over HTTP', () => {
  let exchange: RunningApp;
  let store: EventStore;
  /** Every token the admin API handed out here: none may ever show in its answers, nor its hash. */
  const issued: string[] = [];

  const admin = (path: string, options: { method?: string; body?: unknown } = {}) =>
    request(`${exchange.url}/v1/admin${path}`, { token: DEMO_ADMIN_TOKEN, ...options });
  /** A read that needs an agency's token: 404 (no such referral) once the token is accepted, 401 or 403 when not. */
  const probe = async (token: string) => {
    const answer = await request(`${exchange.url}/v1/referrals/no-such-referral`, { token });
    return { status: answer.status, code: answer.body?.code };
  };
  const accepted = { status: 404, code: 'RECORD.NOT_FOUND' };
  const untilProbe = (what: string, token: string, expected: { status: number; code: string }) =>
    eventually(what, async () => {
      const answer = await probe(token);
      return answer.status === expected.status && answer.code === expected.code ? answer : undefined;
    });
  const submitReferral = (token: string) => request(`${exchange.url}/v1/referrals`, { method: 'POST', token, body: EXAMPLE_REFERRAL });

  async function registerAgency(agencyId: string): Promise<string> {
    const registered = await admin('/agencies', {
      method: 'POST',
      body: { agencyId, name: `Test agency ${agencyId}`, kind: 'local-law-enforcement', jurisdiction: [] },
    });
    expect(registered.status).toBe(201);
    issued.push(registered.body.token);
    await untilProbe(`${agencyId}'s first token accepted`, registered.body.token, accepted);
    return registered.body.token;
  }

  async function rotate(agencyId: string, graceSeconds: number): Promise<{ token: string; previousCredentialsValidUntil: string }> {
    const rotated = await admin(`/agencies/${agencyId}/credentials`, { method: 'POST', body: { graceSeconds } });
    expect(rotated).toMatchObject({ status: 201, body: { agencyId, token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) } });
    issued.push(rotated.body.token);
    return rotated.body;
  }

  beforeAll(async () => {
    exchange = await startApp({ databaseUrl: TEST_DATABASE_URL, databaseSchema: uniqueName('e2e_lifecycle'), kafkaBrokers: [] }, [IntakeModule, AdminModule]);
    store = exchange.app.get<EventStore>(EVENT_STORE);
  });

  afterAll(() => exchange?.app.close());

  describe('rotating a credential', () => {
    it('the new token works at once, the old one keeps working inside the grace and is refused after it', async () => {
      const old = await registerAgency('rotation-with-grace');
      const { token, previousCredentialsValidUntil } = await rotate('rotation-with-grace', 2);
      expect(token).not.toBe(old);

      await untilProbe('the new token accepted', token, accepted);
      expect(await probe(old)).toEqual(accepted);

      const detail = await eventually('both credentials listed', async () => {
        const found = await admin('/agencies/rotation-with-grace');
        return found.body?.credentials?.length === 2 ? found.body : undefined;
      });
      const [first, second] = detail.credentials;
      expect(first.validUntil).toBe(previousCredentialsValidUntil);
      expect(second.validUntil).toBeNull();
      // The grace asked for, 2 seconds, counted from the rotation: the new credential's issue.
      expect(Date.parse(first.validUntil) - Date.parse(second.issuedAt)).toBe(2000);

      await untilProbe('the old token refused once its grace is over', old, { status: 401, code: 'AUTH.UNKNOWN_CREDENTIAL' });
      expect(await probe(token)).toEqual(accepted);
    });

    it('with no grace, the old token is refused from the moment the new one works', async () => {
      const old = await registerAgency('rotation-without-grace');
      const { token } = await rotate('rotation-without-grace', 0);
      await untilProbe('the new token accepted', token, accepted);
      expect(await probe(old)).toEqual({ status: 401, code: 'AUTH.UNKNOWN_CREDENTIAL' });
    });

    it('refuses a grace that is not a whole number of seconds up to 30 days, and an unknown agency', async () => {
      await registerAgency('rotation-refused');
      for (const graceSeconds of [-1, 1.5, 2_592_001, '60']) {
        expect(await admin('/agencies/rotation-refused/credentials', { method: 'POST', body: { graceSeconds } })).toMatchObject({
          status: 400,
          contentType: expect.stringContaining('application/problem+json'),
          body: { code: 'REQUEST.INVALID' },
        });
      }
      expect(await admin('/agencies/no-such-agency/credentials', { method: 'POST', body: { graceSeconds: 60 } })).toMatchObject({
        status: 404,
        body: { code: 'AGENCY.NOT_FOUND' },
      });
    });
  });

  describe('suspending an agency', () => {
    it("refuses the agency's requests, appends nothing it tries to write, and lets it back in once reinstated", async () => {
      const token = await registerAgency('suspended-agency');
      expect((await submitReferral(token)).status).toBe(201);

      const suspended = await admin('/agencies/suspended-agency/suspension', { method: 'POST', body: { reason: 'Token seen in a public repository' } });
      expect(suspended).toMatchObject({ status: 201, body: { agencyId: 'suspended-agency', status: 'suspended' } });
      await untilProbe('the suspension in effect', token, { status: 403, code: 'AUTH.AGENCY_SUSPENDED' });

      const before = await eventsInStore();
      const refused = await submitReferral(token);
      expect(refused).toMatchObject({ status: 403, contentType: expect.stringContaining('application/problem+json'), body: { code: 'AUTH.AGENCY_SUSPENDED' } });
      expect(await eventsInStore()).toEqual(before);

      expect(await admin('/agencies/suspended-agency/suspension', { method: 'POST', body: { reason: 'Again' } })).toMatchObject({
        status: 422,
        body: { code: 'AGENCY.ALREADY_SUSPENDED' },
      });
      expect((await admin('/agencies')).body.agencies).toContainEqual(expect.objectContaining({ id: 'suspended-agency', status: 'suspended' }));

      expect(await admin('/agencies/suspended-agency/suspension', { method: 'DELETE' })).toMatchObject({
        status: 200,
        body: { agencyId: 'suspended-agency', status: 'active' },
      });
      await untilProbe('the reinstatement in effect', token, accepted);
      expect((await submitReferral(token)).status).toBe(201);
      expect(await admin('/agencies/suspended-agency/suspension', { method: 'DELETE' })).toMatchObject({ status: 422, body: { code: 'AGENCY.NOT_SUSPENDED' } });
    });

    it('refuses a suspension without a reason, or with one over 200 characters', async () => {
      await registerAgency('suspension-refused');
      for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: 'x'.repeat(201) }]) {
        expect(await admin('/agencies/suspension-refused/suspension', { method: 'POST', body })).toMatchObject({ status: 400, body: { code: 'REQUEST.INVALID' } });
      }
    });
  });

  describe('revoking an agency', () => {
    it('refuses its requests for good: it cannot be reinstated, suspended or given a new credential', async () => {
      const token = await registerAgency('revoked-agency');
      expect(await admin('/agencies/revoked-agency/revocation', { method: 'POST', body: { reason: 'Agreement terminated' } })).toMatchObject({
        status: 201,
        body: { agencyId: 'revoked-agency', status: 'revoked' },
      });
      await untilProbe('the revocation in effect', token, { status: 403, code: 'AUTH.AGENCY_REVOKED' });

      const afterwards = [
        await admin('/agencies/revoked-agency/suspension', { method: 'DELETE' }),
        await admin('/agencies/revoked-agency/suspension', { method: 'POST', body: { reason: 'Suspend instead' } }),
        await admin('/agencies/revoked-agency/credentials', { method: 'POST', body: { graceSeconds: 0 } }),
        await admin('/agencies/revoked-agency/revocation', { method: 'POST', body: { reason: 'Twice' } }),
      ];
      expect(afterwards.map(({ status, body }) => ({ status, code: body.code }))).toEqual(Array(4).fill({ status: 422, code: 'AGENCY.REVOKED' }));
      expect(await probe(token)).toEqual({ status: 403, code: 'AUTH.AGENCY_REVOKED' });
      expect((await admin('/agencies/revoked-agency')).body).toMatchObject({ id: 'revoked-agency', status: 'revoked' });
    });
  });

  it('lists every agency with its status and shows credential windows, never a token or its hash', async () => {
    const token = await registerAgency('listed-agency');
    await rotate('listed-agency', 3600);
    const listing = await eventually('the rotation listed', async () => {
      const found = await admin('/agencies/listed-agency');
      return found.body?.credentials?.length === 2 ? found : undefined;
    });
    expect(listing.body).toEqual({
      id: 'listed-agency',
      name: 'Test agency listed-agency',
      kind: 'local-law-enforcement',
      jurisdiction: [],
      status: 'active',
      credentials: [
        { issuedAt: expect.any(String), validUntil: expect.any(String) },
        { issuedAt: expect.any(String), validUntil: null },
      ],
    });
    const all = await admin('/agencies');
    expect(all.body.agencies).toContainEqual({ id: 'listed-agency', name: 'Test agency listed-agency', kind: 'local-law-enforcement', jurisdiction: [], status: 'active' });
    expect(await probe(token)).toEqual(accepted);

    const shown = JSON.stringify([all.body, listing.body]);
    expect(issued.length).toBeGreaterThanOrEqual(2);
    for (const secret of issued) {
      expect(shown).not.toContain(secret);
      expect(shown).not.toContain(sha256Hex(secret));
    }
    expect(shown).not.toMatch(/[0-9a-f]{64}/i);
    expect(await admin('/agencies/no-such-agency')).toMatchObject({ status: 404, body: { code: 'AGENCY.NOT_FOUND' } });
  });

  /** Every event in the store, in feed order. */
  async function eventsInStore(): Promise<string[]> {
    const ids: string[] = [];
    for (let page = await store.readAll(undefined, 500); page.length > 0; page = await store.readAll(page[page.length - 1].position, 500)) {
      ids.push(...page.map((event) => event.id));
    }
    return ids;
  }
});

/** The relay reads the suspension from the feed before any later record, so no wait is needed for it to apply. */
describe('deliveries to a suspended agency', () => {
  const namespace = `${uniqueName('e2e')}.`;
  const [hsi] = DEMO_AGENCIES;
  let exchange: RunningApp;
  const admin = (path: string, options: { method?: string; body?: unknown } = {}) =>
    request(`${exchange.url}/v1/admin${path}`, { token: DEMO_ADMIN_TOKEN, ...options });
  const refer = async (): Promise<string> => {
    const submitted = await request(`${exchange.url}/v1/referrals`, { method: 'POST', token: hsi.token, body: { ...EXAMPLE_REFERRAL, referredToAgencyId: 'lifecycle-shelter' } });
    expect(submitted.status).toBe(201);
    return submitted.body.recordId;
  };

  beforeAll(async () => {
    exchange = await startApp(
      { databaseUrl: TEST_DATABASE_URL, databaseSchema: uniqueName('e2e_lifecycle_relay'), ...exchangeKafka(EXCHANGE_PRINCIPALS.admin), topicNamespace: namespace },
      [IntakeModule, RelayModule, AdminModule],
    );
  });

  afterAll(() => exchange?.app.close());

  it('stop while it is suspended and resume once it is reinstated', async () => {
    expect((await admin('/agencies', { method: 'POST', body: { agencyId: 'lifecycle-shelter', name: 'Lifecycle Shelter', kind: 'victim-service-provider', jurisdiction: [] } })).status).toBe(201);
    const policy = {
      appliesTo: { agencyId: 'lifecycle-shelter' },
      recordType: 'victim-referral',
      purpose: 'victim-services',
      addresseeOnly: true,
      rules: [{ path: 'referralId', action: 'include' }],
    };
    expect((await admin('/policies/lifecycle-shelter-referrals/versions', { method: 'POST', body: policy })).status).toBe(201);
    await eventually('the subscription', async () => {
      const created = await admin('/subscriptions', { method: 'POST', body: { agencyId: 'lifecycle-shelter', recordType: 'victim-referral' } });
      return created.status === 201 ? true : undefined;
    });
    const topic = outboundTopic(namespace, 'lifecycle-shelter', 'victim-referral', 2)!;

    const beforeSuspension = await refer();
    expect((await admin('/agencies/lifecycle-shelter/suspension', { method: 'POST', body: { reason: 'Audit of its access' } })).status).toBe(201);
    const whileSuspended = await refer();
    expect((await admin('/agencies/lifecycle-shelter/suspension', { method: 'DELETE' })).status).toBe(200);
    const afterReinstatement = await refer();

    const keys = (await readTopics([topic], (messages) => messages.some((message) => message.key === afterReinstatement))).map((message) => message.key);
    expect(keys).toContain(beforeSuspension);
    expect(keys).toContain(afterReinstatement);
    expect(keys).not.toContain(whileSuspended);
  });
});
