/**
 * Temporary git worktrees of a revision, so another revision can be rendered with its own code
 * without touching the user's checkout. zx runs git with array arguments; the worktree and its temp
 * directory are removed afterwards, also when rendering fails.
 */
import { mkdtemp, realpath, rm, symlink, lstat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { $, ProcessOutput } from 'zx';
import { LockstepError } from '../../util/errors.ts';

export interface Checkout {
  /** The repository root inside the worktree (a subdirectory when Lockstep's root is one). */
  readonly dir: string;
  /** The resolved commit. */
  readonly commit: string;
}

export interface WorktreeOptions {
  /** Where temp directories go (the CLI passes `os.tmpdir()`). */
  readonly tmpRoot: string;
  /** A `node_modules` directory to link into the worktree, which has none of its own. */
  readonly nodeModules?: string;
}

/** Runs git in `cwd`; a failure becomes a LockstepError (exit 2) naming the command and git's message. */
export async function git(cwd: string, args: readonly string[]): Promise<string> {
  try {
    const p = await $({ cwd, quiet: true })`git ${args}`;
    return p.stdout.trim();
  } catch (e) {
    const detail = e instanceof ProcessOutput ? e.stderr.trim() || `exit code ${e.exitCode}` : (e as Error).message;
    throw new LockstepError({ message: `git ${args.join(' ')} failed in ${cwd}: ${detail}` }, { exitCode: 2, cause: e });
  }
}

/** The commit a revision names, or a LockstepError saying the revision is unknown. */
export async function resolveRevision(repoDir: string, rev: string): Promise<string> {
  try {
    const p = await $({ cwd: repoDir, quiet: true })`git rev-parse --verify --quiet ${`${rev}^{commit}`}`;
    return p.stdout.trim();
  } catch {
    throw new LockstepError(
      { message: `unknown revision ${JSON.stringify(rev)} in ${repoDir}`, fix: 'pass a commit, branch or tag that exists (in CI, fetch the base branch first, e.g. `git fetch origin main`)' },
      { exitCode: 2 },
    );
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks out `rev` into a temporary detached worktree, runs `fn` on it, and removes the worktree
 * and its temp directory whatever happens.
 */
export async function withWorktree<T>(repoDir: string, rev: string, options: WorktreeOptions, fn: (checkout: Checkout) => Promise<T>): Promise<T> {
  const top = await git(repoDir, ['rev-parse', '--show-toplevel']);
  const prefix = relative(await realpath(top), await realpath(repoDir));
  const commit = await resolveRevision(repoDir, rev);
  const tmp = await mkdtemp(join(options.tmpRoot, 'lockstep-diff-'));
  const worktree = join(tmp, 'checkout');
  try {
    await git(top, ['worktree', 'add', '--detach', '--quiet', worktree, commit]);
    const dir = join(worktree, prefix);
    if (options.nodeModules && !(await exists(join(dir, 'node_modules')))) await symlink(options.nodeModules, join(dir, 'node_modules'), 'dir');
    return await fn({ dir, commit });
  } finally {
    await $({ cwd: top, quiet: true, nothrow: true })`git worktree remove --force ${worktree}`;
    await rm(tmp, { recursive: true, force: true });
    await $({ cwd: top, quiet: true, nothrow: true })`git worktree prune`;
  }
}
