import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '@crescent/runtime';

const ROOT = join(__dirname, '..');
const DIR = join(ROOT, 'deploy', 'production');

type Json = Record<string, any>;
interface Manifest {
  readonly file: string;
  readonly object: Json;
}

const manifests: Manifest[] = readdirSync(DIR)
  .filter((file) => file.endsWith('.yaml'))
  .flatMap((file) =>
    parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((document) => {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0].message}`);
      return { file, object: document.toJSON() as Json };
    }),
  );

const name = ({ file, object }: Manifest) => `${file} ${object.kind}/${object.metadata?.name}`;
const ofKind = (kind: string) => manifests.filter(({ object }) => object.kind === kind);
const containers = ofKind('Deployment').flatMap((manifest) => (manifest.object.spec.template.spec.containers as Json[]).map((container) => ({ manifest, container })));
const configMap = ofKind('ConfigMap').find(({ object }) => object.metadata.name === 'crescent-config')!.object.data as Record<string, string>;

/** The Kubernetes model of an object, by its apiVersion and kind: `apps/v1` Deployment is kubernetes-models/apps/v1/Deployment. */
function modelOf({ apiVersion, kind }: Json): { new (object: Json): { validate(): void } } {
  const group = apiVersion === 'v1' ? 'v1' : apiVersion;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(`kubernetes-models/${group}/${kind}`)[kind];
}

/** The environment variables the apps read: taken from the configuration's source, so a misspelt one in a manifest is caught. */
const VARIABLES_READ = new Set([...readFileSync(join(ROOT, 'libs', 'runtime', 'src', 'config.ts'), 'utf8').matchAll(/env\.([A-Z][A-Z0-9_]*)|secret\('([A-Z][A-Z0-9_]*)'/g)].map((match) => match[1] ?? match[2]));
/** Secrets or what holds one: never written into a manifest, always from a Secret. */
const SECRET = /SECRET|TOKEN_SHA256|CREDENTIAL|DATABASE_URL|PASSWORD/;

describe('deploy/production: the Kubernetes manifests', () => {
  it('holds the deployments of intake, relay, admin and an inbox, and the objects they need', () => {
    expect(ofKind('Deployment').map(({ object }) => object.metadata.name).sort()).toEqual(['crescent-admin', 'crescent-inbox-bayou-haven', 'crescent-intake', 'crescent-relay']);
    expect(manifests.length).toBeGreaterThanOrEqual(14);
  });

  it('is valid Kubernetes: every object against the API schema of its kind (kubernetes-models)', () => {
    const invalid = manifests.flatMap((manifest) => {
      try {
        new (modelOf(manifest.object))(manifest.object).validate();
        return [];
      } catch (error) {
        return [`${name(manifest)}: ${(error as Error).message}`];
      }
    });
    expect(invalid).toEqual([]);
  });

  it('the schema check is not vacuous: a port that is not a number is refused', () => {
    const [{ object }] = ofKind('Deployment');
    const broken = structuredClone(object);
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(() => new (modelOf(broken))(broken).validate()).toThrow(/containerPort/);
  });

  it('runs every app as compiled, probed on its health endpoints, non-root on a read-only root, within limits', () => {
    const faults = containers.flatMap(({ manifest, container }) => {
      const where = `${name(manifest)} ${container.name}`;
      const main = (container.command as string[]).at(-1)!.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      return [
        existsSync(join(ROOT, main)) ? '' : `${where}: runs ${main}, which is not in the tree`,
        container.livenessProbe?.httpGet?.path === '/health/live' ? '' : `${where}: no liveness probe on /health/live`,
        container.readinessProbe?.httpGet?.path === '/health/ready' ? '' : `${where}: no readiness probe on /health/ready`,
        container.securityContext?.runAsNonRoot && container.securityContext?.readOnlyRootFilesystem && container.securityContext?.allowPrivilegeEscalation === false
          ? ''
          : `${where}: not non-root, read-only and unprivileged`,
        container.resources?.limits?.memory && container.resources?.limits?.cpu ? '' : `${where}: no resource limits`,
      ].filter(Boolean);
    });
    expect(faults).toEqual([]);
  });

  it('sets only variables the apps read, and takes every secret from a Secret', () => {
    const names = [...Object.keys(configMap), ...containers.flatMap(({ container }) => ((container.env ?? []) as Json[]).map((variable) => variable.name as string))];
    expect(names.filter((variable) => !VARIABLES_READ.has(variable))).toEqual([]);
    expect(Object.keys(configMap).filter((variable) => SECRET.test(variable))).toEqual([]);
    const inline = containers.flatMap(({ container }) => ((container.env ?? []) as Json[]).filter((variable) => SECRET.test(variable.name) && !variable.valueFrom?.secretKeyRef));
    expect(inline).toEqual([]);
    expect(VARIABLES_READ.has('RELAY_LEASE_MS')).toBe(true);
  });

  it('configures what the apps accept: the shared settings load, with the secrets given', () => {
    const config = loadConfig({ ...configMap, DATABASE_URL: 'postgres://crescent@db/crescent', ADMIN_TOKEN_SHA256: 'a'.repeat(64), PSEUDONYM_SECRET: 's', LEDGER_ANCHOR_SECRET: 's', KAFKA_TOKEN_SIGNING_KEY_FILE: '' });
    expect(config).toMatchObject({ host: '0.0.0.0', relayLeaseMs: 10_000, ledgerAnchoring: { file: configMap.LEDGER_ANCHOR_FILE } });
    expect(config.kafkaBrokers).toHaveLength(3);
  });

  it('keeps a standby relay and enough intake through a node drain', () => {
    expect(ofKind('Deployment').find(({ object }) => object.metadata.name === 'crescent-relay')!.object.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(ofKind('PodDisruptionBudget').map(({ object }) => object.metadata.name)).toContain('crescent-intake');
  });
});
