import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InboxModule } from '../../apps/inbox/src/inbox.module';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { RelayModule } from '../../apps/relay/src/relay.module';
import { DEMO_AGENCIES } from '@crescent/runtime';
import { eventually, request, RunningApp, startApp } from '@crescent/test-support';
import { EXAMPLE_REFERRAL, expectedShelterView } from './fixtures';

const [hsi, , shelter] = DEMO_AGENCIES;

/** What `npm start` runs: every app in one process, on a SQLite file and the in-process bus. */
describe('the embedded exchange', () => {
  const databaseUrl = `sqlite:${join(mkdtempSync(join(tmpdir(), 'crescent-')), 'crescent.sqlite')}`;
  let exchange: RunningApp;

  const start = () => startApp({ databaseUrl, kafkaBrokers: [] }, [IntakeModule, RelayModule, InboxModule]);

  beforeAll(async () => {
    exchange = await start();
  });

  afterAll(() => exchange?.app.close());

  it('is ready, takes the README referral and shows it in the shelter inbox, redacted', async () => {
    expect(await request(`${exchange.url}/health/ready`)).toMatchObject({ status: 200 });
    const submitted = await request(`${exchange.url}/v1/referrals`, { method: 'POST', token: hsi.token, body: EXAMPLE_REFERRAL });
    expect(submitted.status).toBe(201);

    const entry = await eventually('the referral in the inbox', async () => {
      const { body } = await request(`${exchange.url}/v1/inbox`, { token: shelter.token });
      return body.referrals.find((candidate: { referralId: string }) => candidate.referralId === submitted.body.recordId);
    });
    expect(entry.referral).toEqual(expectedShelterView(submitted.body.recordId));
  });

  it('keeps the inbox in its SQLite file across a restart', async () => {
    const before = (await request(`${exchange.url}/v1/inbox`, { token: shelter.token })).body.referrals;
    await exchange.app.close();
    exchange = await start();

    expect(before).toHaveLength(1);
    expect((await request(`${exchange.url}/v1/inbox`, { token: shelter.token })).body.referrals).toEqual(before);
  });
});
