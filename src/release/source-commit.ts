/**
 * The commit a release is made from: `--source-commit`, else what the CI names (GitHub Actions
 * GITHUB_SHA, GitLab CI_COMMIT_SHA), else `git rev-parse HEAD` in the repository.
 */
import { $ } from 'zx';
import { LockstepError } from '../util/errors.ts';

/** The commit a CI system names in its environment, if any. */
export function sourceCommitFromEnv(env: Readonly<Record<string, string | undefined>>): string | undefined {
  for (const name of ['GITHUB_SHA', 'CI_COMMIT_SHA']) {
    const v = env[name];
    if (v) return v;
  }
  return undefined;
}

/** `git rev-parse HEAD` and whether the work tree has uncommitted changes; undefined outside git. */
export async function gitHead(root: string, env: Readonly<Record<string, string | undefined>>): Promise<{ commit: string; dirty: boolean } | undefined> {
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
  const head = await $({ cwd: root, env: childEnv, quiet: true, nothrow: true })`git rev-parse HEAD`;
  if (head.exitCode !== 0) return undefined;
  const status = await $({ cwd: root, env: childEnv, quiet: true, nothrow: true })`git status --porcelain`;
  return { commit: head.stdout.trim(), dirty: status.exitCode === 0 && status.stdout.trim() !== '' };
}

export async function resolveSourceCommit(options: { root: string; flag?: string; env: Readonly<Record<string, string | undefined>>; progress: (line: string) => void }): Promise<string> {
  if (options.flag) return options.flag;
  const fromEnv = sourceCommitFromEnv(options.env);
  if (fromEnv) return fromEnv;
  const head = await gitHead(options.root, options.env);
  if (!head) {
    throw new LockstepError({ message: `cannot tell which commit the release is made from: ${options.root} is not a git work tree`, fix: 'pass --source-commit SHA', code: 'release/source-commit' });
  }
  if (head.dirty) options.progress(`warning: the work tree has uncommitted changes; the release records ${head.commit}, which does not contain them`);
  return head.commit;
}
