import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { AddressInfo, createServer, Server } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * A compiled app running as its own process, as a deployment runs it (`npm run build` first), with
 * only the environment given: no demo unless it says SEED_DEMO=true. Its stderr is the test's, or
 * (`pipe`) its log, stdout and stderr, goes to `onLog` as it comes.
 */
export function spawnApp(app: 'relay' | 'intake' | 'inbox' | 'admin' | 'exchange', env: Record<string, string>, onLog?: (text: string) => void): ChildProcess {
  const main = join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build before the e2e tier`);
  const child = spawn(process.execPath, ['-r', join(ROOT, 'deploy', 'node', 'register-paths.js'), main], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', onLog ? 'pipe' : 'ignore', onLog ? 'pipe' : 'inherit'],
  });
  // Read as it comes, so a full pipe never stalls the app.
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => onLog?.(chunk.toString()));
  return child;
}

/** kill -9: no shutdown hook runs, nothing is flushed, the lease is not released. */
export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** A loopback port nothing listens on now, for an app spawned with its own PORT. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port;
}

/**
 * `count` loopback ports nothing listens on now, all different: each is held until all are found.
 * One at a time, the system may hand out a port just given back again (a broker then refused two
 * listeners on one port).
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<Server>((resolve, reject) => {
      const server = createServer().once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
