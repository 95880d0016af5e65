import { Construct, type IConstruct } from 'constructs';
import { KubeObject } from '../core/kube-object.ts';
import { assertDnsLabel, assertLabelValue, Labels, MANAGED_BY_LOCKSTEP } from '../core/labels.ts';
import { recordSource } from '../core/source.ts';
import { assertQuantity, type ResourceAmounts } from '../core/quantity.ts';
import { NetworkPort } from '../network/port.ts';
import { Peers } from '../network/peer.ts';
import { Permissions } from '../rbac/permissions.ts';

export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';
export type IsolationLevel = 'standard' | 'high' | 'maximum';

export interface AuditOptions {
  /** How long audit records are kept. */
  readonly retentionDays: number;
  /**
   * Label domain: labels `<domain>/enabled` and `<domain>/retention` are written.
   * @default 'audit.lockstep.dev'
   */
  readonly labelDomain?: string;
}

export interface QuotaOptions {
  readonly requests: ResourceAmounts;
  readonly limits: ResourceAmounts;
  /** @default 50 */
  readonly pods?: number;
}

export interface TenantNamespaceProps {
  /** @default the construct id */
  readonly name?: string;
  /** Architecture layer, written as `lockstep.dev/layer`. */
  readonly layer?: string;
  /** Tenant tier, written as `lockstep.dev/tier`. */
  readonly tier?: string;
  /**
   * Isolation level, written as `lockstep.dev/isolation`. `maximum` is a promise that workloads
   * here get no service-account token and no in-cluster egress; Lockstep checks it at synth.
   * @default 'standard'
   */
  readonly isolation?: IsolationLevel;
  /**
   * Pod Security Admission level for enforce, audit and warn.
   * Loosening it below `restricted` lets pods run with host access or as root.
   * @default 'restricted'
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Pod Security Standard version to pin.
   * @default 'v1.28'
   */
  readonly podSecurityVersion?: string;
  /** Audit labels; omitted when not given. */
  readonly audit?: AuditOptions;
  /** Extra namespace labels (e.g. `{ 'tk8s-layer': '2-sovereign-services' }`). */
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  /**
   * ResourceQuota for the namespace.
   * @default requests 4 CPU / 8Gi, limits 8 CPU / 16Gi, 50 pods
   */
  readonly quota?: QuotaOptions;
  /**
   * Allow every pod in the namespace to resolve names through the cluster DNS (UDP/TCP 53 to
   * kube-dns in kube-system). Without it, default-deny egress also blocks DNS.
   * @default true
   */
  readonly allowDns?: boolean;
}

const DEFAULT_QUOTA: QuotaOptions = {
  requests: { cpu: '4', memory: '8Gi' },
  limits: { cpu: '8', memory: '16Gi' },
  pods: 50,
};

/**
 * A tenant namespace with hard isolation by default: Pod Security Admission `restricted` on
 * enforce/audit/warn, a default-deny NetworkPolicy for Ingress and Egress (`podSelector: {}`, the
 * shape admission policies look for), DNS egress, a ResourceQuota and a LimitRange.
 *
 * Workloads are created inside it: `new AgentWorkload(ns, 'summarizer', {...})`.
 */
export class TenantNamespace extends Construct {
  /** The TenantNamespace that contains `construct`. */
  static of(construct: IConstruct): TenantNamespace {
    let c: IConstruct | undefined = construct;
    while (c) {
      if (c instanceof TenantNamespace) return c;
      c = c.node.scope;
    }
    throw new Error(`construct at "${construct.node.path}" is not inside a TenantNamespace; create it with the namespace as its scope`);
  }

  readonly name: string;
  readonly isolation: IsolationLevel;
  readonly podSecurity: PodSecurityLevel;
  /** Grants inside this namespace: `ns.permissions.grantRead(subject, ApiResource.CONFIGMAPS)`. */
  readonly permissions: Permissions;
  private readonly labels: Record<string, string>;

  constructor(scope: Construct, id: string, props: TenantNamespaceProps = {}) {
    super(scope, id);
    recordSource(this);
    this.name = props.name ?? id;
    assertDnsLabel(`namespace name`, this.name);
    this.isolation = props.isolation ?? 'standard';
    this.podSecurity = props.podSecurity ?? 'restricted';
    const psaVersion = props.podSecurityVersion ?? 'v1.28';

    const labels: Record<string, string> = {
      [Labels.NAMESPACE_NAME]: this.name,
      [Labels.MANAGED_BY]: MANAGED_BY_LOCKSTEP,
      [Labels.ISOLATION]: this.isolation,
      'pod-security.kubernetes.io/enforce': this.podSecurity,
      'pod-security.kubernetes.io/enforce-version': psaVersion,
      'pod-security.kubernetes.io/audit': this.podSecurity,
      'pod-security.kubernetes.io/audit-version': psaVersion,
      'pod-security.kubernetes.io/warn': this.podSecurity,
      'pod-security.kubernetes.io/warn-version': psaVersion,
    };
    if (props.layer) labels[Labels.LAYER] = props.layer;
    if (props.tier) labels[Labels.TIER] = props.tier;
    if (props.audit) {
      const domain = props.audit.labelDomain ?? 'audit.lockstep.dev';
      if (!Number.isInteger(props.audit.retentionDays) || props.audit.retentionDays < 1) {
        throw new Error(`namespace ${this.name}: audit.retentionDays must be a positive whole number, got ${props.audit.retentionDays}`);
      }
      labels[`${domain}/enabled`] = 'true';
      labels[`${domain}/retention`] = `${props.audit.retentionDays}d`;
    }
    for (const [k, v] of Object.entries(props.labels ?? {})) {
      assertLabelValue(`namespace ${this.name} label ${k}`, v);
      labels[k] = v;
    }
    this.labels = labels;

    new KubeObject(this, 'Namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      name: this.name,
      labels,
      ...(props.annotations ? { annotations: props.annotations } : {}),
      body: () => ({}),
    });

    new KubeObject(this, 'DefaultDeny', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      name: 'default-deny',
      namespace: this.name,
      labels: { [Labels.MANAGED_BY]: MANAGED_BY_LOCKSTEP },
      body: () => ({ spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } }),
    });

    if (props.allowDns ?? true) {
      const dns = Peers.clusterDns().peerJson(this.name);
      new KubeObject(this, 'AllowDns', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        name: 'allow-dns',
        namespace: this.name,
        labels: { [Labels.MANAGED_BY]: MANAGED_BY_LOCKSTEP },
        body: () => ({
          spec: {
            podSelector: {},
            policyTypes: ['Egress'],
            egress: [{ to: [dns], ports: NetworkPort.dns().map((p) => p.toJson()) }],
          },
        }),
      });
    }

    const quota = props.quota ?? DEFAULT_QUOTA;
    for (const [k, v] of Object.entries(quota.requests)) assertQuantity(`namespace ${this.name} quota requests.${k}`, v);
    for (const [k, v] of Object.entries(quota.limits)) assertQuantity(`namespace ${this.name} quota limits.${k}`, v);
    new KubeObject(this, 'ResourceQuota', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      name: 'compute',
      namespace: this.name,
      labels: { [Labels.MANAGED_BY]: MANAGED_BY_LOCKSTEP },
      body: () => ({
        spec: {
          hard: {
            'requests.cpu': quota.requests.cpu,
            'requests.memory': quota.requests.memory,
            'limits.cpu': quota.limits.cpu,
            'limits.memory': quota.limits.memory,
            pods: String(quota.pods ?? 50),
          },
        },
      }),
    });

    new KubeObject(this, 'LimitRange', {
      apiVersion: 'v1',
      kind: 'LimitRange',
      name: 'container-defaults',
      namespace: this.name,
      labels: { [Labels.MANAGED_BY]: MANAGED_BY_LOCKSTEP },
      body: () => ({
        spec: {
          limits: [
            {
              type: 'Container',
              defaultRequest: { cpu: '100m', memory: '128Mi' },
              default: { cpu: '500m', memory: '512Mi' },
            },
          ],
        },
      }),
    });

    this.permissions = new Permissions(this, this.name);
  }

  /** The namespace's labels, including `kubernetes.io/metadata.name`. */
  get namespaceLabels(): Readonly<Record<string, string>> {
    return this.labels;
  }
}
