import type { Browser, Page } from 'playwright-core';
import { AdminModule } from '../../../apps/admin/src/admin.module';
import { InboxModule } from '../../../apps/inbox/src/inbox.module';
import { IntakeModule } from '../../../apps/intake/src/intake.module';
import { RelayModule } from '../../../apps/relay/src/relay.module';
import { EXCHANGE_PRINCIPALS } from '@crescent/messaging';
import { DEMO_PEOPLE } from '@crescent/people';
import { DEMO_ADMIN_TOKEN, DEMO_AGENCIES } from '@crescent/runtime';
import { eventually, exchangeKafka, kafkaBrokers, RunningApp, startApp, startInboxConnector, TEST_DATABASE_URL, uniqueName } from '@crescent/test-support';
import { createExchangeClient } from '../../../contracts/client';
import { EXAMPLE_REFERRAL } from '../fixtures';
import { accessibilityViolations, launchBrowser, openPage, screenshot } from '../../support/browser';

const [hsi, , shelter] = DEMO_AGENCIES;
const [caseworker] = DEMO_PEOPLE.inbox;
const NEXT_YEAR = new Date(Date.now() + 300 * 86_400_000).toISOString();

/**
 * The caseworker's inbox in chromium: the exchange (intake, relay, admin) on PostgreSQL and the real
 * broker, and the shelter's inbox as its own connector, serving the UI at /inbox/. HSI works through
 * the HTTP API, as its own system would.
 */
describe("the shelter caseworker's inbox", () => {
  const shared = { databaseUrl: TEST_DATABASE_URL, topicNamespace: `${uniqueName('ui')}.` };
  let exchange: RunningApp;
  let inbox: RunningApp;
  let browser: Browser;

  const as = (token: string) => createExchangeClient(exchange.url, token);
  const id = (recordId: string) => ({ params: { path: { id: recordId } } });
  const submit = async (body: object) => (await as(hsi.token).POST('/v1/referrals', { body: body as typeof EXAMPLE_REFERRAL })).data!.recordId;
  /** The referral as HSI, its sender, reads it back. */
  const hsiView = async (referralId: string) => (await as(hsi.token).GET('/v1/referrals/{id}', id(referralId))).data!;

  beforeAll(async () => {
    exchange = await startApp({ ...shared, ...exchangeKafka(EXCHANGE_PRINCIPALS.admin), databaseSchema: uniqueName('e2e_inbox_ui') }, [IntakeModule, RelayModule, AdminModule]);
    inbox = await startInboxConnector(exchange.url, shelter, { ...shared, kafkaBrokers: kafkaBrokers() }, InboxModule);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await inbox?.app.close();
    await exchange?.app.close();
  });

  /** A fresh browser session of the demo caseworker, signed in, at the given viewport. */
  async function signedIn(viewport?: { width: number; height: number }): Promise<{ page: Page; errors: string[] }> {
    const opened = await openPage(browser, viewport);
    // Chromium treats localhost as a secure context: the Secure session cookie is kept.
    await opened.page.goto(`${inbox.url.replace('127.0.0.1', 'localhost')}/inbox/`);
    await opened.page.getByLabel('Username').fill(caseworker.username);
    await opened.page.getByLabel('Password').fill(caseworker.password);
    await opened.page.getByRole('button', { name: 'Sign in' }).click();
    await opened.page.getByRole('heading', { name: 'Referrals' }).waitFor();
    return opened;
  }

  it('shows a new referral without a reload; its page never shows the date of birth or the immigration status; a question is answered, an acceptance reaches HSI under her consent', async () => {
    const { page, errors } = await signedIn();
    expect(await accessibilityViolations(page)).toEqual([]);
    // Gone if the page reloaded.
    await page.evaluate('window.notReloaded = true');

    const referralId = await submit(EXAMPLE_REFERRAL);
    const entry = page.getByRole('link', { name: 'Maria Example' });
    await entry.waitFor();
    expect(await page.evaluate('window.notReloaded')).toBe(true);
    await screenshot(page, 'inbox-list');

    await entry.click();
    await page.getByRole('heading', { name: /Maria Example/ }).waitFor();
    await page.getByText('+1 504 555 0142').waitFor();
    const shown = `${await page.content()}\n${await page.locator('body').innerText()}`;
    for (const withheld of ['1994-03-17', '1994', '03/17', 'birth', 'Birth', 't-visa', 'T-visa', 'T visa', 'immigration', 'Immigration']) expect(shown).not.toContain(withheld);
    // What the shelter needs to plan a family room, and whom to call back.
    await page.getByText('daughter, aged').waitFor();
    await page.getByText('SA Dana Example, +1 504 555 0199').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'inbox-referral');

    await page.getByRole('button', { name: /Acknowledge/ }).click();
    await page.getByLabel('Your question').fill('Is there a safe number to call her on?');
    await page.getByRole('button', { name: 'Send the question' }).click();
    const asked = await eventually('the question in HSI’s view', async () => {
      const questions = ((await hsiView(referralId)).record as { questions?: { questionId: string; question: string }[] }).questions;
      return questions?.find((question) => question.question === 'Is there a safe number to call her on?');
    });
    const answered = await as(hsi.token).POST('/v1/referrals/{id}/information-answers', { ...id(referralId), body: { questionId: asked.questionId, answer: 'Only the one in the referral, after 6 pm.' } });
    expect(answered.response.status).toBe(200);
    await page.getByText('Only the one in the referral, after 6 pm.').waitFor();

    // Her consent to status updates for HSI, as the form proposes it; then the acceptance.
    await page.getByRole('button', { name: 'Record her written consent' }).click();
    await page.getByRole('button', { name: 'Withdraw this consent' }).waitFor();
    await page.getByRole('button', { name: /Accept/ }).click();
    await page.getByRole('heading', { name: /Accepted/ }).waitFor();
    await eventually('the acceptance in HSI’s view', async () => ((await hsiView(referralId)).status === 'accepted' ? true : undefined));
    expect(await accessibilityViolations(page)).toEqual([]);

    // Withdrawn in the inbox, the consent no longer lets HSI see what the shelter did.
    await page.getByLabel('Why she withdraws it').fill('She asked us to stop sharing.');
    await page.getByRole('button', { name: 'Withdraw this consent' }).click();
    await page.getByText(/She withdrew this consent on/).waitFor();
    await eventually('the acceptance gone from HSI’s view', async () => ((await hsiView(referralId)).status === 'accepted' ? undefined : true));
    expect(errors).toEqual([]);
  });

  it('takes data away from the page, with a note, when the consent it came under is revoked', async () => {
    // The shelter's policy, amended: the victim's phone only with her consent.
    const policy = (await as(DEMO_ADMIN_TOKEN).GET('/v1/admin/policies')).data!.policies.find(({ policyId }) => policyId === 'shelter-referrals')!;
    const { appliesTo, recordType, purpose, addresseeOnly, rules } = policy;
    const amended = rules.map((rule) => (rule.path === 'victim.phone' ? { path: 'victim.phone', action: 'include' as const, when: { requiresConsent: true } } : rule));
    const published = await as(DEMO_ADMIN_TOKEN).POST('/v1/admin/policies/{policyId}/versions', { params: { path: { policyId: 'shelter-referrals' } }, body: { appliesTo, recordType, purpose, addresseeOnly, rules: amended } });
    expect(published.response.status).toBe(201);
    const referralId = await submit({ ...EXAMPLE_REFERRAL, victim: { ...EXAMPLE_REFERRAL.victim, givenName: 'Lucia', phone: '+1 504 555 0177' } });

    const { page, errors } = await signedIn();
    await page.getByRole('link', { name: 'Lucia Example' }).click();
    await page.getByRole('heading', { name: /Lucia Example/ }).waitFor();
    expect(await page.locator('main').innerText()).not.toContain('555 0177');

    const consent = await as(hsi.token).POST('/v1/consents', {
      body: { referralId, victimIsMinor: false, recipientAgencyIds: [shelter.agency.id], purposes: ['victim-services'], fields: ['victim.phone'], written: true, informed: true, expiresAt: NEXT_YEAR },
    });
    expect(consent.response.status).toBe(201);
    await page.getByText('+1 504 555 0177').waitFor();

    expect((await as(hsi.token).POST('/v1/consents/{id}/revocation', { ...id(consent.data!.recordId), body: { reason: 'The victim withdrew consent' } })).response.status).toBe(200);
    await page.locator('.retracted').waitFor();
    const main = await page.locator('main').innerText();
    expect(main).not.toContain('555 0177');
    expect(main).not.toContain('Lucia');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'inbox-retracted');
    expect(errors).toEqual([]);
  });

  it("opens no other shelter's referral by its URL, and fits a phone's width", async () => {
    const registered = await as(DEMO_ADMIN_TOKEN).POST('/v1/admin/agencies', { body: { agencyId: 'st-jude-refuge', name: 'St. Jude Refuge', kind: 'victim-service-provider', jurisdiction: [] } });
    expect(registered.response.status).toBe(201);
    const otherReferral = await eventually('a referral to the other shelter', async () => {
      const submitted = await as(hsi.token).POST('/v1/referrals', { body: { ...EXAMPLE_REFERRAL, referredToAgencyId: 'st-jude-refuge', victim: { ...EXAMPLE_REFERRAL.victim, givenName: 'Rosa' } } });
      return submitted.data?.recordId;
    });

    const { page, errors } = await signedIn({ width: 390, height: 844 });
    await page.goto(`${inbox.url.replace('127.0.0.1', 'localhost')}/inbox/referrals/${otherReferral}`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toMatch(/no such referral/i);
    expect(await page.locator('body').innerText()).not.toContain('Rosa');

    await page.getByRole('link', { name: 'All referrals' }).click();
    await page.getByRole('link', { name: 'Maria Example' }).first().click();
    await page.getByRole('heading', { name: /Maria Example/ }).waitFor();
    // Nothing sideways at 390 pixels: the page scrolls down only.
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'inbox-phone');
    expect(errors).toEqual([]);
  });
});
