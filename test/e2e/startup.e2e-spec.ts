import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '@crescent/runtime';
import { eventually, freePort, killHard, spawnApp } from '@crescent/test-support';

/** A deployment that did not ask for the demo runs on its own secrets or not at all, on SQLite too. */
describe('starting a compiled app', () => {
  const databaseUrl = `sqlite:${join(mkdtempSync(join(tmpdir(), 'crescent-start-')), 'store.sqlite')}`;

  it.each([
    ['ADMIN_TOKEN_SHA256', {}],
    ['PSEUDONYM_SECRET', { ADMIN_TOKEN_SHA256: sha256Hex(randomBytes(32).toString('hex')) }],
  ])('without SEED_DEMO and %s exits non-zero naming it, never listening', async (missing, secrets) => {
    const port = await freePort();
    let log = '';
    const intake = spawnApp('intake', { DATABASE_URL: databaseUrl, PORT: String(port), ...secrets }, (text) => (log += text));
    let listened = false;

    const exitCode = await eventually('the app to give up', async () => {
      if (await answers(port)) listened = true;
      return intake.exitCode ?? undefined;
    });

    expect(exitCode).not.toBe(0);
    expect(log).toContain(`${missing} must be set (or SEED_DEMO=true for the demo)`);
    expect(listened).toBe(false);
    expect(await answers(port)).toBe(false);
  });

  it('with SEED_DEMO=true on the same environment listens (so the probe above would have seen it)', async () => {
    const port = await freePort();
    const intake = spawnApp('intake', { DATABASE_URL: databaseUrl, PORT: String(port), SEED_DEMO: 'true' });
    try {
      expect(await eventually('the demo intake to listen', async () => (await answers(port)) || undefined)).toBe(true);
    } finally {
      await killHard(intake);
    }
  });
});

/** Whether anything answers HTTP on the port. */
async function answers(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/health/live`).then(
    () => true,
    () => false,
  );
}
