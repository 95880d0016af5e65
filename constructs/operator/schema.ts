/**
 * Typed OpenAPI v3 schemas for CustomResourceDefinitions.
 *
 * Each builder returns a `Schema<T>` that carries both the JSON schema Kubernetes needs and, at the
 * type level, the TypeScript type of valid values, so `crd.instance(...)` specs are type-checked
 * against the same definition the API server validates with:
 *
 *   const spec = S.object({ gitURL: S.string({ format: 'uri' }), maxPolecats: S.integer({ minimum: 1 }) }, { required: ['gitURL'] });
 *   type Spec = TypeOf<typeof spec>; // { gitURL: string; maxPolecats?: number }
 */
export interface Schema<T> {
  readonly json: Record<string, unknown>;
  /** Phantom field carrying the value type; never set. */
  readonly __type?: T;
}

export type TypeOf<S> = S extends Schema<infer T> ? T : never;

type Props = Record<string, Schema<unknown>>;
type ObjectType<P extends Props, R extends keyof P> = { [K in R]: TypeOf<P[K]> } & { [K in Exclude<keyof P, R>]?: TypeOf<P[K]> };
type Simplify<T> = { [K in keyof T]: T[K] } & {};

interface Common<T> {
  readonly description?: string;
  readonly default?: T;
}

function schema<T>(json: Record<string, unknown>, common: Common<T> = {}): Schema<T> {
  return {
    json: {
      ...json,
      ...(common.description ? { description: common.description } : {}),
      ...(common.default !== undefined ? { default: common.default } : {}),
    },
  };
}

export const S = {
  string<E extends string = string>(opts: Common<E> & { enum?: readonly E[]; pattern?: string; format?: string; minLength?: number; maxLength?: number } = {}): Schema<E> {
    const { description, default: d, ...rest } = opts;
    const json: Record<string, unknown> = { type: 'string' };
    if (rest.enum) json.enum = [...rest.enum];
    if (rest.pattern) json.pattern = rest.pattern;
    if (rest.format) json.format = rest.format;
    if (rest.minLength !== undefined) json.minLength = rest.minLength;
    if (rest.maxLength !== undefined) json.maxLength = rest.maxLength;
    return schema<E>(json, { ...(description ? { description } : {}), ...(d !== undefined ? { default: d } : {}) });
  },
  integer(opts: Common<number> & { minimum?: number; maximum?: number; format?: 'int32' | 'int64' } = {}): Schema<number> {
    const { description, default: d, ...rest } = opts;
    return schema<number>({ type: 'integer', ...rest }, { ...(description ? { description } : {}), ...(d !== undefined ? { default: d } : {}) });
  },
  number(opts: Common<number> & { minimum?: number; maximum?: number } = {}): Schema<number> {
    const { description, default: d, ...rest } = opts;
    return schema<number>({ type: 'number', ...rest }, { ...(description ? { description } : {}), ...(d !== undefined ? { default: d } : {}) });
  },
  boolean(opts: Common<boolean> = {}): Schema<boolean> {
    return schema<boolean>({ type: 'boolean' }, opts);
  },
  /** `x-kubernetes-int-or-string`, e.g. ports or percentages. */
  intOrString(opts: Common<number | string> = {}): Schema<number | string> {
    return schema<number | string>({ 'x-kubernetes-int-or-string': true }, opts);
  },
  array<I>(items: Schema<I>, opts: Common<I[]> & { minItems?: number; maxItems?: number } = {}): Schema<I[]> {
    const { description, default: d, ...rest } = opts;
    return schema<I[]>({ type: 'array', items: items.json, ...rest }, { ...(description ? { description } : {}), ...(d !== undefined ? { default: d } : {}) });
  },
  /** A map with free keys and typed values (e.g. labels). */
  map<V>(values: Schema<V>, opts: Common<Record<string, V>> = {}): Schema<Record<string, V>> {
    return schema<Record<string, V>>({ type: 'object', additionalProperties: values.json }, opts);
  },
  object<P extends Props, R extends keyof P = never>(
    properties: P,
    opts: Common<Simplify<ObjectType<P, R>>> & { required?: readonly R[] } = {},
  ): Schema<Simplify<ObjectType<P, R>>> {
    const props: Record<string, unknown> = {};
    for (const k of Object.keys(properties).sort()) props[k] = properties[k]!.json;
    const json: Record<string, unknown> = { type: 'object', properties: props };
    if (opts.required?.length) json.required = [...(opts.required as readonly string[])].sort();
    return schema(json, { ...(opts.description ? { description: opts.description } : {}), ...(opts.default !== undefined ? { default: opts.default } : {}) });
  },
  /** Free-form object kept as is by the API server (`x-kubernetes-preserve-unknown-fields`). */
  freeform(opts: Common<Record<string, unknown>> = {}): Schema<Record<string, unknown>> {
    return schema<Record<string, unknown>>({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, opts);
  },
};
