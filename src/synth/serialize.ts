import jsYaml from 'js-yaml';

/**
 * The pinned js-yaml options: keys are already sorted by the renderer, no line folding, no
 * anchors, double quotes, and YAML 1.1-compatible quoting of values like `yes`/`on` (kubectl and
 * Argo CD read YAML with 1.1 rules).
 */
const OPTIONS: jsYaml.DumpOptions = { lineWidth: -1, noRefs: true, quotingType: '"', sortKeys: false, noCompatMode: false };

/**
 * Names the YAML output format; the synth output cache is invalidated when it changes. Bump it
 * with any change of the emitter, the options or the js-yaml version.
 */
export const SERIALIZER_ID = `js-yaml@4.3.2 ${JSON.stringify(OPTIONS)} emitter/1`;

/**
 * The reference serializer: js-yaml with the pinned options. It is about 4× faster than the `yaml`
 * package cdk8s bundles and parses back to the same objects (performance-baseline.md §1, §9).
 * `toYaml` must produce exactly these bytes for every input; tests compare the two.
 */
export function toYamlReference(obj: unknown): string {
  return jsYaml.dump(obj, OPTIONS);
}

/**
 * Serializes one object as a YAML document, byte for byte what `toYamlReference` (js-yaml) writes.
 *
 * Why a hand-written emitter: at 60k objects js-yaml was the largest single cost of synth after the
 * file writes. Most of its time goes into choosing a style for every scalar (a per-character scan
 * plus the implicit-type regexes), although manifests repeat the same few thousand strings (label
 * keys and values, kinds, names). This emitter writes only the block structure (indentation, `- `,
 * `: `, `{}`/`[]`), following js-yaml's dumper line by line (lib/dumper.js, `writeBlockMapping`,
 * `writeBlockSequence`, `writeNode`), and asks js-yaml itself for each distinct scalar once,
 * memoized. So the quoting rules (YAML 1.1 booleans, numbers as strings, empty strings, `:`/`#`,
 * leading and trailing spaces, unicode, escapes) are js-yaml's own, not a re-implementation.
 * Anything outside plain JSON data (Dates, Buffers, class instances, functions, keys with line
 * breaks or over 1024 characters) falls back to js-yaml for the whole document.
 */
export function toYaml(obj: unknown): string {
  if (obj === undefined) return toYamlReference(obj);
  try {
    return `${node(obj, 0, true)}\n`;
  } catch (e) {
    if (e === FALLBACK) return toYamlReference(obj);
    throw e;
  }
}

/** Thrown inside the emitter when a value is not plain JSON data; never escapes `toYaml`. */
const FALLBACK = Symbol('fallback to js-yaml');

/** `'\n'` plus the indentation of `level` (js-yaml's `generateNextLine` with indent 2). */
const newlines: string[] = [];
function newline(level: number): string {
  return (newlines[level] ??= `\n${'  '.repeat(level)}`);
}

/** js-yaml's scalar for a string at level 0, memoized; bounded so a long-lived process cannot grow without end. */
const scalars = new Map<string, string>();
const numbers = new Map<number, string>();
const MEMO_LIMIT = 500_000;

function scalarOf(s: string): string {
  let out = scalars.get(s);
  if (out === undefined) {
    out = jsYaml.dump(s, OPTIONS).slice(0, -1);
    if (scalars.size >= MEMO_LIMIT) scalars.clear();
    scalars.set(s, out);
  }
  return out;
}

/**
 * A string value at `level`. Without a line break its scalar does not depend on the position
 * (js-yaml picks plain, or double quotes, from the string alone when lines are not folded). A
 * multi-line string becomes a literal block (`|`) whose lines js-yaml indents by
 * 2 × max(1, level); at level 0 that is 2 spaces, so deeper levels add the difference to every
 * non-empty line (js-yaml's `indentString` leaves empty lines empty).
 */
function stringValue(s: string, level: number): string {
  const base = scalarOf(s);
  if (level <= 1 || base.charCodeAt(0) !== 0x7c /* | */ || !s.includes('\n')) return base;
  const extra = '  '.repeat(level - 1);
  const header = base.indexOf('\n');
  const lines = base.slice(header + 1).split('\n');
  for (let i = 0; i < lines.length; i++) if (lines[i] !== '') lines[i] = extra + lines[i];
  return `${base.slice(0, header + 1)}${lines.join('\n')}`;
}

/** A mapping key: js-yaml writes keys single-line only, and long ones as explicit `? ` pairs. */
function keyOf(k: string): string {
  if (k.includes('\n') || k.includes('\r')) throw FALLBACK;
  const out = scalarOf(k);
  if (out.length > 1024) throw FALLBACK;
  return out;
}

function numberOf(n: number): string {
  if (Object.is(n, -0)) return jsYaml.dump(n, OPTIONS).slice(0, -1);
  let out = numbers.get(n);
  if (out === undefined) {
    out = jsYaml.dump(n, OPTIONS).slice(0, -1);
    if (numbers.size >= MEMO_LIMIT) numbers.clear();
    numbers.set(n, out);
  }
  return out;
}

/** js-yaml's `writeNode` for block context: `compact` keeps the first entry on the current line. */
function node(value: unknown, level: number, compact: boolean): string {
  switch (typeof value) {
    case 'string':
      return stringValue(value, level);
    case 'number':
      return numberOf(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return sequence(value, level, compact);
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) throw FALLBACK;
      return mapping(value as Record<string, unknown>, level, compact);
    }
    default:
      throw FALLBACK;
  }
}

/** `writeBlockMapping`: pairs with undefined values are skipped; no pairs → `{}`. */
function mapping(obj: Record<string, unknown>, level: number, compact: boolean): string {
  let out = '';
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (v === undefined) continue;
    if (!compact || out !== '') out += newline(level);
    const d = node(v, level + 1, false);
    out += keyOf(k) + (d.charCodeAt(0) === 0x0a ? ':' : ': ') + d;
  }
  return out === '' ? '{}' : out;
}

/** `writeBlockSequence`: undefined items are written as null; no items → `[]`. */
function sequence(arr: readonly unknown[], level: number, compact: boolean): string {
  let out = '';
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (!compact || out !== '') out += newline(level);
    const d = node(v === undefined ? null : v, level + 1, true);
    out += (d.charCodeAt(0) === 0x0a ? '-' : '- ') + d;
  }
  return out === '' ? '[]' : out;
}
