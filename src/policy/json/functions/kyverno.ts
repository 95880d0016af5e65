/**
 * The JMESPath function table kyverno-json adds on top of the JMESPath Community built-ins
 * (`pkg/jp/functions.go`): its own `at`, `concat`, `json_parse`, `wildcard`, then Kyverno's
 * functions (`pkg/jp/kyverno/*.go`). Later entries override earlier ones there, so `replace`,
 * `trim`, `split`, `sum` and `items` take Kyverno's signatures, and `contains` follows Go.
 *
 * Hand-written: these are ports of Go behaviour that no npm package provides.
 */
import { parse as parseYaml } from 'yaml';
import { posix } from 'node:path';
import { compileGoRegexp, goReplaceAll } from './go-regexp.ts';
import { formatGoDuration, formatRfc3339, localFields, parseGoDuration, parseGoLayout, parseRfc3339, truncateGoTime } from './go-time.ts';
import { parseSemver, parseSemverRange } from './semver.ts';
import { wildcardMatch } from './wildcard.ts';

export type ArgType = 'any' | 'string' | 'number' | 'array' | 'object' | 'boolean';

export interface FunctionSpec {
  readonly name: string;
  /** Expected types per argument; arity is exact. */
  readonly args: readonly ArgType[];
  readonly fn: (args: unknown[]) => unknown;
}

/** Functions Kyverno has that this evaluator refuses, with the reason shown to the user. */
export const UNSUPPORTED_FUNCTIONS: Readonly<Record<string, string>> = {
  random: 'it is non-deterministic, and Lockstep gates must give the same answer on every run',
  x509_decode: "its output mirrors Go's x509.Certificate JSON encoding, which is not reproduced here",
};

export interface FunctionContext {
  /** The clock for time_now/time_now_utc/time_since; absent means those functions fail. */
  readonly now?: () => Date;
}

function fnError(name: string, message: string): Error {
  return new Error(`JMESPath function '${name}': ${message}`);
}

/** Types only: the JMESPath runtime already enforces arity from the registered signature. */
function checkArgs(spec: FunctionSpec, args: unknown[]): void {
  spec.args.forEach((t, i) => {
    if (t !== 'any' && jsonType(args[i]) !== t) {
      throw fnError(spec.name, `argument #${i + 1} must be of type ${t}, got ${jsonType(args[i])}`);
    }
  });
}

export function jsonType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** Go `reflect.DeepEqual` on JSON values (numbers compare by value in JS). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (jsonType(a) !== jsonType(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  if (typeof a === 'object' && a !== null) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const keys = Object.keys(ao);
    return keys.length === Object.keys(bo).length && keys.every((k) => Object.hasOwn(bo, k) && deepEqual(ao[k], bo[k]));
  }
  return false;
}

/** Go's `ifaceToString`: numbers are printed with float32 precision. */
function ifaceToString(name: string, v: unknown, pos: number): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(Math.fround(v).toPrecision(7)));
  throw fnError(name, `argument #${pos} must be a string or a number, got ${jsonType(v)}`);
}

const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;

type Operand = { kind: 'scalar'; value: number } | { kind: 'duration'; ns: bigint };

/** Kyverno's operand parsing: number, else a Kubernetes quantity, else a Go duration. */
function operand(name: string, v: unknown): Operand {
  if (typeof v === 'number') return { kind: 'scalar', value: v };
  if (typeof v === 'string') {
    if (QUANTITY.test(v)) {
      throw fnError(
        name,
        `Kubernetes quantity arithmetic (${JSON.stringify(v)}) is not supported by Lockstep's kyverno-json evaluator; use plain numbers or durations`,
      );
    }
    try {
      return { kind: 'duration', ns: parseGoDuration(v) };
    } catch {
      // fall through to the invalid operand error
    }
  }
  throw fnError(name, 'invalid operand');
}

function mismatch(name: string): Error {
  return fnError(name, 'types mismatch');
}

function arithmetic(name: string, op: 'add' | 'subtract' | 'multiply' | 'divide' | 'modulo') {
  return ([a, b]: unknown[]): unknown => {
    const x = operand(name, a);
    const y = operand(name, b);
    const secs = (ns: bigint): number => Number(ns) / 1e9;
    const fromSecs = (s: number): string => formatGoDuration(BigInt(Math.trunc(s * 1e9)));
    switch (op) {
      case 'add':
      case 'subtract': {
        const sign = op === 'add' ? 1 : -1;
        if (x.kind === 'scalar' && y.kind === 'scalar') return x.value + sign * y.value;
        if (x.kind === 'duration' && y.kind === 'duration') return formatGoDuration(op === 'add' ? x.ns + y.ns : x.ns - y.ns);
        throw mismatch(name);
      }
      case 'multiply':
        if (x.kind === 'scalar' && y.kind === 'scalar') return x.value * y.value;
        if (x.kind === 'duration' && y.kind === 'scalar') return fromSecs(secs(x.ns) * y.value);
        if (x.kind === 'scalar' && y.kind === 'duration') return fromSecs(secs(y.ns) * x.value);
        throw mismatch(name);
      case 'divide':
        if (y.kind === 'scalar' && y.value === 0) throw fnError(name, 'Zero divisor passed');
        if (y.kind === 'duration' && y.ns === 0n) throw fnError(name, 'Zero divisor passed');
        if (x.kind === 'scalar' && y.kind === 'scalar') return x.value / y.value;
        if (x.kind === 'duration' && y.kind === 'duration') return secs(x.ns) / secs(y.ns);
        if (x.kind === 'duration' && y.kind === 'scalar') return fromSecs(secs(x.ns) / y.value);
        throw mismatch(name);
      case 'modulo':
        if (x.kind === 'scalar' && y.kind === 'scalar') {
          if (!Number.isInteger(x.value) || !Number.isInteger(y.value)) throw fnError(name, 'Non-integer argument(s) passed for modulo');
          if (y.value === 0) throw fnError(name, 'Zero divisor passed');
          return x.value % y.value;
        }
        if (x.kind === 'duration' && y.kind === 'duration') {
          if (y.ns === 0n) throw fnError(name, 'Zero divisor passed');
          return formatGoDuration(x.ns % y.ns);
        }
        throw mismatch(name);
    }
  };
}

function time(name: string, v: unknown) {
  try {
    return parseRfc3339(v as string);
  } catch (e) {
    throw fnError(name, (e as Error).message);
  }
}

function duration(name: string, v: unknown): bigint {
  try {
    return parseGoDuration(v as string);
  } catch (e) {
    throw fnError(name, (e as Error).message);
  }
}

/** Go `filepath.Join(p)` on a single element (= `Clean`, but "" stays ""). */
function goClean(p: string): string {
  if (p === '') return '';
  const cleaned = posix.normalize(p);
  return cleaned.length > 1 && cleaned.endsWith('/') ? cleaned.slice(0, -1) : cleaned;
}

function needsClock(ctx: FunctionContext, name: string): Date {
  if (!ctx.now) {
    throw fnError(name, 'needs the current time, but the evaluator was given no clock; pass `now` in the scan options');
  }
  return ctx.now();
}

export function kyvernoFunctions(ctx: FunctionContext): FunctionSpec[] {
  const specs: FunctionSpec[] = [
    // kyverno-json's own functions (pkg/jp/functions).
    {
      name: 'at',
      args: ['array', 'number'],
      fn: ([arr, i]) => {
        const a = arr as unknown[];
        const idx = i as number;
        if (!Number.isInteger(idx) || idx < 0 || idx >= a.length) throw fnError('at', `index ${idx} out of range`);
        return a[idx];
      },
    },
    { name: 'concat', args: ['string', 'string'], fn: ([a, b]) => (a as string) + (b as string) },
    { name: 'json_parse', args: ['string'], fn: ([s]) => parseJsonArg('json_parse', s as string) },
    { name: 'wildcard', args: ['string', 'string'], fn: ([p, s]) => wildcardMatch(p as string, s as string) },
    // Go-faithful contains: deep equality for arrays, false for a non-string search in a string.
    {
      name: 'contains',
      args: ['any', 'any'],
      fn: ([subject, search]) => {
        if (typeof subject === 'string') return typeof search === 'string' ? subject.includes(search) : false;
        if (Array.isArray(subject)) return subject.some((x) => deepEqual(x, search));
        throw fnError('contains', `argument #1 must be an array or a string, got ${jsonType(subject)}`);
      },
    },
    // Kyverno string functions.
    { name: 'compare', args: ['string', 'string'], fn: ([a, b]) => ((a as string) < (b as string) ? -1 : a === b ? 0 : 1) },
    { name: 'equal_fold', args: ['string', 'string'], fn: ([a, b]) => (a as string).toLowerCase() === (b as string).toLowerCase() },
    {
      name: 'replace',
      args: ['string', 'string', 'string', 'number'],
      fn: ([s, oldS, newS, n]) => goReplace(s as string, oldS as string, newS as string, Math.trunc(n as number)),
    },
    { name: 'replace_all', args: ['string', 'string', 'string'], fn: ([s, o, n]) => goReplace(s as string, o as string, n as string, -1) },
    { name: 'to_upper', args: ['string'], fn: ([s]) => (s as string).toUpperCase() },
    { name: 'to_lower', args: ['string'], fn: ([s]) => (s as string).toLowerCase() },
    {
      name: 'trim',
      args: ['string', 'string'],
      fn: ([s, cutset]) => {
        const chars = new Set([...(cutset as string)]);
        const arr = [...(s as string)];
        let start = 0;
        let end = arr.length;
        while (start < end && chars.has(arr[start]!)) start++;
        while (end > start && chars.has(arr[end - 1]!)) end--;
        return arr.slice(start, end).join('');
      },
    },
    {
      name: 'trim_prefix',
      args: ['string', 'string'],
      fn: ([s, p]) => ((s as string).startsWith(p as string) ? (s as string).slice((p as string).length) : s),
    },
    {
      name: 'split',
      args: ['string', 'string'],
      fn: ([s, sep]) => (sep === '' ? [...(s as string)] : (s as string).split(sep as string)),
    },
    {
      name: 'regex_replace_all',
      args: ['string', 'any', 'any'],
      fn: ([re, src, repl]) =>
        goReplaceAll(regex('regex_replace_all', re as string), ifaceToString('regex_replace_all', src, 2), ifaceToString('regex_replace_all', repl, 3), false),
    },
    {
      name: 'regex_replace_all_literal',
      args: ['string', 'any', 'any'],
      fn: ([re, src, repl]) =>
        goReplaceAll(
          regex('regex_replace_all_literal', re as string),
          ifaceToString('regex_replace_all_literal', src, 2),
          ifaceToString('regex_replace_all_literal', repl, 3),
          true,
        ),
    },
    {
      name: 'regex_match',
      args: ['string', 'any'],
      fn: ([re, src]) => regex('regex_match', re as string).test(ifaceToString('regex_match', src, 2)),
    },
    {
      name: 'pattern_match',
      args: ['string', 'any'],
      fn: ([p, src]) => wildcardMatch(p as string, ifaceToString('pattern_match', src, 2)),
    },
    {
      name: 'label_match',
      args: ['object', 'object'],
      fn: ([selector, labels]) => {
        const l = labels as Record<string, unknown>;
        return Object.entries(selector as Record<string, unknown>).every(([k, v]) => Object.hasOwn(l, k) && l[k] === v);
      },
    },
    {
      name: 'to_boolean',
      args: ['string'],
      fn: ([s]) => {
        const v = (s as string).toLowerCase();
        if (v === 'true' || v === 'false') return v === 'true';
        throw fnError('to_boolean', `lowercase argument must be 'true' or 'false' (provided: '${s as string}')`);
      },
    },
    // Arithmetic on numbers and durations.
    { name: 'add', args: ['any', 'any'], fn: arithmetic('add', 'add') },
    { name: 'subtract', args: ['any', 'any'], fn: arithmetic('subtract', 'subtract') },
    { name: 'multiply', args: ['any', 'any'], fn: arithmetic('multiply', 'multiply') },
    { name: 'divide', args: ['any', 'any'], fn: arithmetic('divide', 'divide') },
    { name: 'modulo', args: ['any', 'any'], fn: arithmetic('modulo', 'modulo') },
    {
      name: 'sum',
      args: ['array'],
      fn: ([items]) => {
        const arr = items as unknown[];
        if (arr.length === 0) throw fnError('sum', 'at least one element in the array is required');
        const add = arithmetic('sum', 'add');
        return arr.slice(1).reduce((acc, x) => add([acc, x]), arr[0]);
      },
    },
    {
      name: 'round',
      args: ['number', 'number'],
      fn: ([n, digits]) => {
        const d = digits as number;
        if (!Number.isInteger(d)) throw fnError('round', 'Non-integer argument(s) passed for round off');
        if (d < 0) throw fnError('round', 'Argument out of bounds');
        const shift = 10 ** d;
        const v = n as number;
        // Go's math.Round rounds half away from zero.
        return (Math.sign(v) * Math.round(Math.abs(v) * shift)) / shift;
      },
    },
    {
      name: 'base64_decode',
      args: ['string'],
      fn: ([s]) => {
        const str = s as string;
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(str) || str.length % 4 !== 0) {
          throw fnError('base64_decode', `illegal base64 data in ${JSON.stringify(str)}`);
        }
        return Buffer.from(str, 'base64').toString('utf8');
      },
    },
    { name: 'base64_encode', args: ['string'], fn: ([s]) => Buffer.from(s as string, 'utf8').toString('base64') },
    { name: 'path_canonicalize', args: ['string'], fn: ([s]) => goClean(s as string) },
    {
      name: 'truncate',
      args: ['string', 'number'],
      fn: ([s, n]) => [...(s as string)].slice(0, Math.max(0, Math.trunc(n as number))).join(''),
    },
    {
      name: 'semver_compare',
      args: ['string', 'string'],
      fn: ([v, r]) => {
        // Like Kyverno, an unparsable version silently becomes 0.0.0.
        const version = parseSemver(v as string) ?? { major: 0, minor: 0, patch: 0, pre: [] };
        let range: ReturnType<typeof parseSemverRange>;
        try {
          range = parseSemverRange(r as string);
        } catch (e) {
          throw fnError('semver_compare', (e as Error).message);
        }
        return range(version);
      },
    },
    { name: 'parse_json', args: ['string'], fn: ([s]) => parseJsonArg('parse_json', s as string) },
    {
      name: 'parse_yaml',
      args: ['string'],
      fn: ([s]) => {
        try {
          return (parseYaml(s as string) as unknown) ?? null;
        } catch (e) {
          throw fnError('parse_yaml', (e as Error).message);
        }
      },
    },
    {
      name: 'lookup',
      args: ['any', 'any'],
      fn: ([coll, key]) => {
        if (Array.isArray(coll)) {
          if (typeof key !== 'number') throw fnError('lookup', 'argument #2 must be a number when looking up an array');
          if (!Number.isInteger(key)) throw fnError('lookup', 'argument #2: expected an integer index');
          return key < 0 || key >= coll.length ? null : coll[key];
        }
        if (jsonType(coll) === 'object') {
          if (typeof key !== 'string') throw fnError('lookup', 'argument #2 must be a string when looking up an object');
          return (coll as Record<string, unknown>)[key] ?? null;
        }
        throw fnError('lookup', `argument #1 must be an object or an array, got ${jsonType(coll)}`);
      },
    },
    {
      name: 'items',
      args: ['any', 'string', 'string'],
      fn: ([coll, keyName, valName]) => {
        const k = keyName as string;
        const v = valName as string;
        if (Array.isArray(coll)) return coll.map((value, i) => ({ [k]: i, [v]: value }));
        if (jsonType(coll) === 'object') {
          const o = coll as Record<string, unknown>;
          return Object.keys(o)
            .sort()
            .map((key) => ({ [k]: key, [v]: o[key] }));
        }
        throw fnError('items', `argument #1 must be an object or an array, got ${jsonType(coll)}`);
      },
    },
    {
      name: 'object_from_lists',
      args: ['array', 'array'],
      fn: ([keys, values]) => {
        const out: Record<string, unknown> = {};
        (keys as unknown[]).forEach((key, i) => {
          out[ifaceToString('object_from_lists', key, 1)] = i < (values as unknown[]).length ? (values as unknown[])[i] : null;
        });
        return out;
      },
    },
    // Time functions (RFC 3339 in, RFC 3339 or Go durations out).
    {
      name: 'time_since',
      args: ['string', 'string', 'string'],
      fn: ([layout, ts1, ts2]) => {
        const parse = (s: string) => {
          try {
            return layout === '' ? parseRfc3339(s) : parseGoLayout(layout as string, s);
          } catch (e) {
            throw fnError('time_since', (e as Error).message);
          }
        };
        const t1 = parse(ts1 as string);
        const t2Ms = ts2 === '' ? needsClock(ctx, 'time_since').getTime() : parse(ts2 as string).ms;
        return formatGoDuration(BigInt(t2Ms - t1.ms) * 1_000_000n);
      },
    },
    { name: 'time_now', args: [], fn: () => formatRfc3339({ ms: needsClock(ctx, 'time_now').getTime(), offsetMin: 0 }) },
    { name: 'time_now_utc', args: [], fn: () => formatRfc3339({ ms: needsClock(ctx, 'time_now_utc').getTime(), offsetMin: 0 }) },
    {
      name: 'time_to_cron',
      args: ['string'],
      fn: ([t]) => {
        const f = localFields(time('time_to_cron', t));
        return `${f.minute} ${f.hour} ${f.day} ${f.month} ${f.weekday}`;
      },
    },
    {
      name: 'time_add',
      args: ['string', 'string'],
      fn: ([t, d]) => {
        const tt = time('time_add', t);
        return formatRfc3339({ ms: tt.ms + Number(duration('time_add', d) / 1_000_000n), offsetMin: tt.offsetMin });
      },
    },
    {
      name: 'time_parse',
      args: ['string', 'string'],
      fn: ([layout, ts]) => {
        try {
          return formatRfc3339(parseGoLayout(layout as string, ts as string));
        } catch (e) {
          throw fnError('time_parse', (e as Error).message);
        }
      },
    },
    { name: 'time_utc', args: ['string'], fn: ([t]) => formatRfc3339({ ms: time('time_utc', t).ms, offsetMin: 0 }) },
    {
      name: 'time_diff',
      args: ['string', 'string'],
      fn: ([a, b]) => formatGoDuration(BigInt(time('time_diff', b).ms - time('time_diff', a).ms) * 1_000_000n),
    },
    { name: 'time_before', args: ['string', 'string'], fn: ([a, b]) => time('time_before', a).ms < time('time_before', b).ms },
    { name: 'time_after', args: ['string', 'string'], fn: ([a, b]) => time('time_after', a).ms > time('time_after', b).ms },
    {
      name: 'time_between',
      args: ['string', 'string', 'string'],
      fn: ([t, start, end]) => {
        const x = time('time_between', t).ms;
        return x > time('time_between', start).ms && x < time('time_between', end).ms;
      },
    },
    {
      name: 'time_truncate',
      args: ['string', 'string'],
      fn: ([t, d]) => formatRfc3339(truncateGoTime(time('time_truncate', t), duration('time_truncate', d))),
    },
  ];
  return specs.map((spec) => ({
    ...spec,
    fn: (args: unknown[]) => {
      checkArgs(spec, args);
      return spec.fn(args);
    },
  }));
}

function regex(name: string, source: string): RegExp {
  try {
    return compileGoRegexp(source);
  } catch (e) {
    throw fnError(name, (e as Error).message);
  }
}

function parseJsonArg(name: string, s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch (e) {
    throw fnError(name, (e as Error).message);
  }
}

/** Go `strings.Replace`: n < 0 replaces all; an empty `old` inserts between runes. */
function goReplace(s: string, oldS: string, newS: string, n: number): string {
  if (n === 0 || oldS === newS) return s;
  if (oldS === '') {
    const runes = [...s];
    let out = '';
    let count = 0;
    for (let i = 0; i <= runes.length; i++) {
      if (n < 0 || count < n) {
        out += newS;
        count++;
      }
      if (i < runes.length) out += runes[i];
    }
    return out;
  }
  if (n < 0) return s.split(oldS).join(newS);
  let out = '';
  let rest = s;
  for (let count = 0; count < n; count++) {
    const at = rest.indexOf(oldS);
    if (at === -1) break;
    out += rest.slice(0, at) + newS;
    rest = rest.slice(at + oldS.length);
  }
  return out + rest;
}
