import { AdminModule } from '../../apps/admin/src/admin.module';
import { InboxModule } from '../../apps/inbox/src/inbox.module';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { RelayModule } from '../../apps/relay/src/relay.module';
import { EXCHANGE_PRINCIPALS, outboundTopic } from '@crescent/messaging';
import { DEMO_ADMIN_TOKEN, DEMO_AGENCIES } from '@crescent/runtime';
import { eventually, exchangeKafka, readTopics, RunningApp, startApp, TEST_DATABASE_URL, uniqueName } from '@crescent/test-support';
import { createExchangeClient } from '../../contracts/client';
import type { components } from '../../contracts/generated/exchange-api';
import { EXAMPLE_REFERRAL } from './fixtures';

const [hsi, , shelter] = DEMO_AGENCIES;
const SHELTER_POLICY = 'shelter-referrals';

/** Admins register agencies and publish policies; the preview shows exactly what the relay sends. */
describe('the admin API against the running exchange', () => {
  const namespace = `${uniqueName('e2e')}.`;
  let exchange: RunningApp;
  const as = (token: string) => createExchangeClient(exchange.url, token);
  const admin = () => as(DEMO_ADMIN_TOKEN);
  const policy = { params: { path: { policyId: SHELTER_POLICY } } };
  const versions = async () => (await admin().GET('/v1/admin/policies/{policyId}/versions', policy)).data!.versions;

  beforeAll(async () => {
    exchange = await startApp(
      { databaseUrl: TEST_DATABASE_URL, databaseSchema: uniqueName('e2e_admin'), ...exchangeKafka(EXCHANGE_PRINCIPALS.admin), topicNamespace: namespace },
      [IntakeModule, RelayModule, InboxModule, AdminModule],
    );
  });

  afterAll(() => exchange?.app.close());

  it('refuses anyone without the administrators\' token, agencies included', async () => {
    for (const token of ['wrong', hsi.token]) {
      const refused = await as(token).GET('/v1/admin/agencies');
      expect({ status: refused.response.status, body: refused.error }).toMatchObject({ status: 401, body: { code: 'AUTH.NOT_AN_ADMIN' } });
    }
  });

  it('registers an agency whose one-time token then works at intake', async () => {
    const registered = await admin().POST('/v1/admin/agencies', {
      body: { agencyId: 'nopd-special-victims', name: 'NOPD Special Victims Section', kind: 'local-law-enforcement', jurisdiction: [] },
    });
    expect(registered.response.status).toBe(201);
    const token = registered.data!.token;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await eventually('the agency in the directory', async () =>
      (await admin().GET('/v1/admin/agencies')).data!.agencies.find((agency) => agency.id === 'nopd-special-victims'),
    );
    const submitted = await as(token).POST('/v1/referrals', { body: EXAMPLE_REFERRAL });
    expect(submitted.response.status).toBe(201);
    expect(JSON.stringify((await admin().GET('/v1/admin/agencies')).data)).not.toContain(token);
    const again = await admin().POST('/v1/admin/agencies', { body: { agencyId: 'nopd-special-victims', name: 'Other', kind: 'prosecutor', jurisdiction: [] } });
    expect(again.response.status).toBe(409);
  });

  it('previews a stored record exactly as the relay delivered it, byte for byte', async () => {
    const referralId = (await as(hsi.token).POST('/v1/referrals', { body: EXAMPLE_REFERRAL })).data!.recordId;
    const delivered = await readValue(outboundTopic(namespace, shelter.agency.id, 'victim-referral', 2)!, referralId);

    const preview = await admin().POST('/v1/admin/previews', {
      body: { recipientAgencyId: shelter.agency.id, record: { recordType: 'victim-referral', recordId: referralId } },
    });
    expect(preview.response.status).toBe(200);
    const projection = preview.data!.events[0].projection!;
    expect(JSON.stringify(projection.payload)).toBe(delivered);
    const decisions = projection.fields;
    expect(decisions.find((field) => field.path === 'victim.dateOfBirth')).toMatchObject({ outcome: 'withheld' });
    expect(decisions.find((field) => field.path === 'immigrationReliefStatus')).toMatchObject({ outcome: 'withheld' });
  });

  it('shows in a draft preview that no policy can send immigration status outside DHS', async () => {
    const current = (await versions()).at(-1)!;
    const otherRules = current.rules.filter((rule) => rule.path !== 'immigrationReliefStatus');
    const draft = { ...pick(current), rules: [...otherRules, { path: 'immigrationReliefStatus', action: 'include' as const }] };
    const preview = await admin().POST('/v1/admin/previews', {
      body: {
        recipientAgencyId: shelter.agency.id,
        sample: { recordType: 'victim-referral', recordId: 'sample-1', originAgencyId: hsi.agency.id, event: { type: 'VictimReferralSubmitted', data: sampleSubmission() } },
        draft,
      },
    });
    expect({ status: preview.response.status, body: preview.error ?? 'ok' }).toEqual({ status: 200, body: 'ok' });
    const projection = preview.data!.events[0].projection!;
    expect(projection.payload).not.toHaveProperty('immigrationReliefStatus');
    expect(projection.fields.find((field) => field.path === 'immigrationReliefStatus')).toMatchObject({
      outcome: 'withheld',
      decidedBy: expect.stringContaining('1367'),
    });
  });

  it('refuses a sample that does not fit its event\'s contract, naming the paths and echoing no value nor unknown key', async () => {
    const { victim, ...rest } = sampleSubmission();
    const data = { ...rest, victim: { ...victim, dateOfBirth: 'spring of 1994' }, nickname: 'Mari' };
    const preview = await admin().POST('/v1/admin/previews', {
      body: { recipientAgencyId: shelter.agency.id, sample: { recordType: 'victim-referral', recordId: 'sample-2', originAgencyId: hsi.agency.id, event: { type: 'VictimReferralSubmitted', data } } },
    });
    expect({ status: preview.response.status, body: preview.error }).toMatchObject({ status: 400, body: { code: 'PREVIEW.SAMPLE_INVALID' } });
    expect(preview.error!.detail).toContain('/victim/dateOfBirth');
    expect(preview.error!.detail).toContain('/ must NOT have additional properties');
    expect(JSON.stringify(preview.error)).not.toMatch(/spring of 1994|Mari\b|Example|nickname/);
  });

  it('publishes a new policy version, lists and diffs versions, and the relay applies it from then on', async () => {
    const current = (await versions()).at(-1)!;
    const published = await admin().POST('/v1/admin/policies/{policyId}/versions', {
      ...policy,
      // Where she was found: its parish from now on, in place of the whole place under her consent.
      body: { ...pick(current), rules: [...current.rules.filter(({ path }) => path !== 'foundAt'), { path: 'foundAt', action: 'generalize', to: 'parish' }] },
    });
    expect({ status: published.response.status, body: published.data }).toMatchObject({ status: 201, body: { version: current.version + 1 } });
    await eventually('the new version', async () => ((await versions()).length > current.version ? true : undefined));

    const diff = await admin().GET('/v1/admin/policies/{policyId}/diff', { params: { ...policy.params, query: { from: current.version, to: current.version + 1 } } });
    expect(diff.response.status).toBe(200);
    expect(JSON.stringify(diff.data)).toContain('foundAt');

    const submitted = await as(hsi.token).POST('/v1/referrals', { body: EXAMPLE_REFERRAL });
    const delivered = JSON.parse(await readValue(outboundTopic(namespace, shelter.agency.id, 'victim-referral', 2)!, submitted.data!.recordId));
    expect(delivered.foundAt).toBe('Orleans');
    expect(JSON.stringify(delivered)).not.toContain('Chef Menteur');
    const missing = await admin().GET('/v1/admin/policies/{policyId}/versions/{version}', { params: { path: { policyId: SHELTER_POLICY, version: 99 } } });
    expect({ status: missing.response.status, body: missing.error }).toMatchObject({ status: 404, body: { code: 'POLICY.VERSION_NOT_FOUND' } });
  });
});

describe('subscriptions', () => {
  const namespace = `${uniqueName('e2e')}.`;
  let exchange: RunningApp;
  const admin = () => createExchangeClient(exchange.url, DEMO_ADMIN_TOKEN);
  const refer = async (parish: string): Promise<string> =>
    (await createExchangeClient(exchange.url, hsi.token).POST('/v1/referrals', {
      body: { ...EXAMPLE_REFERRAL, referredToAgencyId: 'jefferson-shelter', foundAt: { description: 'Bus station', parish } },
    })).data!.recordId;
  const subscription = (subscriptionId: string) => ({ params: { path: { subscriptionId } } });

  beforeAll(async () => {
    exchange = await startApp(
      { databaseUrl: TEST_DATABASE_URL, databaseSchema: uniqueName('e2e_subs'), ...exchangeKafka(EXCHANGE_PRINCIPALS.admin), topicNamespace: namespace },
      [IntakeModule, RelayModule, AdminModule],
    );
  });

  afterAll(() => exchange?.app.close());

  it('delivers only what a subscription asks for, downcast to its pinned version, and nothing while it is paused', async () => {
    const registered = await admin().POST('/v1/admin/agencies', { body: { agencyId: 'jefferson-shelter', name: 'Jefferson Shelter', kind: 'victim-service-provider', jurisdiction: [] } });
    expect(registered.response.status).toBe(201);
    const published = await admin().POST('/v1/admin/policies/{policyId}/versions', {
      params: { path: { policyId: 'jefferson-referrals' } },
      body: {
        appliesTo: { agencyId: 'jefferson-shelter' },
        recordType: 'victim-referral',
        purpose: 'victim-services',
        addresseeOnly: true,
        rules: ['referralId', 'victim.givenName', 'victim.familyName', 'victim.preferredLanguages', 'needs'].map((path) => ({ path, action: 'include' as const })),
      },
    });
    expect(published.response.status).toBe(201);
    const subscriptionId = await eventually('the subscription', async () => {
      const created = await admin().POST('/v1/admin/subscriptions', {
        body: { agencyId: 'jefferson-shelter', recordType: 'victim-referral', schemaVersion: 1, filters: { parishes: ['Orleans'] } },
      });
      return created.data?.recordId;
    });
    const topic = outboundTopic(namespace, 'jefferson-shelter', 'victim-referral', 1)!;

    const inOrleans = await refer('Orleans');
    const delivered = JSON.parse(await readValue(topic, inOrleans));
    expect(delivered).toEqual({ referralId: inOrleans, victim: { name: 'Maria Example', languages: ['es', 'en'] }, needs: ['shelter', 'legal', 'interpreter'] });

    const inJefferson = await refer('Jefferson');
    expect((await admin().POST('/v1/admin/subscriptions/{subscriptionId}/pause', subscription(subscriptionId))).response.status).toBe(200);
    await eventually('the pause in the directory', async () =>
      (await admin().GET('/v1/admin/subscriptions')).data!.subscriptions.find((found) => found.subscriptionId === subscriptionId && found.status === 'paused'),
    );
    const whilePaused = await refer('Orleans');
    expect((await admin().POST('/v1/admin/subscriptions/{subscriptionId}/resume', subscription(subscriptionId))).response.status).toBe(200);
    const afterResume = await refer('Orleans');
    const keys = await readKeys(topic, afterResume);
    expect(keys).toContain(inOrleans);
    expect(keys).toContain(afterResume);
    expect(keys).not.toContain(inJefferson);
    expect(keys).not.toContain(whilePaused);
    expect((await admin().POST('/v1/admin/subscriptions/{subscriptionId}/end', subscription(subscriptionId))).response.status).toBe(200);
    expect((await admin().POST('/v1/admin/subscriptions/{subscriptionId}/end', subscription(subscriptionId))).error?.code).toBe('SUBSCRIPTION.ENDED');
  });
});

function pick(policy: components['schemas']['SharingPolicyVersionDto']) {
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
