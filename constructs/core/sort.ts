/**
 * Returns a copy of `value` with object keys sorted (code-point order, independent of locale) at
 * every level. Arrays keep their order. `undefined` members are dropped, as JSON would.
 */
export function sortKeysDeep(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = sortKeysDeep(value[i]);
    return out;
  }
  {
    const src = value as Record<string, unknown>;
    const keys = Object.keys(src).sort();
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const v = src[k];
      if (v !== undefined) out[k] = sortKeysDeep(v);
    }
    return out;
  }
}
