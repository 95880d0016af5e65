/**
 * The `cel` compiler of kyverno-json (main branch): variables `object` (the current node) and
 * `bindings` with `bindings.resolve('name')`. Backed by `@marcbachmann/cel-js`; JSON integers
 * become CEL `int` (bigint) going in and plain numbers coming out.
 */
import { Environment } from '@marcbachmann/cel-js';
import type { Bindings } from './bindings.ts';

class CelBindings {
  constructor(readonly inner: Bindings) {}
}

const environment = new Environment({
  unlistedVariablesAreDyn: true,
  enableOptionalTypes: true,
  homogeneousAggregateLiterals: false,
})
  .registerType('Bindings', CelBindings)
  .registerVariable('object', 'dyn')
  .registerVariable('bindings', 'Bindings')
  .registerFunction('Bindings.resolve(string): dyn', (b: CelBindings, name: string) => toCel(b.inner.resolve(name)));

export interface CompiledCel {
  readonly source: string;
  readonly run: (object: unknown, bindings: Bindings) => unknown;
}

export function compileCel(source: string): CompiledCel {
  let program: (ctx: Record<string, unknown>) => unknown;
  try {
    program = environment.parse(source) as unknown as (ctx: Record<string, unknown>) => unknown;
  } catch (e) {
    throw new Error(`invalid CEL expression ${JSON.stringify(source)}: ${(e as Error).message}`);
  }
  return {
    source,
    run: (object, bindings) => fromCel(program({ object: toCel(object), bindings: new CelBindings(bindings) })),
  };
}

function toCel(v: unknown): unknown {
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (Array.isArray(v)) return v.map(toCel);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toCel(x)]));
  }
  return v ?? null;
}

function fromCel(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(fromCel);
  if (v instanceof Map) return Object.fromEntries([...v.entries()].map(([k, x]) => [String(k), fromCel(x)]));
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fromCel(x)]));
  }
  return v === undefined ? null : v;
}
