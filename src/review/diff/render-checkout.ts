/**
 * Renders environments of one checkout with that checkout's own code, without gates and without
 * writing anything: `lockstep diff` must show what a change does even when synth's gates would
 * refuse it (a `privileged: true` is exactly what a reviewer needs to see).
 *
 * The checkout's modules are imported by absolute path, so this works on the running checkout
 * (in-process) and, inside a child process started by `render-child.js`, on a git worktree of
 * another revision — whose code may differ from the running one in any way. Only the small
 * surface below is relied on: `loadInputs(root, env)`, `renderEnvironment(inputs, define)` and
 * `buildExamplePlatform`, which every Lockstep revision with a renderer has.
 */
import { access } from 'node:fs/promises';
import { join, relative, isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatProblem, type Problem } from '../../util/errors.ts';
import type { SideObject, SourceRef } from './types.ts';

/** One environment as a checkout renders it, or why it could not. */
export type CheckoutEnvironment =
  | { readonly name: string; readonly stage: string; readonly objects: readonly SideObject[] }
  | { readonly name: string; readonly error: readonly string[] };

export interface CheckoutRendering {
  /** Environment files of the checkout (`environments/*.yaml` without lock files), sorted. */
  readonly available: readonly string[];
  readonly environments: readonly CheckoutEnvironment[];
}

interface RenderedLike {
  json: Record<string, unknown>;
  path: string;
  constructPath: string;
  source?: () => { file: string; line: number; column: number } | undefined;
}

interface CheckoutModules {
  loadInputs(root: string, name: string): Promise<{ env: { config: { stage: string } } }>;
  renderEnvironment(inputs: unknown, define: unknown): { env: { config: { stage: string } }; objects: readonly RenderedLike[] };
  buildExamplePlatform: unknown;
  listEnvironments(root: string): Promise<string[]>;
}

const MODULES = {
  loadInputs: 'src/synth/inputs.ts',
  renderEnvironment: 'src/synth/render.ts',
  buildExamplePlatform: 'src/platform/index.ts',
  listEnvironments: 'src/config/load.ts',
} as const;

async function importCheckout(root: string): Promise<CheckoutModules | string> {
  const out: Record<string, unknown> = {};
  for (const [name, file] of Object.entries(MODULES)) {
    const path = join(root, file);
    try {
      await access(path);
    } catch {
      return `${file} does not exist, so this revision has no Lockstep renderer to run`;
    }
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    } catch (e) {
      return `${file} does not load: ${(e as Error)?.message ?? String(e)}`;
    }
    if (mod[name] === undefined) return `${file} does not export ${name}`;
    out[name] = mod[name];
  }
  return out as unknown as CheckoutModules;
}

/** Problems of a thrown error, whichever checkout's LockstepError class threw it. */
function messagesOf(e: unknown): string[] {
  const problems = (e as { problems?: Problem[] }).problems;
  if (Array.isArray(problems) && problems.length) return problems.map((p) => formatProblem(p));
  return [(e as Error)?.message ?? String(e)];
}

function relativeSource(root: string, s: { file: string; line: number; column: number } | undefined): SourceRef | undefined {
  if (!s) return undefined;
  const rel = isAbsolute(s.file) ? relative(root, s.file) : s.file;
  return { file: rel.startsWith('..') ? s.file : rel.split('\\').join('/'), line: s.line, column: s.column };
}

/**
 * Renders `environments` (default: all) of the checkout at `root`. Environments the checkout does
 * not have, or that fail to load or render, come back as errors; the caller decides what is fatal.
 */
export async function renderCheckout(root: string, environments?: readonly string[]): Promise<CheckoutRendering> {
  const mods = await importCheckout(root);
  if (typeof mods === 'string') return { available: [], environments: (environments ?? []).map((name) => ({ name, error: [mods] })) };
  const available = await mods.listEnvironments(root).catch(() => [] as string[]);
  const out: CheckoutEnvironment[] = [];
  for (const name of environments ?? available) {
    if (!available.includes(name)) {
      out.push({ name, error: [`environments/${name}.yaml does not exist`] });
      continue;
    }
    try {
      const rendering = mods.renderEnvironment(await mods.loadInputs(root, name), mods.buildExamplePlatform);
      const objects = rendering.objects.map((o) => {
        const source = relativeSource(root, typeof o.source === 'function' ? o.source() : undefined);
        return { json: o.json, path: o.path, constructPath: o.constructPath, ...(source ? { source } : {}) };
      });
      out.push({ name, stage: rendering.env.config.stage, objects });
    } catch (e) {
      out.push({ name, error: messagesOf(e) });
    }
  }
  return { available, environments: out };
}
