import { describe, expect, it } from 'vitest';
import { classifyRbac } from '../../../../src/review/diff/classify/rbac.ts';

const role = (rules: object[], kind = 'Role') => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name: 'r', namespace: 'ns' }, rules });
const binding = (subjects: object[], kind = 'RoleBinding', roleName = 'r') => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName }, subjects });
const sa = (name: string) => ({ kind: 'ServiceAccount', name, namespace: 'ns' });

describe('classifyRbac', () => {
  it('flags a new verb on a new resource, naming the rule', () => {
    const before = role([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
    const after = role([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }, { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }]);
    expect(classifyRbac(before, after)).toEqual([{ class: 'rbac-broadened', pointer: '/rules/1', message: 'now grants get, list on secrets' }]);
  });

  it('flags a lifted resourceNames restriction', () => {
    const before = role([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['a'], verbs: ['get'] }]);
    const after = role([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]);
    expect(classifyRbac(before, after)[0]!.message).toBe('now grants get on secrets (any name: the resourceNames restriction was removed)');
  });

  it('flags wildcards and new API groups, but not grants already covered by a wildcard', () => {
    const before = role([{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] }]);
    expect(classifyRbac(before, role([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]))[0]!.message).toMatch(/^now grants wildcard \* on \*\.\*/);
    expect(classifyRbac(before, role([{ apiGroups: ['batch'], resources: ['jobs'], verbs: ['get'] }]))[0]!.message).toBe('now grants get on jobs.batch');
    const wide = role([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]);
    expect(classifyRbac(wide, role([{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['delete'] }]))).toEqual([]);
  });

  it('is silent when grants only shrink or are reordered, and for removed roles', () => {
    const before = role([{ apiGroups: [''], resources: ['pods', 'services'], verbs: ['get', 'list'] }]);
    expect(classifyRbac(before, role([{ apiGroups: [''], resources: ['services', 'pods'], verbs: ['list'] }]))).toEqual([]);
    expect(classifyRbac(before, undefined)).toEqual([]);
  });

  it('flags a new ClusterRoleBinding, new subjects and a changed roleRef', () => {
    expect(classifyRbac(undefined, binding([sa('x')], 'ClusterRoleBinding'))).toEqual([
      { class: 'rbac-broadened', pointer: '/roleRef', message: 'new ClusterRoleBinding grants Role r cluster-wide to ServiceAccount ns/x' },
    ]);
    expect(classifyRbac(binding([sa('x')]), binding([sa('x'), sa('y')]))).toEqual([{ class: 'rbac-broadened', pointer: '/subjects', message: 'binds Role r to new subject ServiceAccount ns/y' }]);
    expect(classifyRbac(binding([sa('x')]), binding([sa('x')], 'RoleBinding', 'admin'))[0]!.message).toBe('now binds Role admin instead of Role r');
  });

  it('flags an aggregation rule on a ClusterRole', () => {
    const after = { ...role([], 'ClusterRole'), aggregationRule: { clusterRoleSelectors: [{ matchLabels: { x: 'y' } }] } };
    expect(classifyRbac(role([], 'ClusterRole'), after)[0]).toMatchObject({ pointer: '/aggregationRule' });
  });
});
