import { AdminModule } from '../../apps/admin/src/admin.module';
import { InboxModule } from '../../apps/inbox/src/inbox.module';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { RelayModule } from '../../apps/relay/src/relay.module';
import { EXCHANGE_PRINCIPALS, outboundTopic } from '@crescent/messaging';
import { DEMO_ADMIN_TOKEN, DEMO_AGENCIES } from '@crescent/runtime';
import { eventually, exchangeKafka, readTopics, request, RunningApp, startApp, TEST_DATABASE_URL, uniqueName } from '@crescent/test-support';
import { EXAMPLE_REFERRAL } from './fixtures';

const [hsi, , shelter] = DEMO_AGENCIES;
const SHELTER_POLICY = 'shelter-referrals';

/** Admins register agencies and publish policies; the preview shows exactly what the relay sends. */
describe('the admin API against the running exchange', () => {
  const namespace = `${uniqueName('e2e')}.`;
  let exchange: RunningApp;
  const admin = (path: string, options: { method?: string; body?: unknown; token?: string } = {}) =>
    request(`${exchange.url}/v1/admin${path}`, { token: DEMO_ADMIN_TOKEN, ...options });

  beforeAll(async () => {
    exchange = await startApp(
      { databaseUrl: TEST_DATABASE_URL, databaseSchema: uniqueName('e2e_admin'), ...exchangeKafka(EXCHANGE_PRINCIPALS.admin), topicNamespace: namespace },
      [IntakeModule, RelayModule, InboxModule, AdminModule],
    );
  });

  afterAll(() => exchange?.app.close());

  it('refuses anyone without the administrators\' token, agencies included', async () => {
    expect(await admin('/agencies', { token: 'wrong' })).toMatchObject({ status: 401, body: { code: 'AUTH.NOT_AN_ADMIN' } });
    expect(await admin('/agencies', { token: hsi.token })).toMatchObject({ status: 401, body: { code: 'AUTH.NOT_AN_ADMIN' } });
  });

  it('registers an agency whose one-time token then works at intake', async () => {
    const registered = await admin('/agencies', {
      method: 'POST',
      body: { agencyId: 'nopd-special-victims', name: 'NOPD Special Victims Section', kind: 'local-law-enforcement', jurisdiction: [] },
    });
    expect(registered.status).toBe(201);
    expect(registered.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await eventually('the agency in the directory', async () =>
      (await admin('/agencies')).body.agencies.find((agency: { id: string }) => agency.id === 'nopd-special-victims'),
    );
    const submitted = await request(`${exchange.url}/v1/referrals`, { method: 'POST', token: registered.body.token, body: EXAMPLE_REFERRAL });
    expect(submitted.status).toBe(201);
    expect(JSON.stringify((await admin('/agencies')).body)).not.toContain(registered.body.token);
    const again = await admin('/agencies', { method: 'POST', body: { agencyId: 'nopd-special-victims', name: 'Other', kind: 'prosecutor', jurisdiction: [] } });
    expect(again.status).toBe(409);
  });

  it('previews a stored record exactly as the relay delivered it, byte for byte', async () => {
    const submitted = await request(`${exchange.url}/v1/referrals`, { method: 'POST', token: hsi.token, body: EXAMPLE_REFERRAL });
    const referralId: string = submitted.body.recordId;
    const delivered = await readValue(outboundTopic(namespace, shelter.agency.id, 'victim-referral', 2)!, referralId);

    const preview = await admin('/previews', {
      method: 'POST',
      body: { recipientAgencyId: shelter.agency.id, record: { recordType: 'victim-referral', recordId: referralId } },
    });
    expect(preview.status).toBe(200);
    expect(JSON.stringify(preview.body.events[0].projection.payload)).toBe(delivered);
    const decisions = preview.body.events[0].projection.fields as { path: string; outcome: string; decidedBy: string }[];
    expect(decisions.find((field) => field.path === 'victim.dateOfBirth')).toMatchObject({ outcome: 'withheld' });
    expect(decisions.find((field) => field.path === 'immigrationReliefStatus')).toMatchObject({ outcome: 'withheld' });
  });

  it('shows in a draft preview that no policy can send immigration status outside DHS', async () => {
    const current = (await admin(`/policies/${SHELTER_POLICY}/versions`)).body.versions.at(-1);
    const otherRules = current.rules.filter((rule: { path: string }) => rule.path !== 'immigrationReliefStatus');
    const draft = { ...pick(current), rules: [...otherRules, { path: 'immigrationReliefStatus', action: 'include' }] };
    const preview = await admin('/previews', {
      method: 'POST',
      body: {
        recipientAgencyId: shelter.agency.id,
        sample: { recordType: 'victim-referral', recordId: 'sample-1', originAgencyId: hsi.agency.id, event: { type: 'VictimReferralSubmitted', data: sampleSubmission() } },
        draft,
      },
    });
    expect({ status: preview.status, body: preview.status === 200 ? 'ok' : preview.body }).toEqual({ status: 200, body: 'ok' });
    const { projection } = preview.body.events[0];
    expect(projection.payload).not.toHaveProperty('immigrationReliefStatus');
    expect(projection.fields.find((field: { path: string }) => field.path === 'immigrationReliefStatus')).toMatchObject({
      outcome: 'withheld',
      decidedBy: expect.stringContaining('1367'),
    });
  });

  it('refuses a sample that does not fit its event\'s contract, naming the paths and echoing no value nor unknown key', async () => {
    const { victim, ...rest } = sampleSubmission();
    const data = { ...rest, victim: { ...victim, dateOfBirth: 'spring of 1994' }, nickname: 'Mari' };
    const preview = await admin('/previews', {
      method: 'POST',
      body: { recipientAgencyId: shelter.agency.id, sample: { recordType: 'victim-referral', recordId: 'sample-2', originAgencyId: hsi.agency.id, event: { type: 'VictimReferralSubmitted', data } } },
    });
    expect(preview).toMatchObject({ status: 400, body: { code: 'PREVIEW.SAMPLE_INVALID' } });
    expect(preview.body.detail).toContain('/victim/dateOfBirth');
    expect(preview.body.detail).toContain('/ must NOT have additional properties');
    expect(JSON.stringify(preview.body)).not.toMatch(/spring of 1994|Mari\b|Example|nickname/);
  });

  it('publishes a new policy version, lists and diffs versions, and the relay applies it from then on', async () => {
    const current = (await admin(`/policies/${SHELTER_POLICY}/versions`)).body.versions.at(-1);
    const published = await admin(`/policies/${SHELTER_POLICY}/versions`, {
      method: 'POST',
      body: { ...pick(current), rules: [...current.rules, { path: 'foundAt', action: 'generalize', to: 'parish' }] },
    });
    expect(published).toMatchObject({ status: 201, body: { version: current.version + 1 } });
    await eventually('the new version', async () => ((await admin(`/policies/${SHELTER_POLICY}/versions`)).body.versions.length > current.version ? true : undefined));

    const diff = await admin(`/policies/${SHELTER_POLICY}/diff?from=${current.version}&to=${current.version + 1}`);
    expect(diff.status).toBe(200);
    expect(JSON.stringify(diff.body)).toContain('foundAt');

    const submitted = await request(`${exchange.url}/v1/referrals`, { method: 'POST', token: hsi.token, body: EXAMPLE_REFERRAL });
    const delivered = JSON.parse(await readValue(outboundTopic(namespace, shelter.agency.id, 'victim-referral', 2)!, submitted.body.recordId));
    expect(delivered.foundAt).toBe('Orleans');
    expect(JSON.stringify(delivered)).not.toContain('Chef Menteur');
    expect(await admin(`/policies/${SHELTER_POLICY}/versions/99`)).toMatchObject({ status: 404, body: { code: 'POLICY.VERSION_NOT_FOUND' } });
  });
});

describe('subscriptions', () => {
  const namespace = `${uniqueName('e2e')}.`;
  let exchange: RunningApp;
  const admin = (path: string, body?: unknown) =>
    request(`${exchange.url}/v1/admin${path}`, { token: DEMO_ADMIN_TOKEN, ...(body === undefined ? {} : { method: 'POST', body }) });
  const refer = async (parish: string): Promise<string> =>
    (await request(`${exchange.url}/v1/referrals`, {
      method: 'POST',
      token: hsi.token,
      body: { ...EXAMPLE_REFERRAL, referredToAgencyId: 'jefferson-shelter', foundAt: { description: 'Bus station', parish } },
    })).body.recordId;

  beforeAll(async () => {
    exchange = await startApp(
      { databaseUrl: TEST_DATABASE_URL, databaseSchema: uniqueName('e2e_subs'), ...exchangeKafka(EXCHANGE_PRINCIPALS.admin), topicNamespace: namespace },
      [IntakeModule, RelayModule, AdminModule],
    );
  });

  afterAll(() => exchange?.app.close());

  it('delivers only what a subscription asks for, downcast to its pinned version, and nothing while it is paused', async () => {
    expect((await admin('/agencies', { agencyId: 'jefferson-shelter', name: 'Jefferson Shelter', kind: 'victim-service-provider', jurisdiction: [] })).status).toBe(201);
    expect(
      (await admin('/policies/jefferson-referrals/versions', {
        appliesTo: { agencyId: 'jefferson-shelter' },
        recordType: 'victim-referral',
        purpose: 'victim-services',
        addresseeOnly: true,
        rules: ['referralId', 'victim.givenName', 'victim.familyName', 'victim.preferredLanguages', 'needs'].map((path) => ({ path, action: 'include' })),
      })).status,
    ).toBe(201);
    const subscription = await eventually('the subscription', async () => {
      const created = await admin('/subscriptions', { agencyId: 'jefferson-shelter', recordType: 'victim-referral', schemaVersion: 1, filters: { parishes: ['Orleans'] } });
      return created.status === 201 ? created.body.recordId : undefined;
    });
    const topic = outboundTopic(namespace, 'jefferson-shelter', 'victim-referral', 1)!;

    const inOrleans = await refer('Orleans');
    const delivered = JSON.parse(await readValue(topic, inOrleans));
    expect(delivered).toEqual({ referralId: inOrleans, victim: { name: 'Maria Example', languages: ['es', 'en'] }, needs: ['shelter', 'legal', 'interpreter'] });

    const inJefferson = await refer('Jefferson');
    expect((await admin(`/subscriptions/${subscription}/pause`, {})).status).toBe(200);
    await eventually('the pause in the directory', async () =>
      (await admin('/subscriptions')).body.subscriptions.find((found: { subscriptionId: string; status: string }) => found.subscriptionId === subscription && found.status === 'paused'),
    );
    const whilePaused = await refer('Orleans');
    expect((await admin(`/subscriptions/${subscription}/resume`, {})).status).toBe(200);
    const afterResume = await refer('Orleans');
    const keys = await readKeys(topic, afterResume);
    expect(keys).toContain(inOrleans);
    expect(keys).toContain(afterResume);
    expect(keys).not.toContain(inJefferson);
    expect(keys).not.toContain(whilePaused);
    expect((await admin(`/subscriptions/${subscription}/end`, {})).status).toBe(200);
    expect((await admin(`/subscriptions/${subscription}/end`, {})).body.code).toBe('SUBSCRIPTION.ENDED');
  });
});

function pick(policy: Record<string, unknown>) {
  const { appliesTo, recordType, purpose, addresseeOnly, rules } = policy;
  return { appliesTo, recordType, purpose, addresseeOnly, rules };
}

function sampleSubmission() {
  const { victim, ...rest } = EXAMPLE_REFERRAL;
  return {
    ...rest,
    referralId: 'sample-1',
    referringAgencyId: 'hsi-new-orleans',
    submittedAt: new Date().toISOString(),
    victim: { ...victim, isMinor: false },
  };
}

/** The value of the message about `recordId` on a topic, once it has arrived. */
async function readValue(topic: string, recordId: string): Promise<string> {
  const [message] = (await readTopics([topic], (messages) => messages.some((candidate) => candidate.key === recordId))).filter((candidate) => candidate.key === recordId);
  return message.value;
}

/** The keys of every message on a topic, once `last` has arrived. */
async function readKeys(topic: string, last: string): Promise<string[]> {
  return (await readTopics([topic], (messages) => messages.some((message) => message.key === last))).map((message) => message.key);
}
