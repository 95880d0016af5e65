import { describe, expect, it } from 'vitest';
import { kindToResourceRule, translateClusterPolicy } from '../../src/check/index.ts';

describe('translateClusterPolicy', () => {
  it('maps Kyverno kinds to resource rules', () => {
    expect(kindToResourceRule('Pod')).toEqual({ apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] });
    expect(kindToResourceRule('Pod/ephemeralcontainers')).toEqual({ apiGroups: [''], apiVersions: ['v1'], resources: ['pods/ephemeralcontainers'] });
    expect(kindToResourceRule('apps/v1/Deployment')).toEqual({ apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments'] });
    expect(kindToResourceRule('Widget')).toEqual({ apiGroups: ['*'], apiVersions: ['*'], resources: ['widgets'] });
  });

  it('fails when a kind entry names no Kind', () => {
    expect(() => kindToResourceRule('apps/v1')).toThrow(/ClusterPolicy kind "apps\/v1" is not of the form Kind, Kind\/subresource, version\/Kind or group\/version\/Kind/);
  });

  it('turns each validate.cel rule into a ValidatingPolicy and reports other rules', () => {
    const t = translateClusterPolicy({
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'p', annotations: { 'pod-policies.kyverno.io/autogen-controllers': 'none' } },
      spec: {
        rules: [
          { name: 'cel', match: { any: [{ resources: { kinds: ['Pod'], namespaces: ['a'] } }] }, validate: { failureAction: 'Enforce', cel: { expressions: [{ expression: 'true' }] } } },
          { name: 'pattern', match: { any: [{ resources: { kinds: ['Pod'] } }] }, validate: { pattern: { spec: {} } } },
        ],
      },
    });
    expect(t.rules).toHaveLength(1);
    expect(t.rules[0]!.document.spec).toMatchObject({
      validationActions: ['Deny'],
      matchConditions: [{ name: 'lockstep-namespaces', expression: "request.namespace in ['a']" }],
      autogen: { podControllers: { controllers: [] } },
    });
    expect(t.unsupported).toEqual(['ClusterPolicy p rule pattern: only validate.cel rules are evaluated by lockstep check; run the Kyverno CLI for pattern, deny or foreach rules']);
  });
});
