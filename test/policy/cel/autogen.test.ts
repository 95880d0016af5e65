import { describe, expect, it } from 'vitest';
import { autogenVariants, canAutogen, replaceUnprotected, rewriteForAutogen } from '../../../src/policy/cel/autogen.ts';
import type { ValidatingPolicySpec } from '../../../src/policy/cel/types.ts';

const podRule = { apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], operations: ['CREATE', 'UPDATE'] };
const spec: ValidatingPolicySpec = {
  matchConstraints: { resourceRules: [podRule] },
  validations: [{ expression: "object.spec.containers.all(c, c.image != '') && object.metadata.namespace != 'x'", messageExpression: "'bad ' + object.metadata.name" }],
};

describe('autogen', () => {
  it('rewrites object.spec and object.metadata to the pod template, keeping the controller name and namespace', () => {
    expect(rewriteForAutogen('object.spec.x && object.metadata.labels && object.metadata.namespace && oldObject.spec.y', 'defaults')).toBe(
      'object.spec.template.spec.x && object.spec.template.metadata.labels && object.metadata.namespace && oldObject.spec.template.spec.y',
    );
    expect(rewriteForAutogen('object.spec.x', 'cronjobs')).toBe('object.spec.jobTemplate.spec.template.spec.x');
  });

  it('protects .name only as a whole path segment', () => {
    expect(replaceUnprotected('object.metadata.name object.metadata.nameSuffix', 'object.metadata', 'T')).toBe('object.metadata.name T.nameSuffix');
  });

  it('applies only to policies matching exactly core/v1 pods', () => {
    expect(canAutogen({ resourceRules: [podRule] })).toBe(true);
    expect(canAutogen(undefined)).toBe(false);
    expect(canAutogen({ resourceRules: [{ ...podRule, resources: ['pods', 'services'] }] })).toBe(false);
    expect(canAutogen({ resourceRules: [podRule], objectSelector: { matchLabels: { a: 'b' } } })).toBe(false);
    expect(canAutogen({ resourceRules: [podRule], excludeResourceRules: [podRule] })).toBe(false);
    expect(canAutogen({ resourceRules: [{ ...podRule, resourceNames: ['x'] }] })).toBe(false);
  });

  it('produces a defaults variant for workload controllers and a cronjobs variant', () => {
    const variants = autogenVariants(spec);
    expect(variants.map((v) => v.config)).toEqual(['cronjobs', 'defaults']);
    const defaults = variants[1]!;
    expect(defaults.spec.matchConstraints).toEqual({
      resourceRules: [
        { apiGroups: ['apps'], apiVersions: ['v1'], resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'], operations: ['CREATE', 'UPDATE'] },
        { apiGroups: ['batch'], apiVersions: ['v1'], resources: ['jobs'], operations: ['CREATE', 'UPDATE'] },
      ],
    });
    expect(defaults.spec.validations?.[0]?.expression).toContain('object.spec.template.spec.containers');
    expect(defaults.spec.validations?.[0]?.messageExpression).toBe("'bad ' + object.metadata.name");
  });

  it('limits the controllers to spec.autogen.podControllers.controllers', () => {
    expect(autogenVariants({ ...spec, autogen: { podControllers: { controllers: ['deployments'] } } }).map((v) => v.targets.map((t) => t.kind))).toEqual([['Deployment']]);
    expect(autogenVariants({ ...spec, autogen: { podControllers: { controllers: [] } } })).toEqual([]);
  });
});
