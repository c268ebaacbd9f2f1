import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteClient } from './sqlite-client';

/** Permission bits as `ls -l` shows them in octal, or "missing". */
function modeOf(path: string): string {
  try {
    return (statSync(path).mode & 0o777).toString(8);
  } catch {
    return 'missing';
  }
}

describe('a SQLite database file', () => {
  let usualUmask: number;
  // Under the common umask 022 files are made 644 and folders 755: readable by everyone on the machine.
  beforeAll(() => (usualUmask = process.umask(0o022)));
  afterAll(() => process.umask(usualUmask));

  const newFolder = () => join(mkdtempSync(join(tmpdir(), 'crescent-sqlite-')), 'data');

  it('lives in a folder only its owner can enter, with its WAL and shared memory readable by the owner only', async () => {
    const folder = newFolder();
    const file = join(folder, 'crescent.sqlite');
    const sql = SqliteClient.open(file);
    try {
      await sql.query('CREATE TABLE referral (id TEXT)');
      await sql.query('INSERT INTO referral VALUES ($1)', ['r-1']);

      const paths = { folder, file, wal: `${file}-wal`, shm: `${file}-shm` };
      expect(Object.fromEntries(Object.entries(paths).map(([name, path]) => [name, modeOf(path)]))).toEqual({
        folder: '700',
        file: '600',
        wal: '600',
        shm: '600',
      });
    } finally {
      await sql.close();
    }
  });

  it('is narrowed to its owner when an earlier start left it readable by others', async () => {
    const folder = newFolder();
    const file = join(folder, 'crescent.sqlite');
    mkdirSync(folder);
    writeFileSync(file, '', { mode: 0o644 });
    expect(modeOf(file)).toBe('644');

    const sql = SqliteClient.open(file);
    await sql.close();

    expect(modeOf(file)).toBe('600');
  });
});
