import { lstat, readdir, readFile } from 'node:fs/promises';
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
import { confirmRestoredUnits, UnitCache, unitCacheDir, unitSalt } from './unit-cache.ts';
import { FsWorkers } from '../util/fs-workers.ts';

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
  /** Output-cache keys of the objects serialized or found current (not of restored units' objects). */
  readonly keys: Map<string, string | undefined>;
  /** Paths the output cache or a unit record found current (`KEEP`). */
  readonly kept: Set<string>;
  /**
   * Objects of restored units, all `KEEP` (counted, not listed: a restored 10,000-agent platform has
   * 60k of them, and nothing downstream needs their paths again).
   */
  restored: number;
}

/** Manifests kept as they are: found current, or of restored units. */
export function keptCount(s: SerializedObjects): number {
  return s.kept.size + s.restored;
}

/**
 * Serializes every object to its manifest file, except those the previous output holds already
 * (`KEEP`): objects of restored units, and objects the output cache (or, for an object of a unit
 * built again, the unit cache's previous record) knows are unchanged. Without a cache, every object
 * is serialized.
 */
export function serializeObjects(objects: readonly RenderedObject[], cache?: OutputCache, units?: UnitCache): SerializedObjects {
  const files = new Map<string, DirectoryFile>();
  const keys = new Map<string, string | undefined>();
  const kept = new Set<string>();
  let restored = 0;
  for (const o of objects) {
    if (!cache) {
      files.set(o.path, toYaml(o.json));
      continue;
    }
    if (o.cacheKey !== undefined) {
      // A restored Unit's object: its manifest is proven current (confirmRestoredUnits).
      files.set(o.path, KEEP);
      restored++;
      continue;
    }
    const key = cacheKey(o.json);
    keys.set(o.path, key);
    if ((cache.size > 0 && cache.isCurrent(o.path, key)) || (o.unit !== undefined && units?.wasCurrent(o.unit, o.path, key))) {
      files.set(o.path, KEEP);
      kept.add(o.path);
    } else {
      files.set(o.path, toYaml(o.json));
    }
  }
  return { files, keys, kept, restored };
}

/** Where the output cache of `<outDir>/<env>` lives. */
export function outputCacheFile(root: string, outDir: string, env: string): string {
  return join(root, '.lockstep/cache/synth', outDir, `${env}.json`);
}

/** The caches a synth output is recorded in, and what is known of the directory it replaces. */
export interface SynthOutputRecord {
  readonly cache?: OutputCache;
  readonly units?: UnitCache;
  /** The files the target holds now, listed in the background (`FsWorkers.listFiles`). */
  readonly listing?: Promise<Set<string>>;
  /** Threads that write and compare the files in parallel (`replaceDirectory`). */
  readonly workers?: FsWorkers;
}

/**
 * Replaces `target` with `files`, then records the output cache (objects outside units) and the unit
 * cache (objects of units). If a file the cache promised (`KEEP`) vanished in between, the objects
 * are serialized again and written without the cache.
 */
export async function writeSynthOutput(target: string, files: ReadonlyMap<string, DirectoryFile>, serialized: SerializedObjects, objects: readonly RenderedObject[], record: SynthOutputRecord = {}): Promise<void> {
  const { cache, units } = record;
  let rewrote = false;
  try {
    await replaceDirectory(target, files, { listing: record.listing, workers: record.workers });
  } catch (e) {
    if (keptCount(serialized) === 0) throw e;
    const full = new Map(files);
    for (const o of objects) if (full.get(o.path) === KEEP) full.set(o.path, toYaml(o.json));
    await replaceDirectory(target, full, { workers: record.workers });
    serialized.kept.clear();
    serialized.restored = 0;
    rewrote = true;
  }
  if (cache) {
    // The unit cache records the objects of units itself; the output cache keeps the rest.
    let keys = serialized.keys;
    if (units) {
      keys = new Map();
      for (const o of objects) if (o.unit === undefined) keys.set(o.path, serialized.keys.get(o.path));
    }
    await cache.save(keys, serialized.kept);
  }
  await units?.save(objects, serialized.keys, { rewrote });
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
  // Started now, so that they have booted by the time the first environment's caches are loaded.
  const workers = new FsWorkers().warm();
  try {
    return await synthesizeWith(options, workers);
  } finally {
    await workers.close();
  }
}

async function synthesizeWith(options: SynthOptions, workers: FsWorkers): Promise<EnvironmentSynth[]> {
  const outDir = options.outDir ?? 'dist';
  const results: EnvironmentSynth[] = [];
  const pending: { target: string; serialized: SerializedObjects; record: SynthOutputRecord }[] = [];
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
    // What dist/<env> holds now, listed on a worker while this environment renders.
    const listing = workers.listFiles(target);
    listing.catch(() => undefined); // no directory yet: handled where it is awaited
    // Units are restored only while the output cache can vouch for their manifests.
    if (cache) inputs = { ...inputs, units: UnitCache.load(unitCacheDir(options.root, outDir, name), unitSalt(inputs), target, workers) };
    options.progress?.(`synth ${name}: rendering`);
    let rendering: Rendering;
    try {
      rendering = renderEnvironment(inputs, options.define);
      // A restored unit whose manifest was touched since the last synth is built after all.
      rendering = await confirmRestoredUnits(rendering, inputs.units, (units) => renderEnvironment({ ...inputs, units }, options.define));
      inputs = rendering.inputs;
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
    const serialized = serializeObjects(rendering.objects, cache, inputs.units);
    const files = serialized.files;
    files.set('objects.json', objectIndex(rendering));
    // Preview-mode policies are not deployed; check evaluates them from here.
    for (const [p, text] of previewPolicyFiles(rendering.platform)) files.set(p, text);
    const images = imagesIndex(rendering);
    files.set('images.json', `${JSON.stringify({ environment: name, images }, null, 2)}\n`);
    files.set('sbom.cdx.json', releaseSbomFor(name, images));
    results.push({ name, env: inputs.env, rendering, files });
    pending.push({ target, serialized, record: { ...(cache ? { cache } : {}), ...(inputs.units ? { units: inputs.units } : {}), listing, workers } });
  }
  if (problems.length) throw new LockstepError(problems);
  for (const [i, r] of results.entries()) {
    const { target, serialized, record } = pending[i]!;
    const kept = keptCount(serialized) ? `, ${keptCount(serialized)} unchanged manifests kept` : '';
    const restored = record.units?.stats.restored ? `, ${record.units.stats.restored} units restored` : '';
    options.progress?.(`synth ${r.name}: writing ${r.files.size} files to ${outDir}/${r.name}${kept}${restored}`);
    await writeSynthOutput(target, new Map([...(await laterStageFiles(target, record.listing)), ...r.files]), serialized, r.rendering.objects, record);
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
async function laterStageFiles(dir: string, listing?: Promise<Set<string>>): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  let files: Iterable<string>;
  try {
    files = (await listing) ?? (await listRegularFiles(dir));
  } catch {
    try {
      files = await listRegularFiles(dir);
    } catch {
      return out; // no directory yet
    }
  }
  for (const rel of files) {
    if (isSynthOutput(rel)) continue;
    const st = await lstat(join(dir, rel)).catch(() => undefined);
    if (st?.isFile()) out.set(rel, await readFile(join(dir, rel))); // symlinks and the like are not carried over
  }
  return out;
}

async function listRegularFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) if (e.isFile()) out.push(relative(dir, join(e.parentPath, e.name)).split('\\').join('/'));
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
