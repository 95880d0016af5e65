/**
 * The unit cache: construct-level input hashing for incremental synth (constructs/core/unit.ts).
 *
 * A Unit's output is a function of its `inputs`, the synth inputs (environment, image pins, SBOMs)
 * and the code. The cache records, per unit path, the fingerprint of all three and the objects the
 * unit rendered (output path, construct path, output-cache key, identity, settings read); the
 * objects' JSON goes to one blob per unit. On the next run a unit whose fingerprint matches is not
 * built: the renderer takes its objects from the record, their manifests stay `KEEP` through the
 * output cache (cache.ts, which still checks every file is the one synth wrote), and the JSON is
 * parsed only if a later stage reads it (gates, the image index, a manifest edited by hand).
 *
 * Why by hand: cdk8s has no memoization and Bazel-style action caches work on files, not on
 * construct subtrees. The scheme is the one of build systems with content-addressed caches: a key
 * over everything the output depends on, conservative where the dependency is not tracked — any
 * change of the environment, an SBOM or a source file invalidates every unit.
 *
 * Layout (outside dist/, not committed): `.lockstep/cache/units/<outDir>/<env>/index.json` and
 * `<fingerprint>.json` blobs. A missing, corrupt or foreign index is an empty cache.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { UnitStore } from '../../constructs/core/unit.ts';
import type { KubeJson } from '../k8s/objects.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import type { SynthInputs } from './inputs.ts';

const FORMAT = 'lockstep-unit-cache/1';

/** [output path, construct path, output-cache key, object identity key] */
export type UnitObjectRecord = readonly [string, string, string, string];

interface UnitRecord {
  readonly fingerprint: string;
  readonly objects: readonly UnitObjectRecord[];
  /** Environment settings the build read (`section:key`), replayed on restore. */
  readonly settings: readonly string[];
}

interface IndexFile {
  readonly format: string;
  readonly salt: string;
  readonly units: Readonly<Record<string, UnitRecord>>;
}

/** A unit taken from the cache: what the renderer turns back into objects. */
export interface RestoredUnit {
  readonly path: string;
  readonly record: UnitRecord;
  /** The unit's objects' JSON, in record order (read on first use). */
  json(): KubeJson[];
}

/** Reads settings for a Unit's record and replays them on restore (EnvironmentContext). */
export interface SettingsTracker {
  observe(listener: ((setting: string) => void) | undefined): void;
  markUsed(settings: readonly string[]): void;
}

/** JSON with object keys sorted, so equal data hashes equally whatever the key order. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value instanceof Map) return stableJson(Object.fromEntries([...value].map(([k, v]) => [String(k), v])));
  const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

const LOCKSTEP_ROOT = fileURLToPath(new URL('../..', import.meta.url));
let codeFingerprintMemo: string | undefined;

/**
 * sha256 over every source file of the compiler and the platform (`src/`, `constructs/`) and
 * `package-lock.json`: any code or dependency change invalidates every unit.
 */
export function codeFingerprint(root: string = LOCKSTEP_ROOT): string {
  if (root === LOCKSTEP_ROOT && codeFingerprintMemo) return codeFingerprintMemo;
  const hash = createHash('sha256');
  const files: string[] = [];
  for (const dir of ['src', 'constructs']) {
    let entries;
    try {
      entries = readdirSync(join(root, dir), { recursive: true, withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) if (e.isFile() && /\.(ts|js|mjs|json)$/.test(e.name)) files.push(relative(root, join(e.parentPath, e.name)).split('\\').join('/'));
  }
  files.sort();
  files.push('package-lock.json');
  for (const f of files) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(root, f));
    } catch {
      continue;
    }
    hash.update(`${f}\0${bytes.length}\0`).update(bytes);
  }
  const digest = hash.digest('hex');
  if (root === LOCKSTEP_ROOT) codeFingerprintMemo = digest;
  return digest;
}

/** Everything besides a unit's own inputs that its output depends on: code, environment, pins, SBOMs. */
export function unitSalt(inputs: SynthInputs, code: string = codeFingerprint()): string {
  const sboms = [...inputs.sboms].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(`${FORMAT}\0${code}\0`).update(stableJson({ file: inputs.env.file, config: inputs.env.config, images: inputs.env.images, sboms })).digest('hex');
}

/** Where the unit cache of `<outDir>/<env>` lives. */
export function unitCacheDir(root: string, outDir: string, env: string): string {
  return join(root, '.lockstep/cache/units', outDir, env);
}

export class UnitCache implements UnitStore {
  /** Reads the cache in `dir` for runs whose salt is `salt`; anything unreadable or foreign is empty. */
  static load(dir: string, salt: string): UnitCache {
    let units: Record<string, UnitRecord> = {};
    try {
      const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as IndexFile;
      if (index.format === FORMAT && index.salt === salt && index.units && typeof index.units === 'object') units = index.units as Record<string, UnitRecord>;
    } catch {
      units = {};
    }
    return new UnitCache(dir, salt, units);
  }

  private tracker: SettingsTracker | undefined;
  private building: { path: string; fingerprint: string; settings: Set<string> } | undefined;
  private readonly built = new Map<string, { fingerprint: string; settings: string[] }>();
  private readonly restoredUnits = new Map<string, RestoredUnit>();

  private constructor(
    readonly dir: string,
    private readonly salt: string,
    private readonly units: Readonly<Record<string, UnitRecord>>,
  ) {}

  /** Units in the previous run's record. */
  get size(): number {
    return Object.keys(this.units).length;
  }

  /** Units restored / built in this run. */
  get stats(): { restored: number; built: number } {
    return { restored: this.restoredUnits.size, built: this.built.size };
  }

  /** Records and replays the settings units read (call before building the platform). */
  trackSettings(tracker: SettingsTracker): void {
    this.tracker = tracker;
  }

  fingerprint(path: string, inputs: unknown): string {
    return createHash('sha256').update(`${this.salt}\0${path}\0`).update(stableJson(inputs)).digest('hex');
  }

  restore(path: string, inputs: unknown): RestoredUnit | undefined {
    const record = Object.hasOwn(this.units, path) ? this.units[path] : undefined;
    if (!record || record.fingerprint !== this.fingerprint(path, inputs)) return undefined;
    if (!existsSync(join(this.dir, `${record.fingerprint}.json`))) return undefined;
    let parsed: KubeJson[] | undefined;
    const dir = this.dir;
    const restored: RestoredUnit = {
      path,
      record,
      json(): KubeJson[] {
        if (!parsed) {
          const text = readFileSync(join(dir, `${record.fingerprint}.json`), 'utf8');
          const list = JSON.parse(text) as KubeJson[];
          if (!Array.isArray(list) || list.length !== record.objects.length) throw new Error(`unit cache ${join(dir, `${record.fingerprint}.json`)} does not match its index; delete .lockstep/cache and run synth again`);
          parsed = list;
        }
        return parsed;
      },
    };
    this.tracker?.markUsed(record.settings);
    this.restoredUnits.set(path, restored);
    return restored;
  }

  beginBuild(path: string, inputs: unknown): void {
    const building = { path, fingerprint: this.fingerprint(path, inputs), settings: new Set<string>() };
    this.building = building;
    this.tracker?.observe((s) => building.settings.add(s));
  }

  endBuild(path: string): void {
    const b = this.building;
    if (!b || b.path !== path) return;
    this.building = undefined;
    this.tracker?.observe(undefined);
    this.built.set(path, { fingerprint: b.fingerprint, settings: [...b.settings].sort() });
  }

  /**
   * Writes the record of this run: built units with their objects' JSON (`texts`: output path →
   * `JSON.stringify` of the object, as the output cache hashed it), restored units as they were.
   * A built unit with an object that has no exact text is left out (built again next time). Call it
   * after the output directory was written.
   */
  async save(objects: readonly { readonly path: string; readonly constructPath: string; readonly unit?: string; readonly json: KubeJson }[], texts: ReadonlyMap<string, string>, keys: ReadonlyMap<string, string | undefined>, identity: (json: KubeJson) => string): Promise<void> {
    const byUnit = new Map<string, { records: UnitObjectRecord[]; texts: string[]; exact: boolean }>();
    for (const [path] of this.built) byUnit.set(path, { records: [], texts: [], exact: true });
    for (const o of objects) {
      const u = o.unit === undefined ? undefined : byUnit.get(o.unit);
      if (!u) continue;
      const text = texts.get(o.path);
      const key = keys.get(o.path);
      if (text === undefined || key === undefined) {
        u.exact = false;
        continue;
      }
      u.records.push([o.path, o.constructPath, key, identity(o.json)]);
      u.texts.push(text);
    }
    const units: Record<string, UnitRecord> = {};
    for (const [path, r] of this.restoredUnits) units[path] = r.record;
    mkdirSync(this.dir, { recursive: true });
    for (const [path, b] of this.built) {
      const u = byUnit.get(path)!;
      if (!u.exact) continue;
      // Same fingerprint, same content: a blob already there is this one (written atomically).
      const blob = join(this.dir, `${b.fingerprint}.json`);
      if (!existsSync(blob)) await writeFileAtomic(blob, `[${u.texts.join(',\n')}]`);
      units[path] = { fingerprint: b.fingerprint, objects: u.records, settings: b.settings };
    }
    const sorted = Object.fromEntries(Object.entries(units).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    await writeFileAtomic(join(this.dir, 'index.json'), JSON.stringify({ format: FORMAT, salt: this.salt, units: sorted } satisfies IndexFile));
    // Blobs no unit refers to any more.
    const live = new Set(Object.values(units).map((u) => `${u.fingerprint}.json`));
    for (const name of readdirSync(this.dir)) if (name.endsWith('.json') && name !== 'index.json' && !live.has(name)) rmSync(join(this.dir, name), { force: true });
  }
}
