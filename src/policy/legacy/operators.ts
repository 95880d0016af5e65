/**
 * Condition operators of `preconditions` and `deny.conditions`, ported from Kyverno's
 * `pkg/engine/variables/operator`. Keys and values are JSON values after variable substitution;
 * numbers are float64 (Kyverno's context is JSON), printed with `fmt.Sprint` where Go does so.
 * Set operators compare with wildcards in both directions; a string value may be a JSON array or a
 * range such as `5000-6000`.
 */
import { Quantity } from '../cel/quantity.ts';
import { deepEqual } from '../json/functions/kyverno.ts';
import { parseGoDuration } from '../json/functions/go-time.ts';
import { wildcardMatch } from '../json/functions/wildcard.ts';
import { compareSemver, parseSemver } from '../json/functions/semver.ts';
import { goSprint } from './go-format.ts';
import { matchValue, operatorOf, parseGoFloat, parseGoInt } from './value-pattern.ts';

export const SUPPORTED_OPERATORS = [
  'Equal', 'Equals', 'NotEqual', 'NotEquals', 'AnyIn', 'AllIn', 'AnyNotIn', 'AllNotIn',
  'GreaterThan', 'GreaterThanOrEquals', 'LessThan', 'LessThanOrEquals',
] as const;

/** Operators Kyverno has but this port refuses (deprecated, with semantics that changed over time). */
export const UNSUPPORTED_OPERATORS: Readonly<Record<string, string>> = {
  in: 'the deprecated operator In is not supported; use AnyIn or AllIn',
  notin: 'the deprecated operator NotIn is not supported; use AnyNotIn or AllNotIn',
  durationgreaterthanorequals: 'the deprecated Duration* operators are not supported; use GreaterThanOrEquals with a duration string',
  durationgreaterthan: 'the deprecated Duration* operators are not supported; use GreaterThan with a duration string',
  durationlessthanorequals: 'the deprecated Duration* operators are not supported; use LessThanOrEquals with a duration string',
  durationlessthan: 'the deprecated Duration* operators are not supported; use LessThan with a duration string',
};

export type OperatorFn = (key: unknown, value: unknown) => boolean;

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Go `time.ParseDuration`, in seconds; `"0"` does not count as a duration here (Kyverno's rule). */
function durationSeconds(v: unknown): number | undefined {
  if (typeof v !== 'string' || v === '0') return undefined;
  try {
    return Number(parseGoDuration(v)) / 1e9;
  } catch {
    return undefined;
  }
}

/** `parseDuration(key, value)`: at least one side a duration string, the other a duration or seconds. */
function parseDurations(key: unknown, value: unknown): [number, number] | undefined {
  let k = durationSeconds(key);
  let v = durationSeconds(value);
  if (k === undefined && v === undefined) return undefined;
  if (k === undefined) {
    if (typeof key !== 'number') return undefined;
    k = Math.trunc(key);
  }
  if (v === undefined) {
    if (typeof value !== 'number') return undefined;
    v = Math.trunc(value);
  }
  return [k, v];
}

function equals(key: unknown, value: unknown): boolean {
  if (typeof key === 'boolean') return typeof value === 'boolean' && key === value;
  if (typeof key === 'number') {
    if (typeof value === 'number') return key === value;
    if (typeof value === 'string') {
      const f = parseGoFloat(value);
      return f !== undefined && f === key;
    }
    return false;
  }
  if (typeof key === 'string') {
    const d = parseDurations(key, value);
    if (d) return d[0] === d[1];
    const kq = Quantity.tryParse(key);
    if (kq && typeof value === 'string') {
      const vq = Quantity.tryParse(value);
      return vq !== undefined && vq.compareTo(kq) === 0n;
    }
    return typeof value === 'string' && wildcardMatch(value, key);
  }
  if (isMap(key)) return isMap(value) && deepEqual(key, value);
  if (Array.isArray(key)) return Array.isArray(value) && deepEqual(key, value);
  return false;
}

/** NotEquals is not the negation of Equals for every type (e.g. a type mismatch is "not equal"). */
function notEquals(key: unknown, value: unknown): boolean {
  if (typeof key === 'boolean') return typeof value !== 'boolean' || key !== value;
  if (typeof key === 'number') {
    if (typeof value === 'number') return key !== value;
    if (typeof value === 'string') {
      const f = parseGoFloat(value);
      return f === undefined || f !== key;
    }
    return true;
  }
  if (typeof key === 'string') {
    const d = parseDurations(key, value);
    if (d) return d[0] !== d[1];
    const kq = Quantity.tryParse(key);
    if (kq && typeof value === 'string') {
      const vq = Quantity.tryParse(value);
      return vq !== undefined && vq.compareTo(kq) !== 0n;
    }
    return typeof value === 'string' ? !wildcardMatch(value, key) : true;
  }
  if (isMap(key)) return !isMap(value) || !deepEqual(key, value);
  if (Array.isArray(key)) return !Array.isArray(value) || !deepEqual(key, value);
  return false;
}

/** A string value as a set: a JSON array of strings, or the string itself; undefined when invalid. */
function stringSet(value: string): string[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [value];
  }
  if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed as string[];
  return undefined;
}

const either = (a: string, b: string): boolean => wildcardMatch(a, b) || wildcardMatch(b, a);

function inRange(key: string, range: string): boolean {
  return matchValue(key, range);
}

/** `anyKeyExistsInArray`: [invalidType, exists]. */
function anyKeyExists(key: string, value: unknown): [boolean, boolean] {
  if (Array.isArray(value)) return [false, value.some((v) => either(goSprint(v), key))];
  if (typeof value === 'string') {
    if (wildcardMatch(value, key)) return [false, true];
    if (operatorOf(value) === '-') return [false, inRange(key, value)];
    const arr = stringSet(value);
    if (!arr) return [true, false];
    return [false, arr.includes(key)];
  }
  return [true, false];
}

/** `allKeyExistsInArray`: [invalidType, exists]. */
function allKeyExists(key: string, value: unknown): [boolean, boolean] {
  if (Array.isArray(value)) return [false, value.some((v) => wildcardMatch(key, goSprint(v)))];
  if (typeof value === 'string') {
    if (wildcardMatch(value, key)) return [false, true];
    if (operatorOf(value) === '-') return [false, inRange(key, value)];
    let arr: unknown;
    try {
      arr = JSON.parse(value);
    } catch {
      return [true, false];
    }
    if (!Array.isArray(arr) || !arr.every((x) => typeof x === 'string')) return [true, false];
    return [false, (arr as string[]).includes(key)];
  }
  return [true, false];
}

const isAnyIn = (keys: string[], values: string[]): boolean => keys.some((k) => values.some((v) => either(k, v)));
const isAnyNotIn = (keys: string[], values: string[]): boolean => keys.some((k) => !values.some((v) => either(k, v)));
const isAllIn = (keys: string[], values: string[]): boolean => keys.every((k) => values.some((v) => either(k, v)));
// Kyverno's `isAllNotIn` returns `found != len(key)`: true unless *every* key is in the set. Kept as is.
const isAllNotIn = (keys: string[], values: string[]): boolean => !isAllIn(keys, values);

/** `anySetExistsInArray` (notIn selects AnyNotIn): [invalidType, result]. */
function anySet(keys: string[], value: unknown, notIn: boolean): [boolean, boolean] {
  if (Array.isArray(value)) {
    const values = value.map(goSprint);
    return [false, notIn ? isAnyNotIn(keys, values) : isAnyIn(keys, values)];
  }
  if (typeof value === 'number') {
    const values = [goSprint(value)];
    return [false, notIn ? isAnyNotIn(keys, values) : isAnyIn(keys, values)];
  }
  if (typeof value === 'string') {
    if (keys.length === 1 && keys[0] === value) return [false, !notIn];
    if (operatorOf(value) === '-') {
      if (notIn) {
        const outside = value.replace('-', '!-');
        return [false, keys.some((k) => inRange(k, outside))];
      }
      return [false, keys.some((k) => inRange(k, value))];
    }
    const arr = stringSet(value);
    if (!arr) return [true, false];
    return [false, notIn ? isAnyNotIn(keys, arr) : isAnyIn(keys, arr)];
  }
  return [true, false];
}

/** `allSetExistsInArray` (notIn selects AllNotIn): [invalidType, result]. */
function allSet(keys: string[], value: unknown, notIn: boolean): [boolean, boolean] {
  if (Array.isArray(value)) {
    const values = value.map(goSprint);
    return [false, notIn ? isAllNotIn(keys, values) : isAllIn(keys, values)];
  }
  if (typeof value === 'string') {
    if (keys.length === 1 && keys[0] === value) return [false, true];
    if (operatorOf(value) === '-') {
      if (notIn) return [false, !keys.some((k) => inRange(k, value))];
      return [false, keys.every((k) => inRange(k, value))];
    }
    const arr = stringSet(value);
    if (!arr) return [true, false];
    return [false, notIn ? isAllNotIn(keys, arr) : isAllIn(keys, arr)];
  }
  return [true, false];
}

function scalarKey(key: unknown): string | undefined {
  if (typeof key === 'string') return key;
  if (typeof key === 'number') return goSprint(key);
  return undefined;
}

function setOperator(single: (key: string, value: unknown) => boolean, set: (keys: string[], value: unknown) => boolean, boolKeyAllowed: boolean): OperatorFn {
  return (key, value) => {
    if (Array.isArray(key)) return set(key.map(goSprint), value);
    if (boolKeyAllowed && typeof key === 'boolean') return single(String(key), value);
    const k = scalarKey(key);
    return k === undefined ? false : single(k, value);
  };
}

const anyIn = setOperator((k, v) => { const [bad, ok] = anyKeyExists(k, v); return !bad && ok; }, (k, v) => { const [bad, ok] = anySet(k, v, false); return !bad && ok; }, true);
const anyNotIn = setOperator((k, v) => { const [bad, ok] = anyKeyExists(k, v); return !bad && !ok; }, (k, v) => { const [bad, ok] = anySet(k, v, true); return !bad && ok; }, false);
const allIn = setOperator((k, v) => { const [bad, ok] = allKeyExists(k, v); return !bad && ok; }, (k, v) => { const [bad, ok] = allSet(k, v, false); return !bad && ok; }, false);
const allNotIn = setOperator((k, v) => { const [bad, ok] = allKeyExists(k, v); return !bad && !ok; }, (k, v) => { const [bad, ok] = allSet(k, v, true); return !bad && ok; }, false);

type Cmp = (a: number, b: number) => boolean;

function numericValue(key: number, value: unknown, cmp: Cmp): boolean {
  if (typeof value === 'number') return cmp(key, value);
  if (typeof value === 'string') {
    const d = parseDurations(key, value);
    if (d) return cmp(d[0], d[1]);
    const f = parseGoFloat(value);
    if (f !== undefined) return cmp(key, f);
    const i = parseGoInt(value);
    if (i !== undefined) return cmp(key, i);
  }
  return false;
}

function numeric(cmp: Cmp): OperatorFn {
  return (key, value) => {
    if (typeof key === 'number') return numericValue(key, value, cmp);
    if (typeof key !== 'string') return false;
    const d = parseDurations(key, value);
    if (d) return cmp(d[0], d[1]);
    const kq = Quantity.tryParse(key);
    const vq = typeof value === 'string' ? Quantity.tryParse(value) : undefined;
    if (kq && vq) return cmp(Number(kq.compareTo(vq)), 0);
    const f = parseGoFloat(key);
    if (f !== undefined) return numericValue(f, value, cmp);
    const kv = parseSemver(key);
    if (kv && typeof value === 'string') {
      const vv = parseSemver(value);
      if (!vv) return false;
      return cmp(compareSemver(kv, vv), 0);
    }
    return false;
  };
}

const OPERATORS: Readonly<Record<string, OperatorFn>> = {
  equal: equals,
  equals,
  notequal: notEquals,
  notequals: notEquals,
  anyin: anyIn,
  allin: allIn,
  anynotin: anyNotIn,
  allnotin: allNotIn,
  greaterthanorequals: numeric((a, b) => a >= b),
  greaterthan: numeric((a, b) => a > b),
  lessthanorequals: numeric((a, b) => a <= b),
  lessthan: numeric((a, b) => a < b),
};

/** The operator function (names are case-insensitive, as in Kyverno); throws for unknown ones. */
export function conditionOperator(name: string): OperatorFn {
  const lower = name.toLowerCase();
  const fn = OPERATORS[lower];
  if (fn) return fn;
  const why = UNSUPPORTED_OPERATORS[lower];
  throw new Error(why ?? `unknown condition operator ${JSON.stringify(name)}; use one of ${SUPPORTED_OPERATORS.join(', ')}`);
}
