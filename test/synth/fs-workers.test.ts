import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FsWorkers } from '../../src/util/fs-workers.ts';

const dirs: string[] = [];
const pools: FsWorkers[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function scratch(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'fs-workers-test-'));
  dirs.push(d);
  return d;
}
function pool(size = 2): FsWorkers {
  const p = new FsWorkers(size);
  pools.push(p);
  return p;
}

/** The record line of a file, as the unit cache writes it. */
async function stateOf(path: string): Promise<string> {
  const st = await stat(path);
  return `${st.ino}\t${st.size}\t${st.mtimeMs}\t${st.ctimeMs}`;
}

describe('FsWorkers', () => {
  it('lists every entry that is not a directory, relative to the directory', async () => {
    const dir = await scratch();
    await mkdir(join(dir, 'a/b'), { recursive: true });
    await writeFile(join(dir, 'top.yaml'), 'x');
    await writeFile(join(dir, 'a/b/deep.yaml'), 'y');
    await symlink('../top.yaml', join(dir, 'a/link'));
    expect([...(await pool().listFiles(dir))].sort()).toEqual(['a/b/deep.yaml', 'a/link', 'top.yaml']);
  });

  it('fails the listing of a directory that does not exist, with its error code', async () => {
    const dir = await scratch();
    await expect(pool().listFiles(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('finds the units whose manifests were edited, removed, replaced by a symlink or changed as the record was made', async () => {
    const dir = await scratch();
    const names = ['intact', 'edited', 'removed', 'symlinked', 'racy'];
    for (const n of names) await writeFile(join(dir, `${n}.yaml`), `kind: ${n}\n`);
    const states = new Map<string, string>();
    let newest = 0;
    for (const n of names) {
      states.set(n, await stateOf(join(dir, `${n}.yaml`)));
      newest = Math.max(newest, (await stat(join(dir, `${n}.yaml`))).ctimeMs);
    }
    const record = (n: string, recordedMs = newest + 1) => [n, `${n}.yaml\tplatform/${n}\tkey\tv1/Kind//${n}`, states.get(n)!, recordedMs] as const;

    await writeFile(join(dir, 'edited.yaml'), 'kind: other\n');
    await utimes(join(dir, 'edited.yaml'), 0, 0);
    await rm(join(dir, 'removed.yaml'));
    await rm(join(dir, 'symlinked.yaml'));
    await symlink('intact.yaml', join(dir, 'symlinked.yaml'));
    // 'racy' is untouched, but its record was made in the clock tick of its last change.
    const units = [record('intact'), record('edited'), record('removed'), record('symlinked'), record('racy', newest)];
    expect([...(await pool().verifyUnits(dir, units))].sort()).toEqual(['edited', 'racy', 'removed', 'symlinked']);
  });

  it('answers for every unit, whatever the number of threads', async () => {
    const dir = await scratch();
    await writeFile(join(dir, 'f.yaml'), 'x');
    const state = await stateOf(join(dir, 'f.yaml'));
    const after = (await stat(join(dir, 'f.yaml'))).ctimeMs + 1;
    const units = Array.from({ length: 9 }, (_, i) => [`u${i}`, `${i % 3 === 0 ? 'missing' : 'f'}.yaml\tc\tk\ti`, state, after] as const);
    expect([...(await pool(3).verifyUnits(dir, units))].sort()).toEqual(['u0', 'u3', 'u6']);
  });

  it('writes files in chunks over its threads, creating directories, and finds those that differ', async () => {
    const dir = await scratch();
    const files = Array.from({ length: 3000 }, (_, i) => [`ns-${i % 7}/f-${i}.yaml`, `n: ${i}\n`] as const);
    await pool(2).writeFiles(dir, files);
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(join(dir, 'ns-3/f-2999.yaml'), 'utf8')).toBe('n: 2999\n');
    const changed = files.map(([rel, text], i) => [rel, i % 1000 === 5 ? 'changed\n' : text] as const);
    expect([...(await pool(2).differing(dir, changed))].sort()).toEqual(['ns-5/f-5.yaml', 'ns-4/f-1005.yaml', 'ns-3/f-2005.yaml'].sort());
  });

  it('fails a write with the error of the file that could not be written', async () => {
    const dir = await scratch();
    await writeFile(join(dir, 'blocker'), 'a file where a directory is needed');
    const files = Array.from({ length: 2000 }, (_, i) => [i === 1500 ? 'blocker/x.yaml' : `ok/f-${i}.yaml`, 'x'] as const);
    // mkdir over a file: EEXIST (or ENOTDIR, depending on where it fails), with the path.
    await expect(pool(2).writeFiles(dir, files)).rejects.toMatchObject({ code: expect.stringMatching(/^(EEXIST|ENOTDIR)$/), path: expect.stringContaining('blocker') });
  });

  it('lets a process that awaits close() as its last step finish normally', async () => {
    const r = await runWithPool(['for (let i = 0; i < 5; i++) {', '  const w = new FsWorkers(2).warm();', `  await w.listFiles(${UTIL});`, '  await w.close();', '}', "console.log('closed');"]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('closed');
    expect(r.status).toBe(0); // 13 would be "unsettled top-level await"
  });

  it('does not keep the process alive once idle, even when not closed', async () => {
    const r = await runWithPool(['const w = new FsWorkers(2).warm();', `console.log((await w.listFiles(${UTIL})).size > 0);`]);
    expect(r.signal).toBeNull(); // not killed by the timeout
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('true');
    expect(r.status).toBe(0);
  });
});

const REPO = join(import.meta.dirname, '../..');
const UTIL = JSON.stringify(join(REPO, 'src/util'));

/** Runs `lines` as a fresh Node process with `FsWorkers` imported (through tsx, as the CLI does). */
async function runWithPool(lines: readonly string[]) {
  const script = join(await scratch(), 'pool.mjs');
  const head = [
    `import { register } from ${JSON.stringify(join(REPO, 'node_modules/tsx/dist/esm/api/index.mjs'))}; register();`,
    `const { FsWorkers } = await import(${JSON.stringify(join(REPO, 'src/util/fs-workers.ts'))});`,
  ];
  await writeFile(script, [...head, ...lines].join('\n'));
  return spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
}
