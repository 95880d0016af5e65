import { describe, expect, it } from 'vitest';
import { TenantNamespace } from '../../constructs/index.ts';
import { find, render } from '../helpers.ts';

describe('TenantNamespace', () => {
  it('enforces restricted Pod Security on enforce, audit and warn by default', () => {
    const objects = render((p) => new TenantNamespace(p, 'team-a'));
    expect(find(objects, 'Namespace').metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.28',
      'kubernetes.io/metadata.name': 'team-a',
    });
  });

  it('denies all ingress and egress with a policy that selects every pod', () => {
    const objects = render((p) => new TenantNamespace(p, 'team-a'));
    expect(find(objects, 'NetworkPolicy', 'default-deny')).toMatchObject({
      metadata: { namespace: 'team-a' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    expect(find(objects, 'NetworkPolicy', 'default-deny').spec.ingress).toBeUndefined();
  });

  it('allows DNS to kube-dns selected by the namespace name label', () => {
    const objects = render((p) => new TenantNamespace(p, 'team-a'));
    const dns = find(objects, 'NetworkPolicy', 'allow-dns');
    expect(dns.spec.egress[0].to[0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    });
    expect(dns.spec.egress[0].ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
  });

  it('omits DNS egress when asked', () => {
    const objects = render((p) => new TenantNamespace(p, 'team-a', { allowDns: false }));
    expect(objects.some((o) => o.metadata.name === 'allow-dns')).toBe(false);
  });

  it('writes layer, tier, isolation and audit labels', () => {
    const objects = render((p) => new TenantNamespace(p, 'prod', { layer: 'core', tier: 'gold', isolation: 'maximum', audit: { retentionDays: 365, labelDomain: 'audit.project-ai.io' } }));
    expect(find(objects, 'Namespace').metadata.labels).toMatchObject({
      'lockstep.dev/layer': 'core',
      'lockstep.dev/tier': 'gold',
      'lockstep.dev/isolation': 'maximum',
      'audit.project-ai.io/enabled': 'true',
      'audit.project-ai.io/retention': '365d',
    });
  });

  it('adds a ResourceQuota and a LimitRange', () => {
    const objects = render((p) => new TenantNamespace(p, 'team-a', { quota: { requests: { cpu: '2', memory: '4Gi' }, limits: { cpu: '4', memory: '8Gi' }, pods: 10 } }));
    expect(find(objects, 'ResourceQuota').spec.hard).toEqual({ 'requests.cpu': '2', 'requests.memory': '4Gi', 'limits.cpu': '4', 'limits.memory': '8Gi', pods: '10' });
    expect(find(objects, 'LimitRange').spec.limits[0].type).toBe('Container');
  });

  it('fails when the name is not a DNS label', () => {
    expect(() => render((p) => new TenantNamespace(p, 'Team_A'))).toThrow(/namespace name must be a DNS label.*"Team_A"/);
  });

  it('fails when a label value is invalid', () => {
    expect(() => render((p) => new TenantNamespace(p, 'a', { labels: { tier: 'not valid!' } }))).toThrow(/label tier must be a valid label value/);
  });

  it('fails when audit retention is not a positive whole number', () => {
    expect(() => render((p) => new TenantNamespace(p, 'a', { audit: { retentionDays: 0 } }))).toThrow(/audit.retentionDays must be a positive whole number/);
  });

  it('fails when a quota amount is not a quantity', () => {
    expect(() => render((p) => new TenantNamespace(p, 'a', { quota: { requests: { cpu: 'lots', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } }))).toThrow(/must be a Kubernetes quantity/);
  });

  it('fails when a construct is looked up outside any namespace', () => {
    expect(() => render((p) => TenantNamespace.of(p))).toThrow(/is not inside a TenantNamespace/);
  });
});
