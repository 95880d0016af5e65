/**
 * Leaf comparison (`pkg/core/matching`): expected arrays need an array of equal length, expected
 * maps are a subset match, everything else is `Equal`, where incomparable types are an error
 * (the rule ERRORs) rather than a mismatch (the rule FAILs).
 */
import { deepEqual, jsonType } from './functions/kyverno.ts';

export function matchValue(expected: unknown, actual: unknown): boolean {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) throw new Error(`invalid actual value, must be a slice, found ${goKind(actual)}`);
    if (expected.length !== actual.length) return false;
    return expected.every((e, i) => matchValue(e, actual[i]));
  }
  if (jsonType(expected) === 'object') {
    if (jsonType(actual) !== 'object') throw new Error(`invalid actual value, must be a map, found ${goKind(actual)}`);
    const a = actual as Record<string, unknown>;
    return Object.entries(expected as Record<string, unknown>).every(([k, v]) => Object.hasOwn(a, k) && matchValue(v, a[k]));
  }
  return equalValue(expected, actual);
}

export function equalValue(expected: unknown, actual: unknown): boolean {
  const e = expected ?? null;
  const a = actual ?? null;
  if (e === null || a === null) return e === a;
  if (typeof e === typeof a && typeof e !== 'object') return e === a;
  if (typeof e === 'object' && typeof a === 'object' && Array.isArray(e) === Array.isArray(a)) return deepEqual(e, a);
  throw new Error(`types are not comparable, ${goKind(expected)} - ${goKind(actual)}`);
}

/** Go `reflect.Kind` names, for error messages that read like kyverno-json's. */
export function goKind(v: unknown): string {
  switch (jsonType(v)) {
    case 'null': return 'invalid';
    case 'array': return 'slice';
    case 'object': return 'map';
    case 'number': return Number.isInteger(v) ? 'int64' : 'float64';
    default: return jsonType(v);
  }
}
