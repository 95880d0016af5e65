import { describe, expect, it } from 'vitest';
import { validatingPolicyEngine } from '../../../src/policy/kyverno-test/validating-policy-engine.ts';

const doc = {
  apiVersion: 'policies.kyverno.io/v1',
  kind: 'NamespacedValidatingPolicy',
  metadata: { name: 'labels', namespace: 'team-a' },
  spec: {
    matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] },
    validations: [{ expression: "has(object.metadata.labels) && 'owner' in object.metadata.labels", message: 'needs an owner label' }],
  },
};

describe('validatingPolicyEngine', () => {
  it('handles ValidatingPolicy kinds only', () => {
    expect(validatingPolicyEngine.handles(doc)).toBe(true);
    expect(validatingPolicyEngine.handles({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy' })).toBe(false);
  });

  it('compiles to a policy identified as namespace/name that reports rule responses', () => {
    const p = validatingPolicyEngine.compile(doc, 'p.yaml');
    expect(p.id).toBe('team-a/labels');
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'team-a' } };
    expect(p.evaluate({ resource: cm, namespaceObject: null, operation: 'CREATE', values: {} })).toEqual([{ rule: 'validation', result: 'fail', message: 'needs an owner label' }]);
    expect(p.evaluate({ resource: cm, namespaceObject: null, operation: 'UPDATE', values: {} })).toEqual([]);
  });
});
