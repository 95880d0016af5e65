/**
 * Rendering one side of a diff: the working tree in-process (when it is the checkout Lockstep runs
 * from), any other directory in a child process running that directory's own code, or a revision in
 * a temporary git worktree (child process too).
 */
import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { $ } from 'zx';
import { LockstepError } from '../../util/errors.ts';
import { readLock } from './lock.ts';
import { renderCheckout, type CheckoutRendering } from './render-checkout.ts';
import type { LockInfo, SideEnvironment } from './types.ts';

/** The checkout this code runs from (`src/review/diff/` → repository root). */
const RUNNING_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./render-child.js', import.meta.url));

export interface RenderedSide {
  /** Environment files the side has. */
  readonly available: readonly string[];
  readonly environments: readonly (SideEnvironment | { readonly name: string; readonly error: readonly string[] })[];
}

/** True when `dir` is the checkout this process runs from, so its modules can be imported here. */
export async function isRunningCheckout(dir: string): Promise<boolean> {
  return (await realpath(dir).catch(() => dir)) === (await realpath(RUNNING_ROOT).catch(() => RUNNING_ROOT));
}

/** Renders a checkout in a child process with its own code (see render-child.js). */
export async function renderInChild(dir: string, environments: readonly string[] | undefined, tmpRoot: string): Promise<CheckoutRendering> {
  const tmp = await mkdtemp(join(tmpRoot, 'lockstep-render-'));
  try {
    const out = join(tmp, 'rendering.json');
    const p = await $({ cwd: dir, quiet: true, nothrow: true })`${process.execPath} ${CHILD} ${dir} ${out} ${environments ?? []}`;
    if (p.exitCode !== 0) {
      const lines = p.stderr.trim().split('\n');
      const tail = lines.filter((l) => l.startsWith('error: ')).map((l) => l.slice(7)).join(' | ') || lines.slice(-3).join(' | ') || 'no error output';
      throw new LockstepError(
        { message: `rendering ${dir} in a child process failed (exit code ${p.exitCode}): ${tail}`, fix: 'check that the checkout has node_modules (run npm ci) and that its code loads' },
        { exitCode: 2 },
      );
    }
    return JSON.parse(await readFile(out, 'utf8')) as CheckoutRendering;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Renders a side and reads its promotion locks. */
export async function renderSide(dir: string, environments: readonly string[] | undefined, tmpRoot: string): Promise<RenderedSide> {
  const rendering = (await isRunningCheckout(dir)) ? await renderCheckout(dir, environments) : await renderInChild(dir, environments, tmpRoot);
  const out: RenderedSide['environments'][number][] = [];
  for (const e of rendering.environments) {
    if ('error' in e) {
      out.push(e);
      continue;
    }
    const lock: LockInfo | undefined = await readLock(dir, e.name);
    out.push({ ...e, ...(lock ? { lock } : {}) });
  }
  return { available: rendering.available, environments: out };
}
