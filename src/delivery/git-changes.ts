/**
 * Uncommitted changes under some paths, as `git status --porcelain` reports them: modified, staged,
 * deleted and untracked files alike. The drift gate uses it after `lockstep build`: generated output
 * that differs from the commit means the commit does not contain what its code generates.
 *
 * `git diff --exit-code` (what the workflow prints) misses new untracked files, hence status.
 */
import { execFile } from 'node:child_process';

/** The argv after `git`. */
export function gitStatusArgs(paths: readonly string[]): string[] {
  return ['status', '--porcelain=v1', '--untracked-files=all', '--', ...paths];
}

/** Porcelain v1 lines → `XY path` entries, in git's order, blank lines dropped. */
export function parsePorcelain(output: string): string[] {
  return output.split('\n').filter((line) => line.trim() !== '').map((line) => line.replace(/\s+$/, ''));
}

/** Runs git in `root`; rejects with git's message when it fails (not a repository, no git). */
export function gitChanges(root: string, paths: readonly string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile('git', gitStatusArgs(paths), { cwd: root, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error((stderr || error.message).trim().split('\n')[0]));
      else resolve(parsePorcelain(stdout));
    });
  });
}
