import { describe, expect, it } from 'vitest';
import type { KubeJson } from '../../../src/k8s/objects.ts';
import { CLUSTER_SCOPE, computeRbacMatrix, sortVerbs } from '../../../src/review/report/rbac.ts';

const role = (ns: string, name: string, rules: KubeJson[]): KubeJson => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: ns }, rules });
const clusterRole = (name: string, rules: KubeJson[], extra: KubeJson = {}): KubeJson => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}) }, rules, ...(extra.aggregationRule ? { aggregationRule: extra.aggregationRule } : {}) });
const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, ns: string | undefined, roleRef: { kind: string; name: string }, subjects: KubeJson[]): KubeJson => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name, ...(ns ? { namespace: ns } : {}) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
  subjects,
});
const sa = (namespace: string, name: string) => ({ kind: 'ServiceAccount', name, namespace });

describe('computeRbacMatrix', () => {
  it('grants a Role inside the RoleBinding namespace, one row per resource', () => {
    const m = computeRbacMatrix([
      role('jobs', 'manager', [
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'delete'] },
        { apiGroups: [''], resources: ['secrets'], resourceNames: ['token-b', 'token-a'], verbs: ['get'] },
      ]),
      binding('RoleBinding', 'manager', 'jobs', { kind: 'Role', name: 'manager' }, [sa('operator', 'op')]),
    ]);
    expect(m.rows).toEqual([
      { subject: 'ServiceAccount operator/op', scope: 'jobs', resource: 'pods', verbs: ['get', 'list', 'delete'], via: ['RoleBinding jobs/manager → Role jobs/manager'], wildcard: false },
      { subject: 'ServiceAccount operator/op', scope: 'jobs', resource: 'secrets [token-a, token-b]', verbs: ['get'], via: ['RoleBinding jobs/manager → Role jobs/manager'], wildcard: false },
    ]);
    expect(m.verbs).toEqual(['get', 'list', 'delete']);
  });

  it('grants a ClusterRole cluster-wide through a ClusterRoleBinding, and inside one namespace through a RoleBinding', () => {
    const m = computeRbacMatrix([
      clusterRole('reader', [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['watch', 'get'] }]),
      binding('ClusterRoleBinding', 'everyone-reads', undefined, { kind: 'ClusterRole', name: 'reader' }, [{ kind: 'Group', name: 'auditors' }]),
      binding('RoleBinding', 'team-reads', 'team', { kind: 'ClusterRole', name: 'reader' }, [{ kind: 'User', name: 'alice' }]),
    ]);
    expect(m.rows.map((r) => [r.subject, r.scope, r.resource, r.verbs.join(' ')])).toEqual([
      ['Group auditors', CLUSTER_SCOPE, 'apps/deployments', 'get watch'],
      ['User alice', 'team', 'apps/deployments', 'get watch'],
    ]);
  });

  it('defaults a ServiceAccount subject without a namespace to the RoleBinding namespace', () => {
    const m = computeRbacMatrix([role('ns', 'r', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]), binding('RoleBinding', 'b', 'ns', { kind: 'Role', name: 'r' }, [{ kind: 'ServiceAccount', name: 'app' }])]);
    expect(m.rows[0]?.subject).toBe('ServiceAccount ns/app');
  });

  it('merges the verbs of several bindings for the same subject and resource, listing every binding', () => {
    const m = computeRbacMatrix([
      role('ns', 'read', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]),
      role('ns', 'write', [{ apiGroups: [''], resources: ['pods'], verbs: ['patch', 'create'] }]),
      binding('RoleBinding', 'b1', 'ns', { kind: 'Role', name: 'read' }, [sa('ns', 'app')]),
      binding('RoleBinding', 'b2', 'ns', { kind: 'Role', name: 'write' }, [sa('ns', 'app')]),
    ]);
    expect(m.rows).toHaveLength(1);
    expect(m.rows[0]).toMatchObject({ verbs: ['get', 'create', 'patch'], via: ['RoleBinding ns/b1 → Role ns/read', 'RoleBinding ns/b2 → Role ns/write'] });
  });

  it('flags wildcards in verbs, groups and resources', () => {
    const m = computeRbacMatrix([
      clusterRole('god', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['/metrics'], verbs: ['get'] }]),
      binding('ClusterRoleBinding', 'god', undefined, { kind: 'ClusterRole', name: 'god' }, [{ kind: 'User', name: 'root' }]),
    ]);
    expect(m.rows.map((r) => [r.resource, r.wildcard])).toEqual([
      ['*/*', true],
      ['url /metrics', false],
    ]);
    expect(m.verbs).toEqual(['get', '*']);
  });

  it('expands aggregated ClusterRoles with the rules of the ClusterRoles their selectors match', () => {
    const m = computeRbacMatrix([
      clusterRole('monitoring', [], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }] } }),
      clusterRole('monitoring-pods', [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }], { labels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }),
      clusterRole('unrelated', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]),
      binding('ClusterRoleBinding', 'mon', undefined, { kind: 'ClusterRole', name: 'monitoring' }, [sa('mon', 'prometheus')]),
    ]);
    expect(m.rows.map((r) => r.resource)).toEqual(['pods']);
  });

  it('lists bindings to roles that are not rendered instead of guessing their rules', () => {
    const m = computeRbacMatrix([binding('RoleBinding', 'viewers', 'ns', { kind: 'ClusterRole', name: 'view' }, [{ kind: 'Group', name: 'devs' }])]);
    expect(m.rows).toEqual([]);
    expect(m.unresolved).toEqual([{ binding: 'RoleBinding ns/viewers', roleRef: 'ClusterRole view', subjects: ['Group devs'] }]);
  });

  it('does not let a RoleBinding use a Role of another namespace', () => {
    const m = computeRbacMatrix([role('other', 'r', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]), binding('RoleBinding', 'b', 'ns', { kind: 'Role', name: 'r' }, [sa('ns', 'app')])]);
    expect(m.rows).toEqual([]);
    expect(m.unresolved[0]?.roleRef).toBe('Role ns/r');
  });
});

describe('sortVerbs', () => {
  it('puts the usual verbs in API order, then the rest alphabetically, then *', () => {
    expect(sortVerbs(['*', 'escalate', 'delete', 'bind', 'get', 'get'])).toEqual(['get', 'delete', 'bind', 'escalate', '*']);
  });
});
