import { describe, expect, it } from 'vitest';
import { Acknowledgement, AgentWorkload, ApiResource, ClusterRole, ExistingClusterRoleBinding, Group, Role, TenantNamespace, User, Verbs } from '../../constructs/index.ts';
import { checks, find, render, SMALL } from '../helpers.ts';

const image = 'ghcr.io/acme/agent@sha256:' + 'a'.repeat(64);

describe('RBAC', () => {
  it('grantRead gives a subject get, list and watch through one Role and RoleBinding per subject', () => {
    const objects = render((p) => {
      const ns = new TenantNamespace(p, 'agents');
      const a = new AgentWorkload(ns, 'planner', { container: { image, resources: SMALL } });
      ns.permissions.grantRead(a.serviceAccount, ApiResource.CONFIGMAPS);
      ns.permissions.grant(a.serviceAccount, ['get'], [ApiResource.SECRETS], { resourceNames: ['llm-key'] });
    });
    expect(find(objects, 'Role', 'planner-access').rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['llm-key'] },
    ]);
    expect(find(objects, 'RoleBinding', 'planner-access')).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'planner-access' },
      subjects: [{ kind: 'ServiceAccount', name: 'planner', namespace: 'agents' }],
    });
  });

  it('binds a ClusterRole cluster-wide or in one namespace', () => {
    const objects = render((p) => {
      const r = new ClusterRole(p, 'reader').allowRead(ApiResource.custom('example.com', 'widgets'));
      r.bind(Group.fromName('sre'));
      r.bindInNamespace('team-a', User.fromName('alice'));
    });
    expect(find(objects, 'ClusterRoleBinding', 'reader').subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'sre' }]);
    expect(find(objects, 'RoleBinding', 'reader')).toMatchObject({ metadata: { namespace: 'team-a' }, roleRef: { kind: 'ClusterRole' } });
  });

  it('refuses wildcard verbs and resources without an acknowledgement', () => {
    const msgs = checks((p) => {
      new Role(p, 'star', { namespace: 'x' }).allow(['*'], [ApiResource.PODS]);
      new Role(p, 'all', { namespace: 'x' }).allow(Verbs.READ, [ApiResource.ALL]);
    });
    expect(msgs).toEqual([expect.stringMatching(/Role star grants a wildcard \(verb "\*"\)/), expect.stringMatching(/Role all grants a wildcard \(resource "\*\.\*"\)/)]);
    expect(checks((p) => new Role(p, 'ok', { namespace: 'x', acknowledgements: [Acknowledgement.of('rbac/wildcard', 'break-glass admin role for SRE')] }).allow(['*'], [ApiResource.PODS]))).toEqual([]);
  });

  it('refuses cluster-wide Secret reads without an acknowledgement', () => {
    const msgs = checks((p) => new ClusterRole(p, 'op').allowRead(ApiResource.SECRETS).bind(Group.fromName('ops')));
    expect(msgs).toEqual([expect.stringMatching(/ClusterRole op reads Secrets in every namespace through a ClusterRoleBinding/)]);
  });

  it('allows a ClusterRole that reads Secrets when it is bound only in a namespace', () => {
    expect(checks((p) => new ClusterRole(p, 'op').allowRead(ApiResource.SECRETS).bindInNamespace('x', Group.fromName('ops')))).toEqual([]);
  });

  it('keeps pods/exec out of RBAC unless acknowledged', () => {
    expect(checks((p) => new Role(p, 'debug', { namespace: 'x' }).allow(['create'], [ApiResource.PODS_EXEC]))).toEqual([expect.stringMatching(/grants "pods\/exec", which opens a shell/)]);
  });

  it('refuses a cluster-admin binding without an acknowledgement', () => {
    expect(() => render((p) => new ExistingClusterRoleBinding(p, 'admins', 'cluster-admin', [Group.fromName('everyone')]))).toThrow(/binding everyone to cluster-admin gives full control/);
    expect(() =>
      render((p) => new ExistingClusterRoleBinding(p, 'admins', 'cluster-admin', [Group.fromName('sre')], { acknowledgements: [Acknowledgement.of('rbac/cluster-admin', 'cluster operators on call')] })),
    ).not.toThrow();
  });

  it('fails when a rule has no verbs, or a custom resource is malformed', () => {
    expect(() => render((p) => new Role(p, 'r', { namespace: 'x' }).allow([], [ApiResource.PODS]))).toThrow(/needs at least one verb and one resource/);
    expect(() => ApiResource.custom('Example.COM', 'Widgets')).toThrow(/expected an API group like "example.com"/);
  });
});
