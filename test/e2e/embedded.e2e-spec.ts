import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InboxModule } from '../../apps/inbox/src/inbox.module';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { RelayModule } from '../../apps/relay/src/relay.module';
import { DEMO_AGENCIES } from '@crescent/runtime';
import { eventually, RunningApp, startApp } from '@crescent/test-support';
import { createExchangeClient } from '../../contracts/client';
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

  const inbox = async () => (await createExchangeClient(exchange.url, shelter.token).GET('/v1/inbox')).data!.referrals;

  it('is ready, takes the README referral and shows it in the shelter inbox, redacted', async () => {
    expect((await createExchangeClient(exchange.url).GET('/health/ready')).response.status).toBe(200);
    const submitted = await createExchangeClient(exchange.url, hsi.token).POST('/v1/referrals', { body: EXAMPLE_REFERRAL });
    expect(submitted.response.status).toBe(201);
    const referralId = submitted.data!.recordId;

    const entry = await eventually('the referral in the inbox', async () => (await inbox()).find((candidate) => candidate.referralId === referralId));
    expect(entry.referral).toEqual(expectedShelterView(referralId));
  });

  it("lets the demo caseworker acknowledge it from the inbox, which sends the step to the exchange it runs in", async () => {
    const signedIn = await createExchangeClient(exchange.url).POST('/v1/inbox/session', { body: { username: 'caseworker@shelter', password: 'demo-caseworker-password' } });
    const headers = { cookie: signedIn.response.headers.get('set-cookie')!.split(';')[0], 'x-csrf-token': signedIn.data!.csrfToken };
    const [{ referralId }] = await inbox();
    const acknowledged = await createExchangeClient(exchange.url).POST('/v1/inbox/referrals/{id}/acknowledgement', { params: { path: { id: referralId } }, headers });
    expect({ status: acknowledged.response.status, body: acknowledged.data }).toEqual({ status: 200, body: { recordId: referralId, version: 2 } });
    await eventually('the acknowledgement in the inbox', async () => ((await inbox())[0].status === 'acknowledged' ? true : undefined));
  });

  it('keeps the inbox in its SQLite file across a restart', async () => {
    const before = await inbox();
    await exchange.app.close();
    exchange = await start();

    expect(before).toHaveLength(1);
    expect(await inbox()).toEqual(before);
  });
});
