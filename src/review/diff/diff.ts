/**
 * `lockstep diff`: renders the same environments at a base revision and at the head (the working
 * tree or a revision), each with its own code, matches the objects and classifies the risks.
 */
import { lstat, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LockstepError, UsageError, type Problem } from '../../util/errors.ts';
import { classifyEnvironment } from './classify/index.ts';
import { matchObjects } from './match.ts';
import { renderSide, type RenderedSide } from './side.ts';
import type { DiffReport, EnvironmentDiff, SideEnvironment, SideLabel } from './types.ts';
import { withWorktree } from './worktree.ts';

export interface DiffOptions {
  /** Repository root (Lockstep's `--root`). */
  readonly root: string;
  /** Base revision (`origin/main`, `HEAD~1`, a commit). */
  readonly base: string;
  /** Head revision; the working tree when absent. */
  readonly head?: string;
  /** Environments to diff; default every environment of the head. */
  readonly environments?: readonly string[];
  /** Where temporary worktrees go (the CLI passes `os.tmpdir()`). */
  readonly tmpRoot: string;
  /** Context lines around each change of the YAML diffs. @default 3 */
  readonly context?: number;
  readonly progress?: (line: string) => void;
}

const RUNNING_NODE_MODULES = fileURLToPath(new URL('../../../node_modules', import.meta.url));

/** The dependencies worktrees borrow: the root's `node_modules`, else the running checkout's. */
async function nodeModulesFor(root: string): Promise<string> {
  const own = join(root, 'node_modules');
  try {
    await lstat(own);
    return await realpath(own);
  } catch {
    return RUNNING_NODE_MODULES;
  }
}

function failures(side: RenderedSide, label: string, describe: (name: string, error: readonly string[]) => Problem[]): Problem[] {
  return side.environments.flatMap((e) => ('error' in e ? describe(e.name, e.error) : []).map((p) => ({ ...p, message: `${label}: ${p.message}` })));
}

/** Renders both sides and diffs every environment. Throws a LockstepError with exit code 2 on any error. */
export async function runDiff(options: DiffOptions): Promise<DiffReport> {
  const { root, tmpRoot } = options;
  const worktree = { tmpRoot, nodeModules: await nodeModulesFor(root) };
  const progress = options.progress ?? (() => {});

  let headLabel: SideLabel = { rev: 'working tree' };
  progress(`diff: rendering the head (${options.head ?? 'working tree'})`);
  const head = options.head
    ? await withWorktree(root, options.head, worktree, async (c) => {
        headLabel = { rev: options.head!, commit: c.commit };
        return renderSide(c.dir, options.environments, tmpRoot);
      })
    : await renderSide(root, options.environments, tmpRoot);
  for (const name of options.environments ?? []) {
    if (!head.available.includes(name)) throw new UsageError(`unknown environment ${JSON.stringify(name)}`, `use one of: ${head.available.join(', ')}`);
  }
  const headProblems = failures(head, `head (${headLabel.rev})`, (name, error) => error.map((message) => ({ message: `environment ${name} does not render: ${message}` })));
  if (headProblems.length) throw new LockstepError(headProblems, { exitCode: 2 });
  const headEnvs = head.environments as readonly SideEnvironment[];

  let baseLabel: SideLabel = { rev: options.base };
  progress(`diff: rendering the base (${options.base})`);
  const base = await withWorktree(root, options.base, worktree, async (c) => {
    baseLabel = { rev: options.base, commit: c.commit };
    return renderSide(c.dir, headEnvs.map((e) => e.name), tmpRoot);
  });
  const baseProblems = failures(base, `base (${options.base})`, (name, error) =>
    base.available.includes(name)
      ? error.map((message) => ({ message: `environment ${name} does not render: ${message}`, fix: 'diff against a base that renders, or fix the base first' }))
      : [{ message: `environment ${name} does not exist at ${options.base}${baseLabel.commit ? ` (${baseLabel.commit.slice(0, 12)})` : ''}`, fix: `it is new in this change; diff the other environments with --env (${base.available.join(', ') || 'none'})` }],
  );
  if (baseProblems.length) throw new LockstepError(baseProblems, { exitCode: 2 });
  const baseByName = new Map((base.environments as readonly SideEnvironment[]).map((e) => [e.name, e]));

  const environments: EnvironmentDiff[] = headEnvs.map((h) => {
    const b = baseByName.get(h.name)!;
    const changes = matchObjects(b.objects, h.objects, options.context ?? 3);
    const findings = classifyEnvironment({ environment: h.name, stage: h.stage, changes, ...(b.lock ? { baseLock: b.lock } : {}), ...(h.lock ? { headLock: h.lock } : {}) });
    return { name: h.name, stage: h.stage, changes, findings, headObjects: h.objects };
  });
  return { base: baseLabel, head: headLabel, environments };
}
