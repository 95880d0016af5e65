/**
 * Reads what `lockstep synth` wrote for one environment: `objects.json` (file → construct path),
 * every manifest it lists, and the Preview-mode policies under `policies/preview/`, which are kept
 * outside `manifests/` so Argo CD never applies them.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import jsYaml from 'js-yaml';
import { LockstepError, type Problem } from '../util/errors.ts';

/** Where Preview-mode policies are written, relative to `dist/<env>/`. */
export const PREVIEW_POLICY_DIR = 'policies/preview';

export interface LoadedObject {
  /** Repository-relative file, e.g. `dist/production/manifests/_cluster/namespace_x.yaml`. */
  readonly file: string;
  readonly constructPath?: string;
  readonly json: Record<string, any>;
}

export interface LoadedEnvironmentOutput {
  readonly environment: string;
  /** Repository-relative `dist/<env>`. */
  readonly distDir: string;
  readonly objects: readonly LoadedObject[];
  /** Preview policies (never in the manifests). */
  readonly previewPolicies: readonly LoadedObject[];
}

interface ObjectIndexEntry {
  readonly path: string;
  readonly constructPath?: string;
}

async function readText(root: string, file: string, fix: string): Promise<string> {
  try {
    return await readFile(join(root, file), 'utf8');
  } catch (error) {
    throw new LockstepError({ file, message: `cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, fix });
  }
}

function parseYaml(text: string, file: string): Record<string, any> {
  try {
    const doc = jsYaml.load(text);
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('not a YAML mapping');
    return doc as Record<string, any>;
  } catch (error) {
    throw new LockstepError({ file, message: `invalid manifest: ${(error as Error).message.split('\n')[0]}`, fix: 'run lockstep synth again; dist/ is generated and never edited by hand' });
  }
}

/** Loads `<distDir>/<env>` under `root`. Throws a LockstepError naming every unreadable file. */
export async function loadEnvironmentOutput(root: string, environment: string, distDir = 'dist'): Promise<LoadedEnvironmentOutput> {
  const base = `${distDir}/${environment}`;
  const indexFile = `${base}/objects.json`;
  const indexText = await readText(root, indexFile, `run lockstep synth --env ${environment} first`);
  let entries: ObjectIndexEntry[];
  try {
    const parsed = JSON.parse(indexText) as { objects?: unknown };
    if (!Array.isArray(parsed.objects)) throw new Error('has no "objects" array');
    entries = parsed.objects as ObjectIndexEntry[];
  } catch (error) {
    throw new LockstepError({ file: indexFile, message: `invalid object index: ${(error as Error).message}`, fix: `run lockstep synth --env ${environment} again` });
  }
  const problems: Problem[] = [];
  const objects: LoadedObject[] = [];
  for (const e of entries) {
    const file = `${base}/${e.path}`;
    try {
      const json = parseYaml(await readText(root, file, `run lockstep synth --env ${environment} again`), file);
      objects.push({ file, ...(e.constructPath ? { constructPath: e.constructPath } : {}), json });
    } catch (error) {
      if (error instanceof LockstepError) problems.push(...error.problems);
      else throw error;
    }
  }
  const previewPolicies: LoadedObject[] = [];
  let names: string[] = [];
  try {
    names = (await readdir(join(root, base, PREVIEW_POLICY_DIR))).filter((n) => n.endsWith('.yaml')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const n of names) {
    const file = `${base}/${PREVIEW_POLICY_DIR}/${n}`;
    try {
      previewPolicies.push({ file, json: parseYaml(await readText(root, file, 'run lockstep synth again'), file) });
    } catch (error) {
      if (error instanceof LockstepError) problems.push(...error.problems);
      else throw error;
    }
  }
  if (problems.length > 0) throw new LockstepError(problems);
  objects.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { environment, distDir: base, objects, previewPolicies };
}
