import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { AdminModule } from '../../../apps/admin/src/admin.module';
import { InboxModule } from '../../../apps/inbox/src/inbox.module';
import { IntakeModule } from '../../../apps/intake/src/intake.module';
import { RelayModule } from '../../../apps/relay/src/relay.module';
import { DEMO_PEOPLE } from '@crescent/people';
import { DEMO_AGENCIES } from '@crescent/runtime';
import { RunningApp, startApp } from '@crescent/test-support';
import { createExchangeClient } from '../../../contracts/client';
import { EXAMPLE_REFERRAL } from '../fixtures';
import { launchBrowser, openPage } from '../../support/browser';

const [hsi] = DEMO_AGENCIES;
const [caseworker] = DEMO_PEOPLE.inbox;
const [admin] = DEMO_PEOPLE.admin;

/** What `npm start` runs, as the README's newcomer meets it: both UIs on one origin, a referral worked end to end. */
describe('the web UIs of the embedded exchange', () => {
  let exchange: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    const databaseUrl = `sqlite:${join(mkdtempSync(join(tmpdir(), 'crescent-ui-')), 'crescent.sqlite')}`;
    exchange = await startApp({ databaseUrl, kafkaBrokers: [] }, [IntakeModule, RelayModule, InboxModule, AdminModule]);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await exchange?.app.close();
  });

  it('lets the demo caseworker find and accept a referral, and the administrator sign in beside, on one origin', async () => {
    const origin = exchange.url.replace('127.0.0.1', 'localhost');
    await createExchangeClient(exchange.url, hsi.token).POST('/v1/referrals', { body: EXAMPLE_REFERRAL });
    await createExchangeClient(exchange.url, hsi.token).POST('/v1/referrals', { body: { ...EXAMPLE_REFERRAL, victim: { ...EXAMPLE_REFERRAL.victim, givenName: 'Ana' }, needs: ['medical'] } });
    const { page, errors } = await openPage(browser);

    await page.goto(`${origin}/inbox/`);
    await page.getByLabel('Username').fill(caseworker.username);
    await page.getByLabel('Password').fill(caseworker.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Ana Example' }).waitFor();
    // Searched over what the shelter received: only Maria needs an interpreter.
    await page.getByLabel('Search', { exact: true }).fill('interpreter');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Ana Example' }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Maria Example' }).click();
    await page.getByRole('button', { name: /Acknowledge/ }).click();
    await page.getByRole('button', { name: /Accept/ }).click();
    await page.getByRole('heading', { name: /Accepted/ }).waitFor();
    await page.getByRole('link', { name: 'All referrals' }).click();
    await page.getByRole('button', { name: 'Accepted (1)' }).click();
    await page.getByRole('link', { name: 'Maria Example' }).waitFor();

    // The administrator signs in by keyboard alone: past the skip link, each control in turn, focus always visible.
    await page.goto(`${origin}/admin/`);
    await page.getByLabel('Username').waitFor();
    const focusedOutline = () => page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    await page.keyboard.press('Tab');
    expect(await focusedOutline()).toBe('solid');
    await page.keyboard.type(admin.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(admin.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Agencies' }).waitFor();
    // The inbox session lives on beside the admin's: its own cookie.
    await page.goto(`${origin}/inbox/`);
    await page.getByText(`Signed in as ${caseworker.displayName}`).waitFor();
    expect(errors).toEqual([]);
  });
});
