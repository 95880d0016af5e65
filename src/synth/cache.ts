/**
 * The synth output cache: which file of `dist/<env>` holds the YAML of which rendered object, so an
 * unchanged object is neither serialized nor compared with its file again, and its file is not
 * rewritten (`KEEP` in `replaceDirectory`).
 *
 * Key: sha1 of the object's rendered JSON (`JSON.stringify`, keys already sorted). It is exact only
 * for plain JSON data: `-0`, `NaN` and `±Infinity` stringify like `0` and `null` but serialize
 * differently in YAML, so objects holding them (or non-plain values) get no key and are always
 * serialized. The key also covers the serializer (`SERIALIZER_ID`): a change of the YAML output
 * invalidates every entry.
 *
 * An entry is trusted only while the file is the one synth wrote: same inode, size, mtime and
 * ctime (ctime cannot be set back by other tools), and a ctime strictly before the index was written
 * — a file changed within the same clock tick as the index could otherwise look unchanged (git's
 * "racy" rule). Anything else is a miss, which costs a serialization and a comparison, never a
 * wrong byte. The index lives outside `dist/` (`.lockstep/cache/`, not committed).
 */
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomic.ts';
import { SERIALIZER_ID } from './serialize.ts';

const FORMAT = `lockstep-synth-cache/1 ${SERIALIZER_ID}`;

interface Entry {
  readonly key: string;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

interface IndexFile {
  readonly format: string;
  readonly target: string;
  /** [path, key, ino, size, mtimeMs, ctimeMs] */
  readonly entries: readonly (readonly [string, string, number, number, number, number])[];
}

/** Whether `value` is plain JSON data whose `JSON.stringify` determines its YAML exactly. */
function exactJson(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'undefined':
      // Skipped in objects and null in arrays, by JSON and by the YAML emitter alike.
      return true;
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (const v of value) if (!exactJson(v)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return false;
      for (const k of Object.keys(value)) if (!exactJson((value as Record<string, unknown>)[k])) return false;
      return true;
    }
    default:
      return false;
  }
}

/** The cache key of a rendered object, or undefined when it cannot be cached exactly. */
export function cacheKey(json: unknown): string | undefined {
  if (!exactJson(json)) return undefined;
  return createHash('sha1').update(JSON.stringify(json)).digest('base64');
}

export class OutputCache {
  /**
   * Reads the index at `file` for the output directory `target`. A missing, unreadable or foreign
   * index (other format, other target) is an empty cache.
   */
  static load(file: string, target: string): OutputCache {
    const entries = new Map<string, Entry>();
    let writtenMs = 0;
    try {
      const text = readFileSync(file, 'utf8');
      writtenMs = statSync(file).mtimeMs;
      const index = JSON.parse(text) as IndexFile;
      if (index.format === FORMAT && index.target === target && Array.isArray(index.entries)) {
        for (const [path, key, ino, size, mtimeMs, ctimeMs] of index.entries) entries.set(path, { key, ino, size, mtimeMs, ctimeMs });
      }
    } catch {
      entries.clear();
    }
    return new OutputCache(file, target, entries, writtenMs);
  }

  private constructor(
    private readonly file: string,
    private readonly target: string,
    private readonly entries: Map<string, Entry>,
    private readonly writtenMs: number,
  ) {}

  /** Entries in the index. */
  get size(): number {
    return this.entries.size;
  }

  /** Whether `<target>/<path>` still holds the output of the object whose key is `key`. */
  isCurrent(path: string, key: string | undefined): boolean {
    if (key === undefined) return false;
    const e = this.entries.get(path);
    if (!e || e.key !== key) return false;
    try {
      const st = lstatSync(`${this.target}/${path}`);
      return st.isFile() && st.ino === e.ino && st.size === e.size && st.mtimeMs === e.mtimeMs && st.ctimeMs === e.ctimeMs && st.ctimeMs < this.writtenMs;
    } catch {
      return false;
    }
  }

  /**
   * Records the files just written (path → key; undefined keys are left out) and writes the index
   * atomically. `kept` are the paths this run passed as `KEEP`. Call it only after the output
   * directory was replaced.
   */
  async save(keys: ReadonlyMap<string, string | undefined>, kept: ReadonlySet<string> = new Set()): Promise<void> {
    const out: [string, string, number, number, number, number][] = [];
    for (const [path, key] of keys) {
      if (key === undefined) continue;
      const e = kept.has(path) ? this.entries.get(path) : undefined;
      if (e && e.key === key) {
        // Not touched by this run (`KEEP`): its recorded state still holds.
        out.push([path, key, e.ino, e.size, e.mtimeMs, e.ctimeMs]);
        continue;
      }
      try {
        const st = lstatSync(`${this.target}/${path}`);
        if (st.isFile()) out.push([path, key, st.ino, st.size, st.mtimeMs, st.ctimeMs]);
      } catch {
        // not written: no entry
      }
    }
    const index: IndexFile = { format: FORMAT, target: this.target, entries: out };
    await writeFileAtomic(this.file, JSON.stringify(index));
  }
}
