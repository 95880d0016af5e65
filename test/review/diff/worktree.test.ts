import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { $ } from 'zx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, resolveRevision, withWorktree } from '../../../src/review/diff/worktree.ts';

let repo: string;
let tmpRoot: string;

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), 'lockstep-wt-repo-'));
  tmpRoot = await mkdtemp(join(tmpdir(), 'lockstep-wt-tmp-'));
  await writeFile(join(repo, 'file.txt'), 'one\n');
  await $({ cwd: repo, quiet: true })`git init -q`;
  await $({ cwd: repo, quiet: true })`git -c user.name=t -c user.email=t@example.com commit -q --allow-empty -m empty`;
  await $({ cwd: repo, quiet: true })`git add file.txt`;
  await $({ cwd: repo, quiet: true })`git -c user.name=t -c user.email=t@example.com commit -q -m one`;
  await writeFile(join(repo, 'file.txt'), 'two (uncommitted)\n');
});

afterAll(async () => {
  for (const d of [repo, tmpRoot]) await rm(d, { recursive: true, force: true });
});

describe('withWorktree', () => {
  it('checks out the revision with a node_modules link, and removes everything afterwards', async () => {
    const seen = await withWorktree(repo, 'HEAD', { tmpRoot, nodeModules: tmpRoot }, async (c) => ({ files: (await readdir(c.dir)).sort(), commit: c.commit }));
    expect(seen.files).toEqual(['.git', 'file.txt', 'node_modules']);
    expect(seen.commit).toBe(await resolveRevision(repo, 'HEAD'));
    expect(await readdir(tmpRoot)).toEqual([]);
    expect((await git(repo, ['worktree', 'list'])).split('\n')).toHaveLength(1);
  });

  it('removes the worktree when the work fails', async () => {
    await expect(withWorktree(repo, 'HEAD~1', { tmpRoot }, async () => Promise.reject(new Error('render failed')))).rejects.toThrow('render failed');
    expect(await readdir(tmpRoot)).toEqual([]);
    expect((await git(repo, ['worktree', 'list'])).split('\n')).toHaveLength(1);
  });

  it('fails when the revision does not exist, with exit code 2', async () => {
    const err = await withWorktree(repo, 'no-such-branch', { tmpRoot }, async () => 0).catch((e) => e);
    expect(err.message).toMatch(/^unknown revision "no-such-branch" in .*; pass a commit, branch or tag that exists/);
    expect(err.exitCode).toBe(2);
  });
});

describe('git', () => {
  it('fails with the command and git\'s message', async () => {
    await expect(git(repo, ['frobnicate'])).rejects.toThrow(/^git frobnicate failed in .*: git: 'frobnicate' is not a git command/);
  });
});
