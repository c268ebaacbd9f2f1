import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePorts } from './processes';

const KAFKA = join(__dirname, '..', '..', 'deploy', 'kafka');
const run = promisify(execFile);

/** A broker of a test's own (deploy/kafka), on its own ports and state, that the test may stop and start again on its data. */
export interface OwnBroker {
  /** What a client of it needs (KAFKA_BROKERS, the token signing key, ...), as with-broker.sh exports it. */
  readonly env: Record<string, string>;
  /** Stops it, keeping its topics, offsets, ACLs and keys (stop.sh --keep-data). */
  stop(): Promise<void>;
  /** Starts it again on its data, once it answers (start.sh). */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  remove(): Promise<void>;
}

export async function startOwnBroker(): Promise<OwnBroker> {
  const stateDir = mkdtempSync(join(tmpdir(), 'crescent-own-broker-'));
  const [port, controller, internal] = await freePorts(3);
  // Not the run's broker: its address and key are left out, so the scripts look only at this state directory.
  const { KAFKA_BROKERS: _brokers, KAFKA_TOKEN_SIGNING_KEY_FILE: _key, ...inherited } = process.env;
  const scriptEnv = { ...inherited, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controller), KAFKA_INTERNAL_PORT: String(internal), KAFKA_STATE_DIR: stateDir };
  const script = (name: string, ...args: string[]) => run('bash', [join(KAFKA, name), ...args], { env: scriptEnv }).then(() => undefined);
  await script('start.sh');
  const printed = await run('bash', [join(KAFKA, 'with-broker.sh'), process.execPath, '-e', 'process.stdout.write(JSON.stringify(process.env))'], { env: scriptEnv });
  const exported = JSON.parse(printed.stdout) as Record<string, string>;
  const env = Object.fromEntries(Object.entries(exported).filter(([name]) => name.startsWith('KAFKA_')));
  return {
    env,
    stop: () => script('stop.sh', '--keep-data'),
    start: () => script('start.sh'),
    remove: async () => {
      await script('stop.sh');
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
