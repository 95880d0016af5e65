/**
 * The unit cache: construct-level input hashing for incremental synth (constructs/core/unit.ts).
 *
 * A Unit's output is a function of its `inputs`, the synth inputs (environment, image pins, SBOMs)
 * and the code. The cache records, per unit path, the fingerprint of all three, the objects the unit
 * rendered (output path, construct path, output-cache key, identity), the state of each manifest as
 * synth left it (inode, size, mtime, ctime) and the settings the build read. On the next run a unit
 * whose fingerprint matches, and whose every manifest is still the file synth wrote, is not built:
 * the renderer takes its objects from the record, their manifests stay `KEEP`, and an object's JSON
 * is parsed from its manifest only if a later stage reads it (gates, the image index). A unit with a
 * missing or edited manifest is built.
 *
 * Everything here is per unit, not per object, where it can be: the objects of a record are two
 * text blocks (one line per object) that a restored unit's record carries into the next index
 * unchanged, so an incremental run neither re-encodes nor re-stats what it did not build.
 *
 * With `FsWorkers`, proving the manifests (one `lstat` each) runs on a worker thread while the tree
 * is built and rendered: units are restored on the record's word, and `confirmRestoredUnits` then
 * waits for the proof and, if a restored unit's manifest was touched, renders again with that unit
 * refused (built). Without workers each unit's manifests are checked before it is restored. The
 * check is git's: same inode, size, mtime and ctime, and a ctime strictly before the record was
 * made (a file changed within the clock tick of the record could otherwise look unchanged).
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
import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import jsYaml from 'js-yaml';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { UnitStore } from '../../constructs/core/unit.ts';
import { fileIntact, unitsNotIntact } from '../util/fs-bulk.mjs';
import type { FsWorkers } from '../util/fs-workers.ts';
import { objectKey, type KubeJson } from '../k8s/objects.ts';
import { writeChunksAtomic } from '../util/atomic.ts';
import { LockstepError } from '../util/errors.ts';
import type { SynthInputs } from './inputs.ts';

const FORMAT = 'lockstep-unit-cache/3';

/** [output path, construct path, output-cache key, object identity key] */
export type UnitObjectRecord = readonly [string, string, string, string];

/** What the index holds per unit. */
export interface UnitRecord {
  readonly fingerprint: string;
  /** Environment settings the build read (`section:key`), replayed on restore. */
  readonly settings: readonly string[];
  /** One line per object: output path, construct path, output-cache key, identity (tab-separated). */
  readonly objects: string;
  /** One line per object, in the same order: the manifest's inode, size, mtimeMs, ctimeMs. */
  readonly files: string;
  /** The file-system clock when the record was made (the racy rule above). */
  readonly recordedMs: number;
}

interface IndexFile {
  readonly format: string;
  readonly salt: string;
  readonly target: string;
  readonly units: Readonly<Record<string, UnitRecord>>;
}

/** A unit taken from the cache: what the renderer turns back into objects. */
export interface RestoredUnit {
  readonly path: string;
  readonly record: UnitRecord;
  readonly objects: readonly UnitObjectRecord[];
  /** The JSON of the object at `path` (one of the record's), parsed from its current manifest. */
  json(path: string): KubeJson;
}

/** Reads settings for a Unit's record and replays them on restore (EnvironmentContext). */
export interface SettingsTracker {
  observe(listener: ((setting: string) => void) | undefined): void;
  markUsed(settings: readonly string[]): void;
}

/** JSON with object keys sorted, so equal data hashes equally whatever the key order. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + stableJson(value[i]);
    return `${out}]`;
  }
  let out = '{';
  for (const k of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(k)}:${stableJson(v)}`;
  }
  return `${out}}`;
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
   * Reads the cache in `dir` for runs whose salt is `salt` and whose output directory is `target`;
   * anything unreadable or foreign is empty. Records made under another salt are kept: they restore
   * nothing (a fingerprint covers the salt) but still vouch for unchanged manifests (`wasCurrent`).
   * With `workers`, the recorded manifests are proven in the background from now on (`confirm`).
   */
  static load(dir: string, salt: string, target: string, workers?: FsWorkers): UnitCache {
    let units: Record<string, UnitRecord> = {};
    let sameSalt = false;
    try {
      const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as IndexFile;
      if (index.format === FORMAT && index.target === target && index.units && typeof index.units === 'object') {
        units = index.units as Record<string, UnitRecord>;
        sameSalt = index.salt === salt;
      }
    } catch {
      units = {};
    }
    let stale: Promise<ReadonlySet<string>> | undefined;
    if (workers && sameSalt) {
      stale = workers.verifyUnits(
        target,
        Object.entries(units).map(([path, r]) => [path, r.objects, r.files, r.recordedMs] as const),
      );
      // Awaited by confirm(); a failure is reported there, never as an unhandled rejection.
      stale.catch(() => undefined);
    }
    return new UnitCache(dir, salt, target, units, stale, new Set());
  }

  private tracker: SettingsTracker | undefined;
  private building: { path: string; fingerprint: string; settings: Set<string> } | undefined;
  private readonly built = new Map<string, { fingerprint: string; settings: string[] }>();
  private readonly restoredUnits = new Map<string, RestoredUnit>();
  private readonly previousByUnit = new Map<string, Map<string, { key: string; file: string }>>();

  private constructor(
    readonly dir: string,
    private readonly salt: string,
    private readonly target: string,
    private readonly units: Readonly<Record<string, UnitRecord>>,
    /** The background proof of the recorded manifests: units with a manifest that is not current. */
    private readonly staleUnits: Promise<ReadonlySet<string>> | undefined,
    /** Units never restored in this run (a restored one's manifest turned out touched). */
    private readonly refused: ReadonlySet<string>,
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
    const record = Object.hasOwn(this.units, path) && !this.refused.has(path) ? this.units[path] : undefined;
    if (!record || record.fingerprint !== this.fingerprint(path, inputs)) return undefined;
    // With a background proof, on the record's word (confirm() checks); otherwise checked now.
    if (!this.staleUnits && unitsNotIntact(this.target, [[path, record.objects, record.files, record.recordedMs]]).length > 0) return undefined;
    const target = this.target;
    const restored: RestoredUnit = {
      path,
      record,
      objects: parseObjects(record.objects),
      json(file: string): KubeJson {
        // The manifest is the YAML of exactly this JSON (its key says so), and YAML emitted by the
        // serializer parses back to the same data, keys in the same order (serialize.test.ts).
        let text: string;
        try {
          text = readFileSync(join(target, file), 'utf8');
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
   * The restored units a manifest of which is no longer the file synth wrote: empty when every
   * restore holds. Waits for the background proof when there is one.
   */
  async confirm(): Promise<string[]> {
    if (!this.staleUnits || this.restoredUnits.size === 0) return [];
    const stale = await this.staleUnits;
    return [...this.restoredUnits.keys()].filter((p) => stale.has(p)).sort();
  }

  /** A fresh cache for a new render of the same run that builds `units` instead of restoring them. */
  refusing(units: Iterable<string>): UnitCache {
    return new UnitCache(this.dir, this.salt, this.target, this.units, this.staleUnits, new Set([...this.refused, ...units]));
  }

  /**
   * Whether the manifest at `path` is the file synth wrote for an object with output-cache key
   * `key`, by the previous record of `unit` (salt aside): a unit built again after a code change
   * keeps the files whose objects came out the same. Only that unit's record is read.
   */
  wasCurrent(unit: string, path: string, key: string | undefined): boolean {
    if (key === undefined) return false;
    let previous = this.previousByUnit.get(unit);
    if (!previous) {
      previous = new Map();
      const record = Object.hasOwn(this.units, unit) ? this.units[unit] : undefined;
      if (record) {
        const files = record.files.split('\n');
        parseObjects(record.objects).forEach(([p, , k], i) => {
          if (files[i] !== undefined) previous!.set(p, { key: k, file: files[i]! });
        });
      }
      this.previousByUnit.set(unit, previous);
    }
    const prev = previous.get(path);
    return prev !== undefined && prev.key === key && fileIntact(join(this.target, path), prev.file, this.units[unit]!.recordedMs);
  }

  /**
   * Writes the record of this run: built units with their objects (`keys`: output path → the
   * output-cache key synth computed) and the state of their manifests now, restored units as they
   * were — unless `rewrote` says their manifests were written again after all (then they are left
   * out and built next time). A built unit with an object that has no exact key, or a field that
   * cannot be written as a line, is left out too. Call it after the output directory was written.
   */
  async save(objects: readonly { readonly path: string; readonly constructPath: string; readonly unit?: string; readonly json: KubeJson }[], keys: ReadonlyMap<string, string | undefined>, options: { rewrote?: boolean } = {}): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    let newest = 0;
    const byUnit = new Map<string, { objects: string[]; files: string[]; exact: boolean }>();
    for (const [path] of this.built) byUnit.set(path, { objects: [], files: [], exact: true });
    for (const o of objects) {
      const u = o.unit === undefined ? undefined : byUnit.get(o.unit);
      if (!u || !u.exact) continue;
      const key = keys.get(o.path);
      const fields = [o.path, o.constructPath, key ?? '', objectKey(o.json)];
      const st = key === undefined ? undefined : lstatSync(join(this.target, o.path), { throwIfNoEntry: false });
      if (!st?.isFile() || fields.some((f) => /[\t\n]/.test(f))) {
        u.exact = false;
        continue;
      }
      u.objects.push(fields.join('\t'));
      u.files.push(`${st.ino}\t${st.size}\t${st.mtimeMs}\t${st.ctimeMs}`);
      newest = Math.max(newest, st.ctimeMs);
    }
    // Made after the clock passed every manifest just recorded, so none of them is racy next time.
    const recordedMs = fileSystemTimeAfter(this.dir, newest);
    const units: Record<string, UnitRecord> = {};
    if (!options.rewrote) for (const [path, r] of this.restoredUnits) units[path] = r.record;
    for (const [path, b] of this.built) {
      const u = byUnit.get(path)!;
      if (u.exact) units[path] = { fingerprint: b.fingerprint, settings: b.settings, objects: u.objects.join('\n'), files: u.files.join('\n'), recordedMs };
    }
    // The text of JSON.stringify({ format, salt, target, units }) with units sorted, a unit at a time.
    const paths = Object.keys(units).sort();
    const head = JSON.stringify({ format: FORMAT, salt: this.salt, target: this.target, units: {} } satisfies IndexFile).slice(0, -2);
    await writeChunksAtomic(join(this.dir, 'index.json'), (function* () {
      yield head; // ends with "units":{
      for (const [i, p] of paths.entries()) yield `${i ? ',' : ''}${JSON.stringify(p)}:${JSON.stringify(units[p])}`;
      yield '}}';
    })());
    // Anything else in the directory is an earlier format's (per-unit JSON blobs) or the clock file.
    for (const name of readdirSync(this.dir)) if (name !== 'index.json' && !name.startsWith('.')) rmSync(join(this.dir, name), { force: true, recursive: true });
  }
}

/** The object lines of a record as tuples. */
function parseObjects(text: string): UnitObjectRecord[] {
  if (text === '') return [];
  return text.split('\n').map((line) => line.split('\t') as unknown as UnitObjectRecord);
}

/**
 * The file-system clock (the mtime of a file created in `dir`, the clock manifests' ctimes come
 * from) once it is past `after`: at most one clock tick of waiting (a few milliseconds), so that
 * files written just before a record are trusted on the next run instead of rebuilt once.
 */
function fileSystemTimeAfter(dir: string, after: number): number {
  const clock = join(dir, '.clock');
  const deadline = Date.now() + 1000;
  for (;;) {
    rmSync(clock, { force: true });
    const fd = openSync(clock, 'wx');
    let now: number;
    try {
      now = fstatSync(fd).mtimeMs;
    } finally {
      closeSync(fd);
    }
    if (now > after || Date.now() > deadline) return now;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
  }
}

/**
 * Waits for the proof of the manifests of the units `rendering` restored (see `UnitCache.confirm`).
 * When one was edited or removed since synth wrote it, renders again through `rerender` with a unit
 * cache that builds those units: the result is the rendering to use either way.
 */
export async function confirmRestoredUnits<R>(rendering: R, units: UnitCache | undefined, rerender: (units: UnitCache) => R): Promise<R> {
  if (!units) return rendering;
  const stale = await units.confirm();
  return stale.length === 0 ? rendering : rerender(units.refusing(stale));
}
