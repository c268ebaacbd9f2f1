import type { Browser, Page } from 'playwright-core';
import { AdminModule } from '../../../apps/admin/src/admin.module';
import { IntakeModule } from '../../../apps/intake/src/intake.module';
import { RelayModule } from '../../../apps/relay/src/relay.module';
import { EXCHANGE_PRINCIPALS } from '@crescent/messaging';
import { DEMO_PEOPLE } from '@crescent/people';
import { DEMO_AGENCIES } from '@crescent/runtime';
import { exchangeKafka, RunningApp, startApp, TEST_DATABASE_URL, uniqueName } from '@crescent/test-support';
import { createExchangeClient } from '../../../contracts/client';
import { EXAMPLE_REFERRAL } from '../fixtures';
import { accessibilityViolations, launchBrowser, openPage, screenshot } from '../../support/browser';

const [hsi] = DEMO_AGENCIES;
const [admin] = DEMO_PEOPLE.admin;

/** The admin console in chromium, against the exchange on PostgreSQL and the real broker. */
describe('the admin console', () => {
  let exchange: RunningApp;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let origin: string;

  beforeAll(async () => {
    exchange = await startApp(
      { databaseUrl: TEST_DATABASE_URL, databaseSchema: uniqueName('e2e_admin_ui'), topicNamespace: `${uniqueName('ui')}.`, ...exchangeKafka(EXCHANGE_PRINCIPALS.admin) },
      [IntakeModule, RelayModule, AdminModule],
    );
    // Chromium treats localhost as a secure context, as the UI's Secure cookies need.
    origin = exchange.url.replace('127.0.0.1', 'localhost');
    browser = await launchBrowser();
    ({ page, errors } = await openPage(browser));
  });

  afterAll(async () => {
    await browser?.close();
    await exchange?.app.close();
  });

  it('is served from the app under a Content-Security-Policy that allows its own files only', async () => {
    const response = await fetch(`${exchange.url}/admin/policies`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await response.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('answers a missing asset, or one outside the UI, with a 404 problem', async () => {
    for (const path of ['/admin/assets/missing.js', '/admin/assets/..%2f..%2f..%2f..%2fpackage.json']) {
      const response = await fetch(`${exchange.url}${path}`);
      expect({ status: response.status, type: response.headers.get('content-type'), code: ((await response.json()) as { code: string }).code }).toEqual({
        status: 404,
        type: expect.stringMatching(/^application\/problem\+json/),
        code: 'UI.NO_SUCH_FILE',
      });
    }
  });

  it('refuses a wrong password and signs the administrator in', async () => {
    await page.goto(`${origin}/admin/`);
    await page.getByLabel('Username').fill(admin.username);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('navigation').count()).toBe(0);

    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Agencies' }).waitFor();
    await page.getByRole('cell', { name: 'Bayou Haven Shelter bayou-haven-shelter' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'admin-agencies');
  });

  it("previews what the shelter would receive of a referral, field by field, and follows the draft's edits", async () => {
    const submitted = await createExchangeClient(exchange.url, hsi.token).POST('/v1/referrals', { body: EXAMPLE_REFERRAL });
    const referralId = submitted.data!.recordId;

    await page.getByRole('link', { name: 'Policies' }).click();
    await page.getByRole('button', { name: 'shelter-referrals' }).click();
    await page.getByLabel('Agency receiving').selectOption('bayou-haven-shelter');
    await page.getByLabel('Record id (victim-referral)').fill(referralId);

    const phone = page.locator('[aria-label="Preview of VictimReferralSubmitted"] tr[data-field="victim.phone"]');
    await expectCells(phone, ['victim.phone', 'included']);
    // The statute withholds these whatever the draft says.
    await expectCells(page.locator('[aria-label="Preview of VictimReferralSubmitted"] tr[data-field="immigrationReliefStatus"]'), ['immigrationReliefStatus', 'withheld']);

    const editor = page.getByLabel('Draft policy (JSON)');
    const draft = JSON.parse(await editor.inputValue());
    draft.rules = draft.rules.map((rule: { path: string }) => (rule.path === 'victim.phone' ? { path: 'victim.phone', action: 'drop' } : rule));
    await editor.fill(JSON.stringify(draft, null, 2));

    await expectCells(phone, ['victim.phone', 'withheld']);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'admin-policy-preview');

    // Unpublished: the policy in force still grants the phone.
    await page.getByLabel('Preview under the draft (unchecked: under the published policy)').uncheck();
    await expectCells(phone, ['victim.phone', 'included']);
  });

  it('shows the ledger with its verification and the dead letters, with nothing blocked or thrown', async () => {
    await page.getByRole('link', { name: 'Disclosure ledger' }).click();
    await page.getByRole('button', { name: 'Verify the hash chain' }).click();
    await page.getByRole('status').filter({ hasText: 'The ledger is intact' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Dead letters' }).click();
    await page.getByRole('cell', { name: 'No dead letters: every event was delivered.' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});

/** Waits until the row's first cells read as expected. */
async function expectCells(row: ReturnType<Page['locator']>, expected: string[]): Promise<void> {
  await row.filter({ hasText: expected[expected.length - 1] }).waitFor();
  const cells = await row.locator('td').allInnerTexts();
  expect(cells.slice(0, expected.length)).toEqual(expected);
}
