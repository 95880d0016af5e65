/**
 * Turns Kubernetes OpenAPI schemas (built-in definitions or a CRD's structural `openAPIV3Schema`) into
 * JSON Schema that ajv can compile and that rejects unknown fields.
 *
 * Why this exists: ajv over the Kubernetes schema, and kubernetes-models' validators, accept any
 * unknown field, so `imagePullPolicyy: Always` passes. The API server either rejects such a field
 * (strict field validation) or drops it silently (pruning), and either way the setting is lost.
 * We inject `additionalProperties: false` wherever the schema lists its fields.
 *
 * Kubernetes extensions handled here:
 * - `x-kubernetes-int-or-string: true` → `type: [integer, string]` (and its usual `anyOf` is dropped,
 *   so one mistake gives one error);
 * - `x-kubernetes-preserve-unknown-fields: true` → unknown fields allowed at that node (its listed
 *   properties are still checked);
 * - `x-kubernetes-embedded-resource: true` → the node is an object with `apiVersion`, `kind` and
 *   `metadata` even if the schema does not list them;
 * - `format`: only the formats the API server knows are kept (it ignores any other), see FORMATS.
 *
 * Not applied, by design: `default` (Lockstep reports problems, it never mutates the manifest), and
 * `x-kubernetes-validations` (CEL rules are not evaluated by this gate).
 */
import type { JsonSchema } from './generate-definitions.ts';

/**
 * The formats kube-apiserver validates for CRDs (apiextensions-apiserver `pkg/apiserver/validation/formats.go`)
 * plus the ones the built-in OpenAPI uses. Any other format is dropped, as the API server ignores it.
 */
export const KNOWN_FORMATS: readonly string[] = [
  'bsonobjectid', 'uri', 'email', 'hostname', 'ipv4', 'ipv6', 'cidr', 'mac', 'uuid', 'uuid3', 'uuid4',
  'uuid5', 'isbn', 'isbn10', 'isbn13', 'creditcard', 'ssn', 'hexcolor', 'rgbcolor', 'byte', 'password',
  'date', 'duration', 'datetime', 'date-time', 'int32', 'int64', 'float', 'double', 'quantity',
];

export interface StrictOptions {
  /**
   * Structural (CRD) semantics: an object node that lists no properties and allows no extra ones
   * keeps nothing (the API server prunes every field under it), so every field there is unknown.
   * Built-in definitions use `{}` for "anything" instead, and never need this.
   */
  readonly structural: boolean;
}

const INT_OR_STRING_ANY_OF = JSON.stringify([{ type: 'integer' }, { type: 'string' }]);

/** Returns a strict copy of `schema`; the input is not modified. */
export function toStrictSchema(schema: JsonSchema, options: StrictOptions): JsonSchema {
  return transform(schema, options, false);
}

function transform(node: JsonSchema, options: StrictOptions, inJunctor: boolean): JsonSchema {
  const out: JsonSchema = { ...node };

  if (out['x-kubernetes-int-or-string'] === true) {
    out.type = ['integer', 'string'];
    if (Array.isArray(out.anyOf) && JSON.stringify(out.anyOf) === INT_OR_STRING_ANY_OF) delete out.anyOf;
  }
  if (out.format === 'int-or-string') {
    out.type = ['integer', 'string'];
    delete out.format;
  }
  if (typeof out.format === 'string' && !KNOWN_FORMATS.includes(out.format)) delete out.format;
  // ajv refuses `nullable` without `type`; the API server treats such a node as "anything or null".
  if (out.nullable !== undefined && out.type === undefined) delete out.nullable;

  const preserveUnknown = out['x-kubernetes-preserve-unknown-fields'] === true;
  if (out['x-kubernetes-embedded-resource'] === true) {
    const props = { ...((out.properties as Record<string, JsonSchema> | undefined) ?? {}) };
    props.apiVersion ??= { type: 'string' };
    props.kind ??= { type: 'string' };
    props.metadata ??= { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    out.properties = props;
    out.type ??= 'object';
    out.required = [...new Set([...((out.required as string[] | undefined) ?? []), 'apiVersion', 'kind'])];
  }

  if (out.properties && typeof out.properties === 'object') {
    out.properties = Object.fromEntries(
      Object.entries(out.properties as Record<string, JsonSchema>).map(([k, v]) => [k, transform(v, options, inJunctor)]),
    );
  }
  if (out.items && typeof out.items === 'object') {
    out.items = Array.isArray(out.items)
      ? (out.items as JsonSchema[]).map((s) => transform(s, options, inJunctor))
      : transform(out.items as JsonSchema, options, inJunctor);
  }
  if (out.additionalProperties && typeof out.additionalProperties === 'object') {
    out.additionalProperties = transform(out.additionalProperties as JsonSchema, options, inJunctor);
  }
  // Branches of allOf/anyOf/oneOf/not only add value checks in a structural schema; their fields are
  // declared in the main node, so forbidding extra fields inside a branch would reject valid objects.
  for (const junctor of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (Array.isArray(out[junctor])) {
      out[junctor] = (out[junctor] as JsonSchema[]).map((s) => transform(s, options, true));
    }
  }
  if (out.not && typeof out.not === 'object') out.not = transform(out.not as JsonSchema, options, true);

  if (!inJunctor && !preserveUnknown && out.additionalProperties === undefined) {
    const listsFields = out.properties !== undefined;
    const emptyStructuralObject = options.structural && out.type === 'object' && !listsFields;
    if (listsFields || emptyStructuralObject) out.additionalProperties = false;
  }
  return out;
}
