import { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_AGENCIES } from '@crescent/runtime';
import { eventually, freePort, killHard, spawnApp } from '@crescent/test-support';
import { createExchangeClient } from '../../contracts/client';
import { EXAMPLE_REFERRAL } from './fixtures';

const [hsi] = DEMO_AGENCIES;
const REQUESTS = 40;

/** SIGTERM (an orchestrator) and Ctrl-C (`npm start` in a terminal) stop an app cleanly: what it began it finishes, and it exits. */
describe('stopping a running app', () => {
  const children: ChildProcess[] = [];

  afterAll(async () => {
    for (const child of children) await killHard(child);
  });

  const start = async (app: 'intake' | 'exchange', databaseUrl: string) => {
    const port = await freePort();
    const child = spawnApp(app, { DATABASE_URL: databaseUrl, PORT: String(port), SEED_DEMO: 'true' });
    children.push(child);
    const url = `http://127.0.0.1:${port}`;
    await eventually(`${app} to be ready`, async () => ((await fetch(`${url}/health/ready`).catch(() => undefined))?.status === 200 ? true : undefined), 60_000);
    return { child, url };
  };

  it(`intake, sent SIGTERM amid ${REQUESTS} submissions, answers what it began, loses none it answered, and exits; retries complete the rest once`, async () => {
    const databaseUrl = `sqlite:${join(mkdtempSync(join(tmpdir(), 'crescent-stop-')), 'store.sqlite')}`;
    const first = await start('intake', databaseUrl);
    const client = createExchangeClient(first.url, hsi.token);
    const submit = (key: string) => client.POST('/v1/referrals', { body: EXAMPLE_REFERRAL, params: { header: { 'Idempotency-Key': key } } });
    const keys = Array.from({ length: REQUESTS }, (_, n) => `stop-test-${n}`);

    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => first.child.once('exit', (code, signal) => resolve({ code, signal })));
    let answeredBeforeStop = 0;
    let firstAnswer!: () => void;
    const firstAnswered = new Promise<void>((resolve) => (firstAnswer = resolve));
    const outcomes = Promise.all(
      keys.map((key) =>
        submit(key).then(
          ({ response, data }) => {
            answeredBeforeStop += 1;
            firstAnswer();
            return { status: response.status, recordId: data?.recordId };
          },
          () => ({ status: 0, recordId: undefined }),
        ),
      ),
    );
    // Stopped as soon as intake has answered one: the rest are on their way, or in its hands.
    await firstAnswered;
    first.child.kill('SIGTERM');
    const inFlightAtStop = REQUESTS - answeredBeforeStop;
    const answered = await outcomes;
    const { code, signal } = await exited;

    const accepted = answered.filter(({ status }) => status === 201);
    process.stdout.write(
      `shutdown test: SIGTERM with ${inFlightAtStop} of ${REQUESTS} submissions unanswered; ${accepted.length} answered 201 in all, ` +
        `${answered.filter(({ status }) => status === 0).length} refused at the door; intake exited ${signal ?? code}\n`,
    );
    expect(inFlightAtStop).toBeGreaterThan(0);
    // Nest's shutdown hooks ran and the signal was raised again, as a process stopped by it should exit.
    expect(signal === 'SIGTERM' || code === 0).toBe(true);
    // Every request was either answered or refused: none hung, and none answered 5xx.
    expect(answered.every(({ status }) => status === 0 || status === 201)).toBe(true);

    const second = await start('intake', databaseUrl);
    const again = createExchangeClient(second.url, hsi.token);
    for (const { recordId } of accepted) expect((await again.GET('/v1/referrals/{id}', { params: { path: { id: recordId! } } })).response.status).toBe(200);
    const retried = await Promise.all(keys.map((key) => again.POST('/v1/referrals', { body: EXAMPLE_REFERRAL, params: { header: { 'Idempotency-Key': key } } })));
    expect(retried.map(({ response }) => response.status)).toEqual(keys.map(() => 201));
    // A retry of an answered request is that request: the same record, no second one.
    const byKey = new Map(keys.map((key, n) => [key, retried[n].data!.recordId]));
    answered.forEach(({ status, recordId }, n) => status === 201 && expect(byKey.get(keys[n])).toBe(recordId));
    expect(new Set(byKey.values()).size).toBe(REQUESTS);
  });

  it('the exchange npm start runs stops on Ctrl-C (SIGINT), leaving no process behind', async () => {
    const databaseUrl = `sqlite:${join(mkdtempSync(join(tmpdir(), 'crescent-stop-')), 'store.sqlite')}`;
    const { child } = await start('exchange', databaseUrl);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    child.kill('SIGINT');
    const { code, signal } = await exited;
    expect(signal === 'SIGINT' || code === 0).toBe(true);
  });
});
