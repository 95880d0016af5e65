/**
 * Shape checks for the admission policies Lockstep writes.
 *
 * - ValidatingPolicy (`policies.kyverno.io/v1`): our own JSON Schema, stricter than the CRD that
 *   @kubernetes-models/kyverno ships (which accepts unknown keys, see policy-engines.md §3.2):
 *   unknown fields are errors, at least one validation and one resource rule are required, Deny and
 *   Warn are not combined (the API server refuses that), names follow Kubernetes rules.
 * - ClusterPolicy (`kyverno.io/v1`): `@kubernetes-models/kyverno`'s `validate()` (the CRD schema),
 *   plus a refusal of the deprecated top-level `validationFailureAction`.
 */
import { ClusterPolicy } from '@kubernetes-models/kyverno/kyverno.io/v1/ClusterPolicy';
import { Ajv, type ErrorObject } from 'ajv';
import type { Problem } from '../util/errors.ts';

const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;
const stringList = { type: 'array', items: { type: 'string' } } as const;
const celExpression = { type: 'string', minLength: 1 } as const;

const labelSelector = {
  type: 'object',
  additionalProperties: false,
  properties: {
    matchLabels: stringMap,
    matchExpressions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'operator'],
        properties: { key: { type: 'string', minLength: 1 }, operator: { enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] }, values: stringList },
      },
    },
  },
} as const;

const resourceRule = {
  type: 'object',
  additionalProperties: false,
  required: ['apiGroups', 'apiVersions', 'resources', 'operations'],
  properties: {
    apiGroups: { ...stringList, minItems: 1 },
    apiVersions: { ...stringList, minItems: 1 },
    resources: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^(\\*|[a-z0-9-]+)(/(\\*|[a-z0-9-]+))?$|^\\*/\\*$' } },
    operations: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['*', 'CREATE', 'UPDATE', 'DELETE', 'CONNECT'] } },
    resourceNames: stringList,
    scope: { enum: ['Cluster', 'Namespaced', '*'] },
  },
} as const;

const namedExpression = (namePattern: string) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['name', 'expression'],
    properties: { name: { type: 'string', pattern: namePattern, maxLength: 63 }, expression: celExpression },
  }) as const;

/** JSON Schema of a `policies.kyverno.io/v1` ValidatingPolicy as Lockstep accepts it. */
export const VALIDATING_POLICY_SCHEMA = {
  $id: 'https://lockstep.dev/schemas/policies.kyverno.io/v1/validatingpolicy.json',
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'policies.kyverno.io/v1' },
    kind: { const: 'ValidatingPolicy' },
    metadata: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', maxLength: 253, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' },
        labels: stringMap,
        annotations: stringMap,
      },
    },
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['matchConstraints', 'validations', 'validationActions'],
      properties: {
        validationActions: {
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          items: { enum: ['Audit', 'Warn', 'Deny'] },
          not: { allOf: [{ contains: { const: 'Deny' } }, { contains: { const: 'Warn' } }] },
        },
        failurePolicy: { enum: ['Fail', 'Ignore'] },
        matchConstraints: {
          type: 'object',
          additionalProperties: false,
          required: ['resourceRules'],
          properties: {
            resourceRules: { type: 'array', minItems: 1, items: resourceRule },
            excludeResourceRules: { type: 'array', items: resourceRule },
            namespaceSelector: labelSelector,
            objectSelector: labelSelector,
            matchPolicy: { enum: ['Exact', 'Equivalent'] },
          },
        },
        // Match condition names are qualified names; variable names are CEL identifiers.
        matchConditions: { type: 'array', items: namedExpression('^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$') },
        variables: { type: 'array', items: namedExpression('^[A-Za-z_][A-Za-z0-9_]*$') },
        validations: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['expression'],
            properties: {
              expression: celExpression,
              message: { type: 'string', pattern: '^[^\\n]*$' },
              messageExpression: celExpression,
              reason: { enum: ['Unauthorized', 'Forbidden', 'Invalid', 'RequestEntityTooLarge'] },
            },
          },
        },
        auditAnnotations: {
          type: 'array',
          items: { type: 'object', additionalProperties: false, required: ['key', 'valueExpression'], properties: { key: { type: 'string' }, valueExpression: celExpression } },
        },
        autogen: {
          type: 'object',
          additionalProperties: false,
          properties: {
            podControllers: { type: 'object', additionalProperties: false, properties: { controllers: stringList } },
            validatingAdmissionPolicy: { type: 'object', additionalProperties: false, properties: { enabled: { type: 'boolean' } } },
          },
        },
        evaluation: {
          type: 'object',
          additionalProperties: false,
          properties: {
            admission: { type: 'object', additionalProperties: false, properties: { enabled: { type: 'boolean' } } },
            background: { type: 'object', additionalProperties: false, properties: { enabled: { type: 'boolean' } } },
            mode: { enum: ['Kubernetes', 'JSON'] },
          },
        },
        webhookConfiguration: { type: 'object', additionalProperties: false, properties: { timeoutSeconds: { type: 'integer', minimum: 1, maximum: 30 } } },
      },
    },
  },
} as const;

// One compiled validator per process; the schema is constant.
const ajv = new Ajv({ allErrors: true, strict: true });
const validateVp = ajv.compile(VALIDATING_POLICY_SCHEMA);

function formatAjvError(e: ErrorObject): string {
  const where = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') return `${where}: unknown field ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)}`;
  if (e.keyword === 'not' && e.instancePath.endsWith('/validationActions')) return `${where}: Deny and Warn cannot be combined; use [Deny] or [Audit, Warn]`;
  return `${where}: ${e.message ?? e.keyword}`;
}

/** Problems of a ValidatingPolicy against `VALIDATING_POLICY_SCHEMA`, as `pointer: message` lines. */
export function validateValidatingPolicyShape(doc: unknown): string[] {
  if (validateVp(doc)) return [];
  return [...new Set((validateVp.errors ?? []).map(formatAjvError))];
}

/** Problems of a ClusterPolicy against the Kyverno CRD schema, plus the deprecated-field rule. */
export function validateClusterPolicyShape(doc: unknown): string[] {
  const problems: string[] = [];
  try {
    new ClusterPolicy(doc as ConstructorParameters<typeof ClusterPolicy>[0]).validate();
  } catch (error) {
    problems.push(...String((error as Error).message).split('\n').filter(Boolean).map((l) => l.replace(/^data/, '')));
  }
  const spec = (doc as { spec?: Record<string, unknown> })?.spec;
  if (spec && 'validationFailureAction' in spec) problems.push('/spec/validationFailureAction: deprecated; set validate.failureAction on each rule');
  return problems;
}

/** A synth gate: every rendered admission policy has a valid shape. */
export function checkPolicyShapes(objects: readonly { readonly path: string; readonly json: Record<string, any> }[]): Problem[] {
  const problems: Problem[] = [];
  for (const o of objects) {
    const lines =
      o.json.apiVersion === 'policies.kyverno.io/v1' && o.json.kind === 'ValidatingPolicy'
        ? validateValidatingPolicyShape(o.json)
        : o.json.apiVersion === 'kyverno.io/v1' && o.json.kind === 'ClusterPolicy'
          ? validateClusterPolicyShape(o.json)
          : [];
    for (const l of lines) {
      const [pointer, ...rest] = l.split(': ');
      problems.push({ file: o.path, pointer: pointer!, message: rest.join(': '), code: 'policy/shape' });
    }
  }
  return problems;
}

/** The part of the schema gate's validator that registers schemas (src/gates/schema). */
export interface SchemaRegistry {
  registerSchema(entry: { readonly apiVersion: string; readonly kind: string; readonly schema: Record<string, unknown> }): void;
}

/**
 * Teaches synth's schema gate the policy kinds Lockstep renders: ValidatingPolicy with
 * `VALIDATING_POLICY_SCHEMA`; ClusterPolicy only as an object with a spec, its CRD check being
 * `validateClusterPolicyShape` (the CRD schema in @kubernetes-models/kyverno is split over many
 * `$ref`s that the gate's single-schema registry cannot take).
 */
/**
 * `policies.kyverno.io/v1` ImageValidatingPolicy, checked at the level Lockstep authors it: the spec
 * is closed (a misspelled field is an error); nested attestor and attestation details stay open,
 * since Kyverno validates those itself when the policy is applied.
 */
const open = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } as const;
export const IMAGE_VALIDATING_POLICY_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    spec: {
      type: 'object',
      required: ['attestors', 'validations'],
      properties: {
        matchConstraints: open,
        matchConditions: { type: 'array', items: open },
        variables: { type: 'array', items: open },
        validationActions: { type: 'array', items: { type: 'string', enum: ['Deny', 'Audit', 'Warn'] } },
        failurePolicy: { type: 'string', enum: ['Fail', 'Ignore'] },
        auditAnnotations: { type: 'array', items: open },
        validationConfigurations: {
          type: 'object',
          properties: { mutateDigest: { type: 'boolean' }, verifyDigest: { type: 'boolean' }, required: { type: 'boolean' } },
        },
        matchImageReferences: { type: 'array', minItems: 1, items: { type: 'object', properties: { glob: { type: 'string' }, expression: { type: 'string' } } } },
        credentials: open,
        images: { type: 'array', items: open },
        attestors: { type: 'array', minItems: 1, items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, cosign: open, notary: open } } },
        attestations: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, intoto: open, referrer: open } } },
        validations: { type: 'array', minItems: 1, items: { type: 'object', required: ['expression'], properties: { expression: { type: 'string' }, message: { type: 'string' }, messageExpression: { type: 'string' }, reason: { type: 'string' } } } },
        webhookConfiguration: open,
        evaluation: open,
        autogen: open,
      },
    },
  },
};

export function registerPolicySchemas(registry: SchemaRegistry): void {
  registry.registerSchema({ apiVersion: 'policies.kyverno.io/v1', kind: 'ImageValidatingPolicy', schema: IMAGE_VALIDATING_POLICY_SCHEMA as unknown as Record<string, unknown> });
  const { $id: _id, ...vp } = VALIDATING_POLICY_SCHEMA;
  registry.registerSchema({ apiVersion: 'policies.kyverno.io/v1', kind: 'ValidatingPolicy', schema: vp as unknown as Record<string, unknown> });
  registry.registerSchema({
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    schema: {
      type: 'object',
      required: ['apiVersion', 'kind', 'metadata', 'spec'],
      properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    },
  });
}
