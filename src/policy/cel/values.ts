/**
 * JSON ↔ CEL value conversion.
 *
 * Kubernetes evaluates CEL over unstructured objects, where integral numbers are `int64`. cel-js
 * represents CEL `int` as a JS `bigint` and CEL `double` as a JS `number`, so an integral JSON number
 * left as `number` would be a `double` and `object.spec.replicas + 1` would fail with "no such
 * overload: double + int". We therefore convert integral numbers to `bigint` once per object.
 *
 * Known divergence: YAML `1.0` is a float in Go but indistinguishable from `1` once parsed into a JS
 * number, so it becomes a CEL `int` here.
 */

/** A JSON-like value as produced by YAML/JSON parsers (bigints are accepted as-is). */
export type JsonLike = null | boolean | number | bigint | string | readonly JsonLike[] | { readonly [k: string]: JsonLike };

/** Deep-converts a JSON-like value to the representation cel-js expects (integers → bigint). */
export function toCelValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCelValue);
  if (value !== null && typeof value === 'object') {
    if (value instanceof Date || value instanceof Uint8Array || value instanceof Map) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = toCelValue(v);
    }
    return out;
  }
  return value;
}

/** Deep-converts a CEL result back to JSON-friendly JS (bigint → number when safe, else string). */
export function fromCelValue(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (Array.isArray(value)) return value.map(fromCelValue);
  if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), fromCelValue(v)]));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromCelValue(v)]));
  }
  return value;
}
