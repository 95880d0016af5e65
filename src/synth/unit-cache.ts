/**
 * The unit cache: construct-level input hashing for incremental synth (constructs/core/unit.ts).
 *
 * A Unit's output is a function of its `inputs`, the synth inputs (environment, image pins, SBOMs)
 * and the code. The cache records, per unit path, the fingerprint of all three and the objects the
 * unit rendered (output path, construct path, output-cache key, identity, settings read). On the
 * next run a unit whose fingerprint matches, and whose every manifest the output cache (cache.ts)
 * proves is still the file synth wrote, is not built: the renderer takes its objects from the
 * record, their manifests stay `KEEP`, and an object's JSON is parsed from its manifest only if a
 * later stage reads it (gates, the image index). A unit with a missing or edited manifest is built.
 *
 * Why by hand: cdk8s has no memoization and Bazel-style action caches work on files, not on
 * construct subtrees. The scheme is the one of build systems with content-addressed caches: a key
 * over everything the output depends on, conservative where the dependency is not tracked — any
 * change of the environment, an SBOM or a source file invalidates every unit.
 *
 * Layout (outside dist/, not committed): `.lockstep/cache/units/<outDir>/<env>/index.json`. A
 * missing, corrupt or foreign index is an empty cache.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import jsYaml from 'js-yaml';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { UnitStore } from '../../constructs/core/unit.ts';
import { objectKey, type KubeJson } from '../k8s/objects.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { LockstepError } from '../util/errors.ts';
import type { SynthInputs } from './inputs.ts';

const FORMAT = 'lockstep-unit-cache/2';

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
  /** The JSON of the object at `path` (one of the record's), parsed from its current manifest. */
  json(path: string): KubeJson;
}

/** The previous output, as the output cache knows it (cache.ts). */
export interface OutputFiles {
  /** Whether the manifest at `path` is still the file synth wrote for an object with this key. */
  isCurrent(path: string, key: string): boolean;
  /** The manifest's text. */
  read(path: string): string;
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
  /**
   * Reads the cache in `dir` for runs whose salt is `salt`; anything unreadable or foreign is empty.
   * `files` is the output cache of the same output directory: a unit is restored only while it
   * vouches for every one of the unit's manifests.
   */
  static load(dir: string, salt: string, files: OutputFiles): UnitCache {
    let units: Record<string, UnitRecord> = {};
    try {
      const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as IndexFile;
      if (index.format === FORMAT && index.salt === salt && index.units && typeof index.units === 'object') units = index.units as Record<string, UnitRecord>;
    } catch {
      units = {};
    }
    return new UnitCache(dir, salt, units, files);
  }

  private tracker: SettingsTracker | undefined;
  private building: { path: string; fingerprint: string; settings: Set<string> } | undefined;
  private readonly built = new Map<string, { fingerprint: string; settings: string[] }>();
  private readonly restoredUnits = new Map<string, RestoredUnit>();

  private constructor(
    readonly dir: string,
    private readonly salt: string,
    private readonly units: Readonly<Record<string, UnitRecord>>,
    private readonly files: OutputFiles,
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
    for (const [file, , key] of record.objects) if (!this.files.isCurrent(file, key)) return undefined;
    const files = this.files;
    const restored: RestoredUnit = {
      path,
      record,
      json(file: string): KubeJson {
        // The manifest is the YAML of exactly this JSON (its key says so), and YAML emitted by the
        // serializer parses back to the same data, keys in the same order (serialize.test.ts).
        let text: string;
        try {
          text = files.read(file);
        } catch (e) {
          throw new LockstepError({ file, message: `was removed while synth ran (${(e as NodeJS.ErrnoException).code ?? String(e)})`, fix: 'run synth again' });
        }
        return jsYaml.load(text) as KubeJson;
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
   * Writes the record of this run: built units with their objects (`keys`: output path → the
   * output-cache key synth computed), restored units as they were. A built unit with an object that
   * has no exact key is left out (built again next time). Call it after the output directory and
   * the output cache were written.
   */
  async save(objects: readonly { readonly path: string; readonly constructPath: string; readonly unit?: string; readonly json: KubeJson }[], keys: ReadonlyMap<string, string | undefined>): Promise<void> {
    const byUnit = new Map<string, { records: UnitObjectRecord[]; exact: boolean }>();
    for (const [path] of this.built) byUnit.set(path, { records: [], exact: true });
    for (const o of objects) {
      const u = o.unit === undefined ? undefined : byUnit.get(o.unit);
      if (!u) continue;
      const key = keys.get(o.path);
      if (key === undefined) {
        u.exact = false;
        continue;
      }
      u.records.push([o.path, o.constructPath, key, objectKey(o.json)]);
    }
    const units: Record<string, UnitRecord> = {};
    for (const [path, r] of this.restoredUnits) units[path] = r.record;
    for (const [path, b] of this.built) {
      const u = byUnit.get(path)!;
      if (u.exact) units[path] = { fingerprint: b.fingerprint, objects: u.records, settings: b.settings };
    }
    const sorted = Object.fromEntries(Object.entries(units).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    mkdirSync(this.dir, { recursive: true });
    await writeFileAtomic(join(this.dir, 'index.json'), JSON.stringify({ format: FORMAT, salt: this.salt, units: sorted } satisfies IndexFile));
    // Anything else in the directory is an earlier format's (per-unit JSON blobs): not needed.
    for (const name of readdirSync(this.dir)) if (name !== 'index.json' && !name.startsWith('.')) rmSync(join(this.dir, name), { force: true, recursive: true });
  }
}
