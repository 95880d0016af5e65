import { describe, expect, it } from 'vitest';
import { checkPolicyShapes, validateClusterPolicyShape, validateValidatingPolicyShape } from '../../src/check/index.ts';
import { environment, policySet } from './fixtures.ts';

describe('policy shapes', () => {
  it('accepts every generated ValidatingPolicy, in every stage', () => {
    for (const stage of ['dev', 'staging', 'production'] as const) {
      const { objects, previews } = policySet(environment({ stage }));
      for (const o of [...objects, ...previews]) expect(validateValidatingPolicyShape(o.json), o.file).toEqual([]);
    }
  });

  it('accepts every generated legacy ClusterPolicy with the kyverno.io/v1 CRD schema', () => {
    const { objects } = policySet(environment({ legacy: true }));
    expect(objects.length).toBeGreaterThan(5);
    for (const o of objects) expect(validateClusterPolicyShape(o.json), o.file).toEqual([]);
  });

  it('fails when a ValidatingPolicy has unknown fields, no validations, or Deny with Warn', () => {
    const doc = { apiVersion: 'policies.kyverno.io/v1', kind: 'ValidatingPolicy', metadata: { name: 'x' }, spec: { validationActions: ['Deny', 'Warn'], matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], operations: ['CREATE'] }] }, validations: [], validate: {} } };
    expect(validateValidatingPolicyShape(doc)).toEqual(expect.arrayContaining(['/spec: unknown field "validate"', '/spec/validationActions: Deny and Warn cannot be combined; use [Deny] or [Audit, Warn]', '/spec/validations: must NOT have fewer than 1 items']));
  });

  it('fails when a ClusterPolicy misses required fields or uses the deprecated validationFailureAction', () => {
    const problems = validateClusterPolicyShape({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'x' }, spec: { validationFailureAction: 'Enforce', rules: [{ name: 'r', validate: { cel: { expressions: [{ expression: 'true' }] } } }] } });
    expect(problems).toEqual(expect.arrayContaining(['/spec/rules/0 must have required property match', '/spec/validationFailureAction: deprecated; set validate.failureAction on each rule']));
  });

  it('reports shape problems as synth problems with file and pointer', () => {
    const problems = checkPolicyShapes([{ path: 'manifests/_cluster/validatingpolicy_x.yaml', json: { apiVersion: 'policies.kyverno.io/v1', kind: 'ValidatingPolicy', metadata: { name: 'x' }, spec: {} } }]);
    expect(problems[0]).toMatchObject({ file: 'manifests/_cluster/validatingpolicy_x.yaml', pointer: '/spec', code: 'policy/shape' });
  });
});
