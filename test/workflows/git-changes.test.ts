import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { gitChanges, gitStatusArgs, parsePorcelain } from '../../src/delivery/git-changes.ts';

const git = promisify(execFile);

describe('git changes', () => {
  it('asks git for staged, unstaged and untracked files under the paths only', () => {
    expect(gitStatusArgs(['dist', 'argocd'])).toEqual(['status', '--porcelain=v1', '--untracked-files=all', '--', 'dist', 'argocd']);
  });

  it('parses porcelain output into one entry per file', () => {
    expect(parsePorcelain(' M dist/dev/objects.json\n?? argocd/dev/a.yaml\n\n')).toEqual([' M dist/dev/objects.json', '?? argocd/dev/a.yaml']);
    expect(parsePorcelain('')).toEqual([]);
  });

  it('reports new and modified files under the paths of a real repository, and nothing elsewhere', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lockstep-git-'));
    await git('git', ['init', '-q'], { cwd: root });
    await mkdir(join(root, 'dist'), { recursive: true });
    await writeFile(join(root, 'dist/a.yaml'), 'a\n');
    await writeFile(join(root, 'README.md'), 'r\n');
    expect(await gitChanges(root, ['dist', 'argocd'])).toEqual(['?? dist/a.yaml']);
  });

  it('fails when the directory is not a git repository', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lockstep-nogit-'));
    await expect(gitChanges(root, ['dist'])).rejects.toThrow(/not a git repository/);
  });
});
