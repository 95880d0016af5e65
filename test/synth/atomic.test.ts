import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEEP, recoverDirectory, replaceDirectory } from '../../src/util/atomic.ts';

async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[relative(dir, join(e.parentPath, e.name))] = await readFile(join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

async function setup(): Promise<{ parent: string; target: string }> {
  const parent = await mkdtemp(join(tmpdir(), 'lockstep-atomic-'));
  const target = join(parent, 'out');
  await replaceDirectory(target, new Map([['a/one.yaml', 'one\n'], ['a/two.yaml', 'two\n'], ['b/three.yaml', 'three\n']]));
  return { parent, target };
}

const ino = async (p: string) => (await stat(p)).ino;

describe('replaceDirectory', () => {
  it('creates a directory with exactly the given files', async () => {
    const { parent, target } = await setup();
    expect(await tree(target)).toEqual({ 'a/one.yaml': 'one\n', 'a/two.yaml': 'two\n', 'b/three.yaml': 'three\n' });
    expect((await readdir(parent)).sort()).toEqual(['out']);
  });

  it('updates an existing directory in place: unchanged files keep their inode, removed files and emptied directories go', async () => {
    const { parent, target } = await setup();
    const oneBefore = await ino(join(target, 'a/one.yaml'));
    const twoBefore = await ino(join(target, 'a/two.yaml'));
    await replaceDirectory(target, new Map([['a/one.yaml', 'one\n'], ['a/two.yaml', 'TWO\n'], ['c/four.yaml', 'four\n']]));
    expect(await tree(target)).toEqual({ 'a/one.yaml': 'one\n', 'a/two.yaml': 'TWO\n', 'c/four.yaml': 'four\n' });
    expect(await ino(join(target, 'a/one.yaml'))).toBe(oneBefore);
    expect(await ino(join(target, 'a/two.yaml'))).not.toBe(twoBefore);
    expect((await readdir(target)).sort()).toEqual(['a', 'c']);
    expect((await readdir(parent)).sort()).toEqual(['out']);
  });

  it('keeps a file given as KEEP without reading or rewriting it', async () => {
    const { target } = await setup();
    const before = await ino(join(target, 'b/three.yaml'));
    await replaceDirectory(target, new Map<string, string | typeof KEEP>([['a/one.yaml', 'one\n'], ['b/three.yaml', KEEP]]));
    expect(await tree(target)).toEqual({ 'a/one.yaml': 'one\n', 'b/three.yaml': 'three\n' });
    expect(await ino(join(target, 'b/three.yaml'))).toBe(before);
  });

  it('replaces the whole directory when a file becomes a directory', async () => {
    const { target } = await setup();
    await replaceDirectory(target, new Map([['a/one.yaml/nested.yaml', 'n\n'], ['b/three.yaml', 'three\n']]));
    expect(await tree(target)).toEqual({ 'a/one.yaml/nested.yaml': 'n\n', 'b/three.yaml': 'three\n' });
  });

  it('fails when a file given as KEEP does not exist, and leaves the directory as it was', async () => {
    const { parent, target } = await setup();
    const before = await tree(target);
    await expect(replaceDirectory(target, new Map<string, string | typeof KEEP>([['missing.yaml', KEEP]]))).rejects.toThrow(/missing\.yaml was given as unchanged \(KEEP\) but cannot be read/);
    expect(await tree(target)).toEqual(before);
    expect((await readdir(parent)).sort()).toEqual(['out']);
  });
});

describe('recoverDirectory', () => {
  it('rolls a committed in-place update forward when the run died part-way through applying it', async () => {
    const { parent, target } = await setup();
    // The state a crash leaves after the commit: the journal, one change applied, one still staged.
    await mkdir(join(parent, '.out.staging-feed/a'), { recursive: true });
    await writeFile(join(parent, '.out.staging-feed/a/two.yaml'), 'TWO\n');
    await writeFile(join(target, 'a/one.yaml'), 'ONE\n');
    await writeFile(join(parent, '.out.journal-feed'), JSON.stringify({ staging: '.out.staging-feed', write: ['a/one.yaml', 'a/two.yaml'], remove: ['b/three.yaml'] }));
    await recoverDirectory(target);
    expect(await tree(target)).toEqual({ 'a/one.yaml': 'ONE\n', 'a/two.yaml': 'TWO\n' });
    expect((await readdir(parent)).sort()).toEqual(['out']);
  });

  it('discards an update that died before its commit (staging and journal temporary only)', async () => {
    const { parent, target } = await setup();
    const before = await tree(target);
    await mkdir(join(parent, '.out.staging-beef/a'), { recursive: true });
    await writeFile(join(parent, '.out.staging-beef/a/two.yaml'), 'TWO\n');
    await writeFile(join(parent, '.out.journal-beef.tmp'), '{"staging":".out.staging-beef","wri');
    await recoverDirectory(target);
    expect(await tree(target)).toEqual(before);
    expect((await readdir(parent)).sort()).toEqual(['out']);
  });
});
