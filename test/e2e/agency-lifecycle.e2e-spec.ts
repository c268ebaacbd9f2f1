import { AdminModule } from '../../apps/admin/src/admin.module';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { RelayModule } from '../../apps/relay/src/relay.module';
import { EVENT_STORE, EventStore } from '@crescent/event-store';
import { EXCHANGE_PRINCIPALS, outboundTopic } from '@crescent/messaging';
import { DEMO_ADMIN_TOKEN, DEMO_AGENCIES, sha256Hex } from '@crescent/runtime';
import { answered, eventually, exchangeKafka, readTopics, RunningApp, startApp, TEST_DATABASE_URL, uniqueName } from '@crescent/test-support';
import { createExchangeClient } from '../../contracts/client';
import { EXAMPLE_REFERRAL } from './fixtures';

/**
 * Rotation, suspension and revocation as an agency's system meets them over HTTP. A new credential
 * works at once; the other changes reach the apps through the feed, so the tests wait for them to
 * show, then assert what they do.
 */
describe('an agency credential lifecycle, over HTTP', () => {
  let exchange: RunningApp;
  let store: EventStore;
  /** Every token the admin API handed out here: none may ever show in its answers, nor its hash. */
  const issued: string[] = [];

  const admin = () => createExchangeClient(exchange.url, DEMO_ADMIN_TOKEN);
  const agency = (agencyId: string) => ({ params: { path: { agencyId } } });
  /** A read that needs an agency's token: 404 (no such referral) once the token is accepted, 401 or 403 when not. */
  const probe = async (token: string) => {
    const { error, response } = await createExchangeClient(exchange.url, token).GET('/v1/referrals/{id}', { params: { path: { id: 'no-such-referral' } } });
    return { status: response.status, code: error?.code };
  };
  const accepted = { status: 404, code: 'RECORD.NOT_FOUND' };
  /** Probes until the answer is `expected`; a timeout names the last answer, so a lockout (429) shows as one. */
  const untilProbe = async (what: string, token: string, expected: { status: number; code: string }) => {
    let last: { status: number; code?: string } | undefined;
    try {
      return await eventually(what, async () => {
        last = await probe(token);
        return last.status === expected.status && last.code === expected.code ? last : undefined;
      });
    } catch (error) {
      throw new Error(`${(error as Error).message}: the last answer was ${JSON.stringify(last)}`);
    }
  };
  const submitReferral = (token: string) => answered(createExchangeClient(exchange.url, token).POST('/v1/referrals', { body: EXAMPLE_REFERRAL }));
  const suspend = (agencyId: string, reason: string) => answered(admin().POST('/v1/admin/agencies/{agencyId}/suspension', { ...agency(agencyId), body: { reason } }));
  const reinstate = (agencyId: string) => answered(admin().DELETE('/v1/admin/agencies/{agencyId}/suspension', agency(agencyId)));
  const revoke = (agencyId: string, reason: string) => answered(admin().POST('/v1/admin/agencies/{agencyId}/revocation', { ...agency(agencyId), body: { reason } }));
  const newCredential = (agencyId: string, graceSeconds: number) =>
    answered(admin().POST('/v1/admin/agencies/{agencyId}/credentials', { ...agency(agencyId), body: { graceSeconds } }));
  const agencyDetail = (agencyId: string) => answered(admin().GET('/v1/admin/agencies/{agencyId}', agency(agencyId)));
  const agencies = async () => (await admin().GET('/v1/admin/agencies')).data!.agencies;

  async function registerAgency(agencyId: string): Promise<string> {
    const registered = await admin().POST('/v1/admin/agencies', {
      body: { agencyId, name: `Test agency ${agencyId}`, kind: 'local-law-enforcement', jurisdiction: [] },
    });
    expect(registered.response.status).toBe(201);
    const { token } = registered.data!;
    issued.push(token);
    // At once: intake looks up a credential it does not know again once it has caught up with the feed.
    expect(await probe(token)).toEqual(accepted);
    return token;
  }

  async function rotate(agencyId: string, graceSeconds: number): Promise<{ token: string; previousCredentialsValidUntil: string }> {
    const rotated = await admin().POST('/v1/admin/agencies/{agencyId}/credentials', { ...agency(agencyId), body: { graceSeconds } });
    expect({ status: rotated.response.status, body: rotated.data }).toMatchObject({ status: 201, body: { agencyId, token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) } });
    issued.push(rotated.data!.token);
    return rotated.data!;
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

      expect(await probe(token)).toEqual(accepted);
      expect(await probe(old)).toEqual(accepted);

      const detail = await eventually('both credentials listed', async () => {
        const found = (await admin().GET('/v1/admin/agencies/{agencyId}', agency('rotation-with-grace'))).data;
        return found?.credentials.length === 2 ? found : undefined;
      });
      const [first, second] = detail.credentials;
      expect(first.validUntil).toBe(previousCredentialsValidUntil);
      expect(second.validUntil).toBeNull();
      // The grace asked for, 2 seconds, counted from the rotation: the new credential's issue.
      expect(Date.parse(first.validUntil!) - Date.parse(second.issuedAt)).toBe(2000);

      await untilProbe('the old token refused once its grace is over', old, { status: 401, code: 'AUTH.UNKNOWN_CREDENTIAL' });
      expect(await probe(token)).toEqual(accepted);
    });

    it('with no grace, the old token is refused from the moment the new one works', async () => {
      const old = await registerAgency('rotation-without-grace');
      const { token } = await rotate('rotation-without-grace', 0);
      expect(await probe(token)).toEqual(accepted);
      expect(await probe(old)).toEqual({ status: 401, code: 'AUTH.UNKNOWN_CREDENTIAL' });
    });

    it('refuses a grace that is not a whole number of seconds up to 30 days, and an unknown agency', async () => {
      await registerAgency('rotation-refused');
      // '60' is no number: the contract's types refuse it, so it is cast; the exchange must refuse it too.
      for (const graceSeconds of [-1, 1.5, 2_592_001, '60' as unknown as number]) {
        expect(await newCredential('rotation-refused', graceSeconds)).toMatchObject({
          status: 400,
          contentType: expect.stringContaining('application/problem+json'),
          body: { code: 'REQUEST.INVALID' },
        });
      }
      expect(await newCredential('no-such-agency', 60)).toMatchObject({
        status: 404,
        body: { code: 'AGENCY.NOT_FOUND' },
      });
    });
  });

  describe('suspending an agency', () => {
    it("refuses the agency's requests, appends nothing it tries to write, and lets it back in once reinstated", async () => {
      const token = await registerAgency('suspended-agency');
      expect((await submitReferral(token)).status).toBe(201);

      const suspended = await suspend('suspended-agency', 'Token seen in a public repository');
      expect(suspended).toMatchObject({ status: 201, body: { agencyId: 'suspended-agency', status: 'suspended' } });
      await untilProbe('the suspension in effect', token, { status: 403, code: 'AUTH.AGENCY_SUSPENDED' });

      const before = await eventsInStore();
      const refused = await submitReferral(token);
      expect(refused).toMatchObject({ status: 403, contentType: expect.stringContaining('application/problem+json'), body: { code: 'AUTH.AGENCY_SUSPENDED' } });
      expect(await eventsInStore()).toEqual(before);

      expect(await suspend('suspended-agency', 'Again')).toMatchObject({
        status: 422,
        body: { code: 'AGENCY.ALREADY_SUSPENDED' },
      });
      expect(await agencies()).toContainEqual(expect.objectContaining({ id: 'suspended-agency', status: 'suspended' }));

      expect(await reinstate('suspended-agency')).toMatchObject({
        status: 200,
        body: { agencyId: 'suspended-agency', status: 'active' },
      });
      await untilProbe('the reinstatement in effect', token, accepted);
      expect((await submitReferral(token)).status).toBe(201);
      expect(await reinstate('suspended-agency')).toMatchObject({ status: 422, body: { code: 'AGENCY.NOT_SUSPENDED' } });
    });

    it('refuses a suspension without a reason, or with one over 200 characters', async () => {
      await registerAgency('suspension-refused');
      // No reason at all is outside the contract's types: cast, for the exchange to refuse.
      for (const body of [{} as { reason: string }, { reason: '' }, { reason: '   ' }, { reason: 'x'.repeat(201) }]) {
        const refused = await answered(admin().POST('/v1/admin/agencies/{agencyId}/suspension', { ...agency('suspension-refused'), body }));
        expect(refused).toMatchObject({ status: 400, body: { code: 'REQUEST.INVALID' } });
      }
    });
  });

  describe('revoking an agency', () => {
    it('refuses its requests for good: it cannot be reinstated, suspended or given a new credential', async () => {
      const token = await registerAgency('revoked-agency');
      expect(await revoke('revoked-agency', 'Agreement terminated')).toMatchObject({
        status: 201,
        body: { agencyId: 'revoked-agency', status: 'revoked' },
      });
      await untilProbe('the revocation in effect', token, { status: 403, code: 'AUTH.AGENCY_REVOKED' });

      const afterwards = [
        await reinstate('revoked-agency'),
        await suspend('revoked-agency', 'Suspend instead'),
        await newCredential('revoked-agency', 0),
        await revoke('revoked-agency', 'Twice'),
      ];
      expect(afterwards.map(({ status, body }) => ({ status, code: (body as { code?: string }).code }))).toEqual(Array(4).fill({ status: 422, code: 'AGENCY.REVOKED' }));
      expect(await probe(token)).toEqual({ status: 403, code: 'AUTH.AGENCY_REVOKED' });
      expect((await agencyDetail('revoked-agency')).body).toMatchObject({ id: 'revoked-agency', status: 'revoked' });
    });
  });

  it('lists every agency with its status and shows credential windows, never a token or its hash', async () => {
    const token = await registerAgency('listed-agency');
    await rotate('listed-agency', 3600);
    const listing = await eventually('the rotation listed', async () => {
      const found = (await admin().GET('/v1/admin/agencies/{agencyId}', agency('listed-agency'))).data;
      return found?.credentials.length === 2 ? found : undefined;
    });
    expect(listing).toEqual({
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
    const all = await agencies();
    expect(all).toContainEqual({ id: 'listed-agency', name: 'Test agency listed-agency', kind: 'local-law-enforcement', jurisdiction: [], status: 'active' });
    expect(await probe(token)).toEqual(accepted);

    const shown = JSON.stringify([all, listing]);
    expect(issued.length).toBeGreaterThanOrEqual(2);
    for (const secret of issued) {
      expect(shown).not.toContain(secret);
      expect(shown).not.toContain(sha256Hex(secret));
    }
    expect(shown).not.toMatch(/[0-9a-f]{64}/i);
    expect(await agencyDetail('no-such-agency')).toMatchObject({ status: 404, body: { code: 'AGENCY.NOT_FOUND' } });
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
  const admin = () => createExchangeClient(exchange.url, DEMO_ADMIN_TOKEN);
  const shelter = { params: { path: { agencyId: 'lifecycle-shelter' } } };
  const refer = async (): Promise<string> => {
    const submitted = await createExchangeClient(exchange.url, hsi.token).POST('/v1/referrals', { body: { ...EXAMPLE_REFERRAL, referredToAgencyId: 'lifecycle-shelter' } });
    expect(submitted.response.status).toBe(201);
    return submitted.data!.recordId;
  };

  beforeAll(async () => {
    exchange = await startApp(
      { databaseUrl: TEST_DATABASE_URL, databaseSchema: uniqueName('e2e_lifecycle_relay'), ...exchangeKafka(EXCHANGE_PRINCIPALS.admin), topicNamespace: namespace },
      [IntakeModule, RelayModule, AdminModule],
    );
  });

  afterAll(() => exchange?.app.close());

  it('stop while it is suspended and resume once it is reinstated', async () => {
    const registered = await admin().POST('/v1/admin/agencies', { body: { agencyId: 'lifecycle-shelter', name: 'Lifecycle Shelter', kind: 'victim-service-provider', jurisdiction: [] } });
    expect(registered.response.status).toBe(201);
    const policy = {
      appliesTo: { agencyId: 'lifecycle-shelter' },
      recordType: 'victim-referral' as const,
      purpose: 'victim-services' as const,
      addresseeOnly: true,
      rules: [{ path: 'referralId', action: 'include' as const }],
    };
    const published = await admin().POST('/v1/admin/policies/{policyId}/versions', { params: { path: { policyId: 'lifecycle-shelter-referrals' } }, body: policy });
    expect(published.response.status).toBe(201);
    await eventually('the subscription', async () => {
      const created = await admin().POST('/v1/admin/subscriptions', { body: { agencyId: 'lifecycle-shelter', recordType: 'victim-referral' } });
      return created.response.status === 201 ? true : undefined;
    });
    const topic = outboundTopic(namespace, 'lifecycle-shelter', 'victim-referral', 2)!;

    const beforeSuspension = await refer();
    expect((await admin().POST('/v1/admin/agencies/{agencyId}/suspension', { ...shelter, body: { reason: 'Audit of its access' } })).response.status).toBe(201);
    const whileSuspended = await refer();
    expect((await admin().DELETE('/v1/admin/agencies/{agencyId}/suspension', shelter)).response.status).toBe(200);
    const afterReinstatement = await refer();

    const keys = (await readTopics([topic], (messages) => messages.some((message) => message.key === afterReinstatement))).map((message) => message.key);
    expect(keys).toContain(beforeSuspension);
    expect(keys).toContain(afterReinstatement);
    expect(keys).not.toContain(whileSuspended);
  });
});
