import { describe, expect, it } from 'vitest';
import { ApiResource, CustomResourceDefinition, OperatorInstall, S, TenantNamespace, Verbs, type TypeOf } from '../../constructs/index.ts';
import { checks, find, render, SMALL } from '../helpers.ts';

const image = 'ghcr.io/acme/operator@sha256:' + 'b'.repeat(64);
const widgetSpec = S.object({ size: S.integer({ minimum: 1, default: 3 }), color: S.string({ enum: ['red', 'blue'] as const }) }, { required: ['size'] });

function install(extra: Partial<ConstructorParameters<typeof OperatorInstall>[2]> = {}) {
  return render((p) => {
    const ns = new TenantNamespace(p, 'widget-system', { labels: { metrics: 'enabled' } });
    const crd = new CustomResourceDefinition(p, 'Widget', { group: 'example.com', kind: 'Widget', versions: [{ name: 'v1', spec: widgetSpec, scale: true }] });
    new OperatorInstall(ns, 'widget-operator', { image, resources: SMALL, crds: [crd], apiServerCidrs: ['192.0.2.1/32'], ...extra });
    crd.instance(ns, 'w', { name: 'my-widget', namespace: 'widget-system', spec: { size: 2, color: 'red' } });
  });
}

describe('CustomResourceDefinition', () => {
  it('emits apiextensions.k8s.io/v1 with the typed schema, status subresource and one storage version', () => {
    const crd = find(install(), 'CustomResourceDefinition', 'widgets.example.com');
    expect(crd.spec.names).toMatchObject({ kind: 'Widget', plural: 'widgets', listKind: 'WidgetList' });
    const v = crd.spec.versions[0];
    expect(v).toMatchObject({ name: 'v1', served: true, storage: true, subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas' } } });
    expect(v.schema.openAPIV3Schema.properties.spec).toEqual({
      type: 'object',
      properties: { color: { type: 'string', enum: ['red', 'blue'] }, size: { type: 'integer', minimum: 1, default: 3 } },
      required: ['size'],
    });
  });

  it('types custom resources by the schema', () => {
    type Widget = TypeOf<typeof widgetSpec>;
    const w: Widget = { size: 1 };
    // @ts-expect-error color must be one of the enum values
    const bad: Widget = { size: 1, color: 'green' };
    expect([w, bad]).toHaveLength(2);
    expect(find(install(), 'Widget', 'my-widget').spec).toEqual({ size: 2, color: 'red' });
  });

  it('fails when a namespaced instance has no namespace, or a cluster-scoped one has one', () => {
    expect(() =>
      render((p) => new CustomResourceDefinition(p, 'W', { group: 'example.com', kind: 'Widget', versions: [{ name: 'v1', spec: widgetSpec }] }).instance(p, 'i', { name: 'x', spec: { size: 1 } })),
    ).toThrow(/Widget x is namespaced; pass namespace/);
    expect(() =>
      render((p) =>
        new CustomResourceDefinition(p, 'W', { group: 'example.com', kind: 'Widget', scope: 'Cluster', versions: [{ name: 'v1', spec: widgetSpec }] }).instance(p, 'i', { name: 'x', namespace: 'y', spec: { size: 1 } }),
      ),
    ).toThrow(/Widget x is cluster-scoped; remove namespace "y"/);
  });

  it('fails when the kind is not PascalCase or two versions claim storage', () => {
    expect(() => render((p) => new CustomResourceDefinition(p, 'W', { group: 'example.com', kind: 'widget', versions: [{ name: 'v1', spec: widgetSpec }] }))).toThrow(/CRD kind must be PascalCase/);
    expect(() =>
      render((p) => new CustomResourceDefinition(p, 'W', { group: 'example.com', kind: 'Widget', versions: [{ name: 'v1', spec: widgetSpec, storage: true }, { name: 'v2', spec: widgetSpec, storage: true }] })),
    ).toThrow(/marks 2 versions as storage/);
  });
});

describe('OperatorInstall', () => {
  it('gives the manager CRUD on its own kinds, their status and finalizers, and nothing on Secrets cluster-wide', () => {
    const role = find(install(), 'ClusterRole', 'widget-operator-manager');
    expect(role.rules).toEqual([
      { apiGroups: ['example.com'], resources: ['widgets'], verbs: [...Verbs.READ_WRITE] },
      { apiGroups: ['example.com'], resources: ['widgets/finalizers'], verbs: ['update'] },
      { apiGroups: ['example.com'], resources: ['widgets/status'], verbs: ['get', 'update', 'patch'] },
    ]);
    expect(JSON.stringify(role)).not.toContain('secrets');
  });

  it('grants per-namespace rules through a Role in that namespace only', () => {
    const objects = install({ namespacedRules: [{ namespace: 'tenant', rules: [{ verbs: ['get'], resources: [ApiResource.SECRETS], resourceNames: ['git-creds'] }] }] });
    const role = objects.find((o) => o.kind === 'Role' && o.metadata.namespace === 'tenant')!;
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['git-creds'] }]);
  });

  it('runs a restricted controller with leader election, metrics and egress only to the API server', () => {
    const objects = install();
    const d = find(objects, 'Deployment', 'widget-operator');
    expect(d.spec.template.spec.automountServiceAccountToken).toBe(true);
    expect(d.spec.template.spec.containers[0].args).toEqual(['--leader-elect', '--health-probe-bind-address=:8081', '--metrics-bind-address=:8443']);
    expect(find(objects, 'Role', 'widget-operator-leader-election').rules[0].resources).toEqual(['configmaps', 'leases']);
    const np = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'widget-operator')!;
    expect(np.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '192.0.2.1/32' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] }]);
    expect(np.spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { metrics: 'enabled' } } }]);
  });

  it('creates aggregated admin, editor and viewer roles for every kind', () => {
    const names = install().filter((o) => o.kind === 'ClusterRole').map((o) => o.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['widget-operator-widget-admin', 'widget-operator-widget-editor', 'widget-operator-widget-viewer']));
  });

  it('fails when a cluster rule reads Secrets everywhere', () => {
    const msgs = checks((p) => {
      const ns = new TenantNamespace(p, 'op');
      new OperatorInstall(ns, 'op', { image, resources: SMALL, crds: [], apiServerCidrs: [], clusterRules: [{ verbs: Verbs.READ, resources: [ApiResource.SECRETS] }] });
    });
    expect(msgs).toEqual([expect.stringMatching(/ClusterRole op-manager reads Secrets in every namespace/)]);
  });
});
