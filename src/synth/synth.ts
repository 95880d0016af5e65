import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { LoadedEnvironment } from '../config/types.ts';
import type { EnvironmentLock } from '../delivery/lock.ts';
import { loadInputs, type SynthInputs } from './inputs.ts';
import { imagesIndex, releaseSbomFor } from './images-index.ts';
import { previewPolicyFiles } from '../check/preview.ts';
import { checkDefaultDeny } from '../gates/default-deny.ts';
import { checkImages } from '../gates/images.ts';
import { checkMaximumIsolation } from '../gates/isolation.ts';
import { checkNetworkSelectors } from '../gates/network-selectors.ts';
import { KEEP, replaceDirectory, type DirectoryFile } from '../util/atomic.ts';
import { LockstepError, type Problem } from '../util/errors.ts';
import { cacheKey, OutputCache } from './cache.ts';
import { renderEnvironment, type PlatformDefinition, type RenderedObject, type Rendering } from './render.ts';
import { toYaml } from './serialize.ts';
import { UnitCache, unitCacheDir, unitSalt } from './unit-cache.ts';

export interface SynthOptions {
  /** Repository root. */
  readonly root: string;
  /** Environments to render, in order. */
  readonly environments: readonly string[];
  readonly define: PlatformDefinition;
  /** Output directory relative to root. @default 'dist' */
  readonly outDir?: string;
  /** Progress lines (stderr in the CLI). */
  readonly progress?: (line: string) => void;
  /** Extra gates run on every rendering (schema, pod security, policies...). */
  readonly gates?: readonly Gate[];
  /** Render these environments with this lock instead of the one on disk (promotion, rollback). */
  readonly locks?: Readonly<Record<string, EnvironmentLock>>;
  /**
   * Reuse unchanged files of the previous `dist/<env>` through the output cache in
   * `.lockstep/cache/synth/` (see cache.ts). The output is the same bytes either way.
   * @default true
   */
  readonly cache?: boolean;
}

/** A synth-time check over one rendered environment. */
export type Gate = (r: Rendering) => Problem[];

export interface EnvironmentSynth {
  readonly name: string;
  readonly env: LoadedEnvironment;
  readonly rendering: Rendering;
  /**
   * Files written under `dist/<env>/`, relative path → bytes, or `KEEP` for a manifest the output
   * cache found unchanged in the previous output (its bytes are those of the file on disk).
   */
  readonly files: ReadonlyMap<string, DirectoryFile>;
}

/** Serialized manifests, and their cache keys (for `OutputCache.save`). */
export interface SerializedObjects {
  readonly files: Map<string, DirectoryFile>;
  readonly keys: Map<string, string | undefined>;
  /** Paths the cache found current (`KEEP`). */
  readonly kept: Set<string>;
}

/**
 * Serializes every object to its manifest file, except those the cache knows the previous output
 * holds already (`KEEP`). Without a cache, every object is serialized.
 */
export function serializeObjects(objects: readonly RenderedObject[], cache?: OutputCache): SerializedObjects {
  const files = new Map<string, DirectoryFile>();
  const keys = new Map<string, string | undefined>();
  const kept = new Set<string>();
  for (const o of objects) {
    if (!cache) {
      files.set(o.path, toYaml(o.json));
      continue;
    }
    if (o.cacheKey !== undefined) {
      // A restored Unit's object: the cache vouched for its manifest when the unit was restored.
      keys.set(o.path, o.cacheKey);
      files.set(o.path, KEEP);
      kept.add(o.path);
      continue;
    }
    const key = cacheKey(o.json);
    keys.set(o.path, key);
    if (cache.size > 0 && cache.isCurrent(o.path, key)) {
      files.set(o.path, KEEP);
      kept.add(o.path);
    } else {
      files.set(o.path, toYaml(o.json));
    }
  }
  return { files, keys, kept };
}

/** Where the output cache of `<outDir>/<env>` lives. */
export function outputCacheFile(root: string, outDir: string, env: string): string {
  return join(root, '.lockstep/cache/synth', outDir, `${env}.json`);
}

/**
 * Replaces `target` with `files`, then records the output cache and the unit cache. If a file the
 * cache promised (`KEEP`) vanished in between, the objects are serialized again and written without
 * the cache.
 */
export async function writeSynthOutput(target: string, files: ReadonlyMap<string, DirectoryFile>, serialized: SerializedObjects, objects: readonly RenderedObject[], cache?: OutputCache, units?: UnitCache): Promise<void> {
  try {
    await replaceDirectory(target, files);
  } catch (e) {
    if (serialized.kept.size === 0) throw e;
    const full = new Map(files);
    for (const o of objects) if (full.get(o.path) === KEEP) full.set(o.path, toYaml(o.json));
    await replaceDirectory(target, full);
    serialized.kept.clear();
  }
  await cache?.save(serialized.keys, serialized.kept);
  await units?.save(objects, serialized.keys);
}

/** The gates every synth runs. */
export const builtinGates: readonly Gate[] = [
  (r) => checkDefaultDeny(r.objects),
  (r) => checkNetworkSelectors(r.objects, r.platform.externalNamespaces),
  (r) => checkImages(r.objects, r.env.config.stage),
  (r) => checkMaximumIsolation(r.objects, r.platform.clusterNetworks),
];

/**
 * Renders and checks every environment, then writes them. Problems of all environments are
 * collected and reported together; nothing is written unless every environment is clean, and each
 * `dist/<env>` is replaced atomically.
 */
export async function synthesize(options: SynthOptions): Promise<EnvironmentSynth[]> {
  const outDir = options.outDir ?? 'dist';
  const results: EnvironmentSynth[] = [];
  const pending: { target: string; serialized: SerializedObjects; cache?: OutputCache; units?: UnitCache }[] = [];
  const problems: Problem[] = [];
  for (const name of options.environments) {
    options.progress?.(`synth ${name}: loading environments/${name}.yaml`);
    let inputs: SynthInputs;
    try {
      inputs = await loadInputs(options.root, name, options.locks?.[name] ? { lock: options.locks[name]! } : {});
    } catch (e) {
      if (e instanceof LockstepError) {
        problems.push(...e.problems);
        continue;
      }
      throw e;
    }
    const target = join(options.root, outDir, name);
    const cache = options.cache === false ? undefined : OutputCache.load(outputCacheFile(options.root, outDir, name), target);
    // Units are restored only while the output cache can vouch for their manifests.
    if (cache) inputs = { ...inputs, units: UnitCache.load(unitCacheDir(options.root, outDir, name), unitSalt(inputs), cache) };
    options.progress?.(`synth ${name}: rendering`);
    let rendering: Rendering;
    try {
      rendering = renderEnvironment(inputs, options.define);
    } catch (e) {
      if (e instanceof LockstepError) {
        problems.push(...e.problems);
        continue;
      }
      throw e;
    }
    const envProblems = [...rendering.problems];
    for (const gate of [...builtinGates, ...(options.gates ?? [])]) envProblems.push(...gate(rendering));
    problems.push(...envProblems.map((p) => ({ ...p, ...(p.file && !p.file.startsWith('environments/') ? { file: `${outDir}/${name}/${p.file}` } : {}) })));
    const serialized = serializeObjects(rendering.objects, cache);
    const files = serialized.files;
    files.set('objects.json', objectIndex(rendering));
    // Preview-mode policies are not deployed; check evaluates them from here.
    for (const [p, text] of previewPolicyFiles(rendering.platform)) files.set(p, text);
    const images = imagesIndex(rendering);
    files.set('images.json', `${JSON.stringify({ environment: name, images }, null, 2)}\n`);
    files.set('sbom.cdx.json', releaseSbomFor(name, images));
    results.push({ name, env: inputs.env, rendering, files });
    pending.push({ target, serialized, ...(cache ? { cache } : {}), ...(inputs.units ? { units: inputs.units } : {}) });
  }
  if (problems.length) throw new LockstepError(problems);
  for (const [i, r] of results.entries()) {
    const { target, serialized, cache, units } = pending[i]!;
    const kept = serialized.kept.size ? `, ${serialized.kept.size} unchanged manifests kept` : '';
    const restored = units?.stats.restored ? `, ${units.stats.restored} units restored` : '';
    options.progress?.(`synth ${r.name}: writing ${r.files.size} files to ${outDir}/${r.name}${kept}${restored}`);
    await writeSynthOutput(target, new Map([...(await laterStageFiles(target)), ...r.files]), serialized, r.rendering.objects, cache, units);
  }
  return results;
}

/** What synth writes; everything else in `dist/<env>` belongs to later stages. */
export function isSynthOutput(path: string): boolean {
  return path.startsWith('manifests/') || path.startsWith('policies/preview/') || ['objects.json', 'images.json', 'sbom.cdx.json'].includes(path);
}

/**
 * Files of later stages (reports, release, signatures) in the current `dist/<env>`, carried over
 * so synth replaces only its own output. A carried-over signature that no longer matches the new
 * manifests fails `lockstep verify`, which is the point.
 */
async function laterStageFiles(dir: string): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!e.isFile()) continue;
    const rel = relative(dir, join(e.parentPath, e.name)).split('\\').join('/');
    if (!isSynthOutput(rel)) out.set(rel, await readFile(join(dir, rel)));
  }
  return out;
}

/**
 * `dist/<env>/objects.json`: every object's identity, file and construct path, so later stages
 * (check, diff, report) can name the construct that produced a finding without re-rendering.
 */
function objectIndex(r: Rendering): string {
  const objects = r.objects.map((o) => ({
    path: o.path,
    apiVersion: o.json.apiVersion,
    kind: o.json.kind,
    ...(o.json.metadata?.namespace ? { namespace: o.json.metadata.namespace } : {}),
    name: o.json.metadata?.name,
    constructPath: o.constructPath,
  }));
  return `${JSON.stringify({ environment: r.env.config.name, objects }, null, 2)}\n`;
}

/** Objects per kind, sorted by kind. */
export function countByKind(r: Rendering): [string, number][] {
  const counts = new Map<string, number>();
  for (const o of r.objects) counts.set(o.json.kind, (counts.get(o.json.kind) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
