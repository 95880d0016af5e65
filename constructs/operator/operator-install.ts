import { Construct } from 'constructs';
import { Acknowledgement } from '../core/acknowledgement.ts';
import type { Resources } from '../core/quantity.ts';
import { recordSource } from '../core/source.ts';
import { TenantNamespace } from '../namespace/tenant-namespace.ts';
import { NetworkPort } from '../network/port.ts';
import { Peers, type INetworkPeer } from '../network/peer.ts';
import { ApiResource } from '../rbac/api-resource.ts';
import { ClusterRole, Role } from '../rbac/role.ts';
import { Verbs, type Verb } from '../rbac/verbs.ts';
import { AgentWorkload } from '../workload/agent-workload.ts';
import { Probe } from '../workload/probe.ts';
import type { CustomResourceDefinition } from './custom-resource-definition.ts';

export interface OperatorRule {
  readonly verbs: readonly Verb[];
  readonly resources: readonly ApiResource[];
  readonly resourceNames?: readonly string[];
}

export interface NamespacedOperatorRules {
  /** Namespace the operator acts in (e.g. where its custom resources create pods). */
  readonly namespace: string;
  readonly rules: readonly OperatorRule[];
}

export interface OperatorMetricsOptions {
  /** @default 8443 */
  readonly port?: number;
  /**
   * Who may scrape the metrics endpoint.
   * @default pods in namespaces labelled `metrics: enabled`
   */
  readonly allowFrom?: INetworkPeer;
}

export interface OperatorInstallProps {
  /** @default the construct id */
  readonly name?: string;
  /** Controller image (by digest outside dev). */
  readonly image: string;
  readonly resources: Resources;
  /** CRDs the operator owns: they are installed, and the manager role gets CRUD on them, their status and finalizers. */
  readonly crds: readonly CustomResourceDefinition<any>[];
  readonly args?: readonly string[];
  /** Extra rules granted in every namespace (ClusterRole + ClusterRoleBinding). Keep Secrets out of here. */
  readonly clusterRules?: readonly OperatorRule[];
  /** Rules granted only in named namespaces (a Role and RoleBinding in each). */
  readonly namespacedRules?: readonly NamespacedOperatorRules[];
  /** Run with leader election (a Role for leases and configmaps in the operator's namespace). @default true */
  readonly leaderElection?: boolean;
  /** Metrics Service and ingress; `false` for none. @default port 8443 from namespaces labelled metrics=enabled */
  readonly metrics?: OperatorMetricsOptions | false;
  /**
   * Addresses of the Kubernetes API server (control-plane endpoints). The controller gets egress to
   * them on 443 and 6443 and nowhere else.
   */
  readonly apiServerCidrs: readonly string[];
  /** @default 1 */
  readonly replicas?: number;
}

/**
 * An operator: its CRDs, the controller Deployment (restricted, with the API token it needs),
 * least-privilege RBAC (a manager ClusterRole for its own kinds, per-namespace Roles for anything
 * else, a leader-election Role, metrics auth), a metrics Service reachable only from monitoring
 * namespaces, and egress only to DNS and the API server.
 */
export class OperatorInstall extends Construct {
  readonly controller: AgentWorkload;
  readonly managerRole: ClusterRole;

  constructor(scope: Construct, id: string, props: OperatorInstallProps) {
    super(scope, id);
    recordSource(this);
    const name = props.name ?? id;
    const ns = TenantNamespace.of(this);
    const metrics = props.metrics === false ? undefined : { port: props.metrics?.port ?? 8443, allowFrom: props.metrics?.allowFrom ?? Peers.namespacesLabelled({ metrics: 'enabled' }) };
    const leader = props.leaderElection ?? true;

    this.controller = new AgentWorkload(this, 'Controller', {
      name,
      component: 'controller',
      ...(props.replicas !== undefined ? { replicas: props.replicas } : {}),
      serviceAccountToken: Acknowledgement.of('workload/service-account-token', 'an operator reconciles its resources through the Kubernetes API'),
      writableDirectories: [{ name: 'tmp', path: '/tmp', sizeLimit: '64Mi' }],
      container: {
        name: 'manager',
        image: props.image,
        resources: props.resources,
        args: [...(leader ? ['--leader-elect'] : []), '--health-probe-bind-address=:8081', ...(metrics ? [`--metrics-bind-address=:${metrics.port}`] : []), ...(props.args ?? [])],
        ...(metrics ? { ports: [{ name: 'metrics', port: metrics.port }] } : {}),
        liveness: Probe.http('/healthz', 8081, { initialDelaySeconds: 15, periodSeconds: 20 }),
        readiness: Probe.http('/readyz', 8081, { initialDelaySeconds: 5 }),
      },
    });
    const sa = this.controller.serviceAccount;

    for (const cidr of props.apiServerCidrs) {
      this.controller.connections.allowToCidr(cidr, [NetworkPort.tcp(443), NetworkPort.tcp(6443)], {
        acknowledgement: Acknowledgement.of('network/cluster-egress', 'the controller must reach the Kubernetes API server'),
      });
    }
    if (metrics) this.controller.connections.allowFrom(metrics.allowFrom, [NetworkPort.tcp(metrics.port)]);

    this.managerRole = new ClusterRole(this, 'ManagerRole', { name: `${name}-manager` });
    for (const crd of props.crds) {
      const res = ApiResource.custom(crd.group, crd.plural);
      this.managerRole.allow(Verbs.READ_WRITE, [res]);
      this.managerRole.allow(['update'], [res.subresource('finalizers')]);
      this.managerRole.allow(Verbs.STATUS, [res.subresource('status')]);
    }
    for (const r of props.clusterRules ?? []) this.managerRole.allow(r.verbs, r.resources, r.resourceNames ? { resourceNames: r.resourceNames } : {});
    this.managerRole.bind(sa);

    for (const nr of props.namespacedRules ?? []) {
      const role = new Role(this, `Role-${nr.namespace}`, { name: `${name}-manager`, namespace: nr.namespace });
      for (const r of nr.rules) role.allow(r.verbs, r.resources, r.resourceNames ? { resourceNames: r.resourceNames } : {});
      role.bind(sa);
    }

    if (leader) {
      const le = new Role(this, 'LeaderElection', { name: `${name}-leader-election`, namespace: ns.name });
      le.allow(Verbs.READ_WRITE, [ApiResource.CONFIGMAPS, ApiResource.LEASES]);
      le.allow(['create', 'patch'], [ApiResource.EVENTS]);
      le.bind(sa);
    }

    if (metrics) {
      const auth = new ClusterRole(this, 'MetricsAuth', { name: `${name}-metrics-auth` });
      auth.allow(['create'], [ApiResource.TOKEN_REVIEWS, ApiResource.SUBJECT_ACCESS_REVIEWS]);
      auth.bind(sa);
    }

    // Aggregated admin/editor/viewer roles for every kind the operator owns (kubebuilder convention;
    // the seed shipped them for three of its six kinds only).
    for (const crd of props.crds) {
      const res = ApiResource.custom(crd.group, crd.plural);
      const base = `${name}-${crd.kind.toLowerCase()}`;
      new ClusterRole(this, `${crd.kind}Admin`, { name: `${base}-admin`, labels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } })
        .allow(Verbs.READ_WRITE, [res])
        .allow(['get'], [res.subresource('status')]);
      new ClusterRole(this, `${crd.kind}Editor`, { name: `${base}-editor`, labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } })
        .allow(Verbs.READ_WRITE, [res])
        .allow(['get'], [res.subresource('status')]);
      new ClusterRole(this, `${crd.kind}Viewer`, { name: `${base}-viewer`, labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } })
        .allow(Verbs.READ, [res])
        .allow(['get'], [res.subresource('status')]);
    }
  }
}
