import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRepositoryPath, resolvesOutside } from '../../../src/config/paths.ts';

let scratch: string;
let root: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'repository-paths-'));
  root = join(scratch, 'repo');
  await mkdir(join(root, 'keys'), { recursive: true });
  await writeFile(join(scratch, 'outside.pub'), 'x');
  await writeFile(join(root, 'keys/inside.pub'), 'x');
  await symlink(join(scratch, 'outside.pub'), join(root, 'keys/link-out.pub'));
  await symlink('inside.pub', join(root, 'keys/link-in.pub'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('isRepositoryPath', () => {
  it('accepts relative paths that stay inside, even through ..', () => {
    expect(['keys/release.pub', './keys/a.pub', 'keys/../other/a.pub', 'a..b.pub'].map(isRepositoryPath)).toEqual([true, true, true, true]);
  });

  it('refuses absolute paths, paths that climb out, and the empty path', () => {
    expect(['/etc/passwd.pub', '../x.pub', 'keys/../../x.pub', '..', '', 'C:/keys/x.pub'].map(isRepositoryPath)).toEqual([false, false, false, false, false, false]);
  });
});

describe('resolvesOutside', () => {
  it('names the real target of a symlink that leaves the repository', async () => {
    expect(await resolvesOutside(root, join(root, 'keys/link-out.pub'))).toBe(join(scratch, 'outside.pub'));
  });

  it('accepts files and symlinks that stay inside, and missing files', async () => {
    expect(await resolvesOutside(root, join(root, 'keys/inside.pub'))).toBeUndefined();
    expect(await resolvesOutside(root, join(root, 'keys/link-in.pub'))).toBeUndefined();
    expect(await resolvesOutside(root, join(root, 'keys/missing.pub'))).toBeUndefined();
  });

  it('refuses a file reached through a symlinked folder', async () => {
    await mkdir(join(scratch, 'elsewhere'), { recursive: true });
    await writeFile(join(scratch, 'elsewhere/a.json'), '{}');
    await symlink(join(scratch, 'elsewhere'), join(root, 'store'));
    expect(await resolvesOutside(root, join(root, 'store/a.json'))).toBe(join(scratch, 'elsewhere/a.json'));
  });
});
