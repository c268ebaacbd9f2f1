import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const INFRASTRUCTURE = /^(@nestjs\/|kafkajs$|pg$|better-sqlite3$|@eventstore\/|express$|node:(fs|net|http|child_process)$|@crescent\/(event-store|messaging|runtime|sql)$)/;

/** What the integration kit may import besides contracts/: Node itself, kafkajs, the typed client and the schema validator. */
const KIT_PACKAGES = /^(node:[a-z_/]+|kafkajs|openapi-fetch|ajv(\/dist\/2020)?|ajv-formats)$/;

/** The file a relative module specifier (already joined to the repo root) names. */
function moduleFile(path: string): string {
  const candidates = [`${path}.ts`, join(path, 'index.ts'), path];
  const found = candidates.find((candidate) => {
    try {
      return statSync(join(ROOT, candidate)).isFile();
    } catch {
      return false;
    }
  });
  if (!found) throw new Error(`cannot resolve ${path}`);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map((match) => match[1]);
}

/** Each import of the tree as `file -> specifier`, a relative specifier resolved against the repo root. */
function imports(under: string): { file: string; target: string }[] {
  return sourceFiles(join(ROOT, under)).flatMap((file) =>
    importsOf(file).map((specifier) => ({
      file: relative(ROOT, file),
      target: specifier.startsWith('.') ? relative(ROOT, resolve(file, '..', specifier)) : specifier,
    })),
  );
}

describe('the dependency rules of STYLE.md', () => {
  it.each(['libs/domain', 'libs/policy'])('%s imports no infrastructure', (lib) => {
    const offending = imports(lib).filter(({ target }) => INFRASTRUCTURE.test(target));
    expect(offending).toEqual([]);
  });

  it('the domain does not depend on the policy engine', () => {
    expect(imports('libs/domain').filter(({ target }) => target.startsWith('@crescent/policy'))).toEqual([]);
  });

  it('libraries never import applications', () => {
    expect(imports('libs').filter(({ target }) => target.startsWith('apps/'))).toEqual([]);
  });

  it('apps never import each other, except the all-in-one composition root', () => {
    const offending = imports('apps').filter(({ file, target }) => {
      const [, fromApp] = file.split('/');
      const [top, toApp] = target.split('/');
      return top === 'apps' && toApp !== fromApp && fromApp !== 'exchange';
    });
    expect(offending).toEqual([]);
  });

  it('appends events to the store only through writeRecord, which checks each against its contract', () => {
    const appending = ['apps', 'libs']
      .flatMap((dir) => sourceFiles(join(ROOT, dir)))
      .filter((file) => !/\.(int-|e2e-)?spec\.ts$|\/testing\//.test(file))
      .filter((file) => {
        const text = readFileSync(file, 'utf8');
        return /\bEventStore\b/.test(text) && /\.append\(/.test(text);
      })
      .map((file) => relative(ROOT, file));
    expect(appending).toEqual(['libs/runtime/src/records/write-record.ts']);
  });

  it('the agency integration kit needs nothing of the exchange but its contracts: it reaches only contracts/, and packages an agency installs', () => {
    const reached = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string): void => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const specifier of importsOf(join(ROOT, file))) {
        if (!specifier.startsWith('.')) packages.add(specifier);
        else visit(moduleFile(relative(ROOT, resolve(ROOT, file, '..', specifier))));
      }
    };
    const kit = 'contracts/examples/agency-integration';
    for (const file of sourceFiles(join(ROOT, kit)).filter((path) => !path.endsWith('.spec.ts'))) visit(relative(ROOT, file));
    expect([...reached].filter((file) => !file.startsWith('contracts/'))).toEqual([]);
    expect([...packages].filter((name) => !KIT_PACKAGES.test(name))).toEqual([]);
    // Not vacuous: the kit does reach the generated types and the message contracts.
    expect([...reached]).toEqual(expect.arrayContaining(['contracts/client.ts', 'contracts/messages/message-contracts.ts']));
    expect([...packages]).toEqual(expect.arrayContaining(['kafkajs']));
  });

  it('finds the imports it checks (the checks above are not vacuous)', () => {
    expect(imports('libs/policy').some(({ target }) => target === '@crescent/domain')).toBe(true);
    expect(imports('apps/exchange').some(({ target }) => target.startsWith('apps/intake/'))).toBe(true);
  });
});
