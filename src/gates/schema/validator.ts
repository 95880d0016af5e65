/**
 * The synth-time schema gate: strict Kubernetes 1.28 validation of rendered objects, plus custom
 * resources checked against their CRDs and any extra schemas registered by apiVersion + kind.
 *
 * Compile once, validate many: the built-in definitions are made strict once per process, each kind
 * is compiled by ajv the first time an object of that kind is validated, and the compiled function is
 * reused for every later object.
 */
import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import type { Problem } from '../../util/errors.ts';
import { createKubernetesAjv } from './ajv.ts';
import { checkCrd, crdIdentity, crdVersionSchemas } from './crd.ts';
import { closest } from './closest.ts';
import type { DefinitionsDocument, JsonSchema } from './generate-definitions.ts';
import { toProblems, type ProblemContext } from './problems.ts';
import { toStrictSchema } from './strict.ts';

export interface SchemaValidatorOptions {
  /** Built-in definitions; defaults to the vendored Kubernetes 1.28 document. */
  readonly definitions?: DefinitionsDocument;
}

/** Where an object came from, copied onto each of its problems. */
export interface ValidationContext {
  readonly constructPath?: string;
  readonly file?: string;
}

export interface RegisteredSchema {
  readonly apiVersion: string;
  readonly kind: string;
  /** An OpenAPI v3 structural schema of the whole object, as in a CRD's `openAPIV3Schema`. */
  readonly schema: JsonSchema;
}

export interface SchemaValidator {
  /** Kubernetes version of the built-in schemas, e.g. "1.28". */
  readonly kubernetesVersion: string;
  /**
   * Checks an apiextensions.k8s.io/v1 CustomResourceDefinition and registers a schema for each of its
   * served versions. Returns the CRD's own problems (empty when it is valid).
   */
  registerCrd(crd: unknown, context?: ValidationContext): Problem[];
  /** Registers the schema of a kind that has no CRD at hand (e.g. Argo CD, Kyverno). */
  registerSchema(entry: RegisteredSchema): void;
  /** Every problem of one object; empty when it is valid. */
  validate(obj: unknown, context?: ValidationContext): Problem[];
  /** Whether a schema is known for this apiVersion and kind. */
  has(apiVersion: string, kind: string): boolean;
}

const SCHEMA_KEY = 'k8s';
const OBJECT_META_ID = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

let vendored: DefinitionsDocument | undefined;
/** The vendored Kubernetes 1.28 definitions (read once; the file sits next to this module). */
export function kubernetes128Definitions(): DefinitionsDocument {
  vendored ??= JSON.parse(readFileSync(new URL('./k8s-1.28.definitions.json', import.meta.url), 'utf8')) as DefinitionsDocument;
  return vendored;
}

const strictCache = new WeakMap<DefinitionsDocument, Record<string, JsonSchema>>();
function strictDefinitions(doc: DefinitionsDocument): Record<string, JsonSchema> {
  let strict = strictCache.get(doc);
  if (!strict) {
    strict = Object.fromEntries(Object.entries(doc.definitions).map(([id, s]) => [id, toStrictSchema(s, { structural: false })]));
    strictCache.set(doc, strict);
  }
  return strict;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `Deployment prod/web`, `ClusterRole view-all`, `Deployment (unnamed)` */
export function objectIdentity(obj: Record<string, unknown>): string {
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? `${meta.generateName}*` : '(unnamed)';
  const ns = typeof meta.namespace === 'string' ? `${meta.namespace}/` : '';
  return `${typeof obj.kind === 'string' ? obj.kind : '(no kind)'} ${ns}${name}`;
}

interface Entry {
  readonly origin: ProblemContext['origin'];
  readonly schema: JsonSchema;
  compiled?: ValidateFunction;
}

export function createSchemaValidator(options: SchemaValidatorOptions = {}): SchemaValidator {
  const doc = options.definitions ?? kubernetes128Definitions();
  const ajv = createKubernetesAjv();
  ajv.addSchema({ definitions: strictDefinitions(doc) }, SCHEMA_KEY);
  const builtin = new Map<string, ValidateFunction | undefined>(Object.keys(doc.kinds).map((k) => [k, undefined]));
  const registered = new Map<string, Entry>();
  const key = (apiVersion: string, kind: string): string => `${apiVersion} ${kind}`;

  function compile(k: string): { fn: ValidateFunction; origin: ProblemContext['origin'] } | undefined {
    const entry = registered.get(k);
    if (entry) {
      entry.compiled ??= ajv.compile(entry.schema);
      return { fn: entry.compiled, origin: entry.origin };
    }
    if (!builtin.has(k)) return undefined;
    let fn = builtin.get(k);
    if (!fn) {
      fn = ajv.getSchema(`${SCHEMA_KEY}#/definitions/${doc.kinds[k]}`);
      if (!fn) return undefined;
      builtin.set(k, fn);
    }
    return { fn, origin: 'builtin' };
  }

  function customResourceSchema(apiVersion: string, kind: string, schema: JsonSchema): JsonSchema {
    const strict = toStrictSchema(schema, { structural: true });
    const properties = { ...((strict.properties as Record<string, JsonSchema> | undefined) ?? {}) };
    // The API server owns these three whatever the schema says: type meta must match, and metadata is
    // always validated as ObjectMeta (generators often write `metadata: {type: object}`).
    properties.apiVersion = { type: 'string', enum: [apiVersion] };
    properties.kind = { type: 'string', enum: [kind] };
    properties.metadata = { $ref: `${SCHEMA_KEY}#/definitions/${OBJECT_META_ID}` };
    const required = [...new Set([...((strict.required as string[] | undefined) ?? []), 'apiVersion', 'kind'])];
    return { ...strict, type: 'object', properties, required };
  }

  function register(apiVersion: string, kind: string, schema: JsonSchema, origin: Entry['origin']): void {
    registered.set(key(apiVersion, kind), { origin, schema: customResourceSchema(apiVersion, kind, schema) });
  }

  function unknownKind(obj: Record<string, unknown>, apiVersion: string, kind: string, context: ValidationContext): Problem {
    const known = [...builtin.keys(), ...registered.keys()].map((k) => {
      const [v, n] = k.split(' ') as [string, string];
      return { apiVersion: v, kind: n };
    });
    const sameKind = known.filter((k) => k.kind === kind).map((k) => k.apiVersion).sort();
    const kindsHere = known.filter((k) => k.apiVersion === apiVersion).map((k) => k.kind);
    const nearKind = closest(kind, kindsHere.length > 0 ? kindsHere : known.map((k) => k.kind));
    const fix =
      sameKind.length > 0
        ? `${kind} is served as apiVersion ${sameKind.map((v) => `"${v}"`).join(' or ')} in Kubernetes ${doc.kubernetesVersion}`
        : nearKind
          ? `did you mean kind "${nearKind}"?`
          : 'register its CustomResourceDefinition (registerCrd) or a schema (registerSchema) before validating';
    return {
      ...contextFields(context),
      pointer: '',
      code: 'schema/unknown-kind',
      message: `${objectIdentity(obj)}: no schema for apiVersion "${apiVersion}" kind "${kind}" (Kubernetes ${doc.kubernetesVersion} built-ins and registered CRDs)`,
      fix,
    };
  }

  function validate(obj: unknown, context: ValidationContext = {}): Problem[] {
    if (!isObject(obj)) {
      return [{ ...contextFields(context), pointer: '', code: 'schema/not-an-object', message: `a Kubernetes object must be a mapping, got ${JSON.stringify(obj)?.slice(0, 60)}`, fix: 'render a mapping with apiVersion, kind and metadata' }];
    }
    const { apiVersion, kind } = obj;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || apiVersion === '' || kind === '') {
      const missing = typeof apiVersion !== 'string' || apiVersion === '' ? 'apiVersion' : 'kind';
      return [{ ...contextFields(context), pointer: `/${missing}`, code: 'schema/missing-type-meta', message: `${objectIdentity(obj)}: ${missing} must be a non-empty string, got ${JSON.stringify(obj[missing])}`, fix: `set ${missing}` }];
    }
    const compiled = compile(key(apiVersion, kind));
    if (!compiled) return [unknownKind(obj, apiVersion, kind, context)];
    if (compiled.fn(obj)) return [];
    return toProblems(compiled.fn.errors ?? [], { identity: objectIdentity(obj), origin: compiled.origin, ...contextFields(context) });
  }

  return {
    kubernetesVersion: doc.kubernetesVersion,
    validate,
    has: (apiVersion, kind) => registered.has(key(apiVersion, kind)) || builtin.has(key(apiVersion, kind)),
    registerSchema(entry) {
      register(entry.apiVersion, entry.kind, entry.schema, 'registered');
    },
    registerCrd(crd, context = {}) {
      if (!isObject(crd) || crd.apiVersion !== 'apiextensions.k8s.io/v1' || crd.kind !== 'CustomResourceDefinition') {
        const got = isObject(crd) ? `${String(crd.apiVersion)} ${String(crd.kind)}` : JSON.stringify(crd);
        return [{ ...contextFields(context), pointer: '', code: 'crd/not-a-crd', message: `registerCrd expects an apiextensions.k8s.io/v1 CustomResourceDefinition, got ${got}`, fix: 'pass the CRD object (apiextensions.k8s.io/v1beta1 CRDs were removed in Kubernetes 1.22)' }];
      }
      const problems = [...validate(crd, context), ...checkCrd(crd).map((p) => ({ ...p, ...contextFields(context) }))];
      for (const version of crdVersionSchemas(crd)) {
        register(version.apiVersion, version.kind, version.schema, 'crd');
        try {
          compile(key(version.apiVersion, version.kind));
        } catch (error) {
          registered.delete(key(version.apiVersion, version.kind));
          problems.push({
            ...contextFields(context), pointer: '/spec/versions', code: 'crd/schema-invalid',
            message: `${crdIdentity(crd)}: the schema of ${version.apiVersion} cannot be compiled: ${(error as Error).message}`,
            fix: 'fix the openAPIV3Schema of that version',
          });
        }
      }
      return problems;
    },
  };
}

function contextFields(context: ValidationContext): { constructPath?: string; file?: string } {
  return {
    ...(context.constructPath ? { constructPath: context.constructPath } : {}),
    ...(context.file ? { file: context.file } : {}),
  };
}
