import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubernetesObject, ValidatingPolicyDocument } from '../../../src/policy/cel/types.ts';
import { compileValidatingPolicy, evaluateCompiledPolicy } from '../../../src/policy/cel/validating-policy.ts';
import { formatProblem, LockstepError } from '../../../src/util/errors.ts';
import { celExpression, hostileString, hostileValue, keyOf } from './arbitraries.ts';

const WORDS = ['metadata', 'name', 'namespace', 'labels', 'annotations', 'spec', 'containers', 'image', 'securityContext', 'replicas', 'template', 'x', 'c', 'a'];
const SPEC_WORDS = ['validations', 'variables', 'matchConditions', 'matchConstraints', 'expression', 'messageExpression', 'message', 'name', 'resourceRules', 'validationActions', 'failurePolicy', 'autogen'];
const RESULTS = new Set(['pass', 'fail', 'skip', 'error']);

const podRules = { resourceRules: [{ apiGroups: ['', 'apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods', 'deployments'] }] };

/** A policy whose expressions are random; its structure is valid. */
const policyWithRandomExpressions = fc
  .record({
    validation: celExpression,
    message: fc.option(celExpression, { nil: undefined, freq: 2 }),
    variable: fc.option(celExpression, { nil: undefined, freq: 2 }),
    condition: fc.option(celExpression, { nil: undefined, freq: 2 }),
  })
  .map(({ validation, message, variable, condition }): ValidatingPolicyDocument => ({
    apiVersion: 'policies.kyverno.io/v1',
    kind: 'ValidatingPolicy',
    metadata: { name: 'fuzz' },
    spec: {
      validationActions: ['Deny'],
      matchConstraints: podRules,
      ...(variable !== undefined ? { variables: [{ name: 'v', expression: variable }] } : {}),
      ...(condition !== undefined ? { matchConditions: [{ name: 'c', expression: condition }] } : {}),
      validations: [{ expression: validation, ...(message !== undefined ? { messageExpression: message } : {}) }],
    },
  }) as unknown as ValidatingPolicyDocument);

/** A policy whose spec (or whole document) is a random structure. */
const randomPolicy = fc.oneof(
  hostileValue(keyOf(SPEC_WORDS), 5).map((spec) => ({ apiVersion: 'policies.kyverno.io/v1', kind: 'ValidatingPolicy', metadata: { name: 'fuzz' }, spec })),
  fc.record({ validations: fc.array(hostileValue(keyOf(SPEC_WORDS), 3), { maxLength: 3 }), variables: hostileValue(keyOf(SPEC_WORDS), 3) }).map((spec) => ({ apiVersion: 'policies.kyverno.io/v1', kind: 'ValidatingPolicy', metadata: { name: 'fuzz' }, spec: { matchConstraints: podRules, ...spec } })),
  hostileValue(keyOf(['apiVersion', 'kind', 'metadata', 'spec', 'name']), 4),
) as fc.Arbitrary<unknown>;

const resource = fc
  .record({ kind: fc.constantFrom('Pod', 'Deployment'), name: hostileString, labels: hostileValue(keyOf(WORDS), 1), spec: hostileValue(keyOf(WORDS), 5) })
  .map(({ kind, name, labels, spec }) => ({ apiVersion: kind === 'Pod' ? 'v1' : 'apps/v1', kind, metadata: { name, namespace: 'tenant-a', labels }, spec }) as unknown as KubernetesObject);

/** Compiles and evaluates; anything but results or a LockstepError fails the property. */
function run(policy: unknown, object: KubernetesObject): 'compiled' | 'refused' {
  let compiled;
  try {
    compiled = compileValidatingPolicy(policy as ValidatingPolicyDocument, 'policies/fuzz.yaml');
  } catch (e) {
    if (!(e instanceof LockstepError)) throw e;
    for (const p of e.problems) if (formatProblem(p).includes('\n')) throw new Error(`problem spans lines: ${formatProblem(p)}`);
    return 'refused';
  }
  const results = evaluateCompiledPolicy(compiled, object);
  for (const r of results) if (!RESULTS.has(r.result)) throw new Error(`unexpected result ${JSON.stringify(r)}`);
  return 'compiled';
}

describe('the CEL ValidatingPolicy engine under random input', () => {
  it('compiles and evaluates 10,000 random expressions, or refuses them with a LockstepError', () => {
    const seen = { compiled: 0, refused: 0 };
    fc.assert(
      fc.property(policyWithRandomExpressions, resource, (policy, object) => {
        seen[run(policy, object)]++;
      }),
      { numRuns: 10_000 },
    );
    expect(seen.compiled).toBeGreaterThan(500);
    expect(seen.refused).toBeGreaterThan(500);
  });

  it('handles 10,000 randomly shaped policy documents the same way', () => {
    fc.assert(
      fc.property(randomPolicy, resource, (policy, object) => {
        run(policy, object);
      }),
      { numRuns: 10_000 },
    );
  });

  it('fails when a resource is nested 20,000 levels deep, with a LockstepError instead of a stack overflow', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    const policy = compileValidatingPolicy({ apiVersion: 'policies.kyverno.io/v1', kind: 'ValidatingPolicy', metadata: { name: 'p' }, spec: { matchConstraints: podRules, validations: [{ expression: 'object.spec == object.spec' }] } } as unknown as ValidatingPolicyDocument);
    expect(() => evaluateCompiledPolicy(policy, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: deep })).toThrow(new LockstepError({ message: 'Pod x is nested deeper than 1000 levels', fix: 'flatten the document; no Kubernetes object is nested this deeply' }));
  });

  it('fails when spec.variables is not a list, naming the field', () => {
    const policy = { apiVersion: 'policies.kyverno.io/v1', kind: 'ValidatingPolicy', metadata: { name: 'p' }, spec: { variables: 'v', validations: [{ expression: 'true' }] } };
    expect(() => compileValidatingPolicy(policy as unknown as ValidatingPolicyDocument, 'p.yaml')).toThrow('p.yaml: ValidatingPolicy p: spec.variables must be a list of mappings, got "v"; write the field as the ValidatingPolicy CRD describes it');
  });

  it('fails when two variables share a name or one has none', () => {
    const policy = { apiVersion: 'policies.kyverno.io/v1', kind: 'ValidatingPolicy', metadata: { name: 'p' }, spec: { variables: [{ name: 'v', expression: '1' }, { name: 'v', expression: '2' }, { expression: '3' }], validations: [{ expression: 'true' }] } };
    expect(() => compileValidatingPolicy(policy as unknown as ValidatingPolicyDocument)).toThrow(/spec\.variables\[1\]\.name "v" is used twice; give every entry a unique name\nValidatingPolicy p: spec\.variables\[2\]\.name is required/);
  });

  it('fails when the document is null, without a TypeError', () => {
    expect(() => compileValidatingPolicy(null as unknown as ValidatingPolicyDocument)).toThrow(/not a Kyverno ValidatingPolicy: apiVersion undefined, kind undefined/);
  });
});
