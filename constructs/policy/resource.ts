/**
 * An API resource an admission policy matches: group, version, plural resource, kind and an optional
 * subresource. ValidatingPolicies match on the plural (`pods`, `pods/ephemeralcontainers`);
 * legacy ClusterPolicies match on the kind (`Pod`, `apps/v1/Deployment`, `Pod/ephemeralcontainers`),
 * so both are kept.
 */
export class PolicyResource {
  static readonly PODS = new PolicyResource('', 'v1', 'pods', 'Pod');
  /** `kubectl debug` adds ephemeral containers through this subresource, not through the Pod. */
  static readonly PODS_EPHEMERAL_CONTAINERS = new PolicyResource('', 'v1', 'pods', 'Pod', 'ephemeralcontainers');
  static readonly NAMESPACES = new PolicyResource('', 'v1', 'namespaces', 'Namespace');
  static readonly DEPLOYMENTS = new PolicyResource('apps', 'v1', 'deployments', 'Deployment');
  static readonly STATEFUL_SETS = new PolicyResource('apps', 'v1', 'statefulsets', 'StatefulSet');
  static readonly DAEMON_SETS = new PolicyResource('apps', 'v1', 'daemonsets', 'DaemonSet');
  static readonly REPLICA_SETS = new PolicyResource('apps', 'v1', 'replicasets', 'ReplicaSet');
  static readonly JOBS = new PolicyResource('batch', 'v1', 'jobs', 'Job');
  static readonly CRON_JOBS = new PolicyResource('batch', 'v1', 'cronjobs', 'CronJob');

  /** Every kind that carries a pod template, plus Pod itself. */
  static readonly WORKLOADS: readonly PolicyResource[] = [
    PolicyResource.PODS,
    PolicyResource.DEPLOYMENTS,
    PolicyResource.STATEFUL_SETS,
    PolicyResource.DAEMON_SETS,
    PolicyResource.REPLICA_SETS,
    PolicyResource.JOBS,
    PolicyResource.CRON_JOBS,
  ];

  /** A resource of another API group, e.g. `PolicyResource.custom('gastown.gastown.io', 'v1alpha1', 'polecats', 'Polecat')`. */
  static custom(group: string, version: string, resource: string, kind: string): PolicyResource {
    if (!/^[a-z0-9.-]*$/.test(group) || !/^v[0-9]+([a-z]+[0-9]+)?$/.test(version) || !/^[a-z0-9-]+$/.test(resource) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
      throw new Error(
        `PolicyResource.custom: expected an API group like "example.com", a version like "v1" or "v1alpha1", a lower-case plural like "widgets" and a kind like "Widget", ` +
          `got ${JSON.stringify(group)}, ${JSON.stringify(version)}, ${JSON.stringify(resource)}, ${JSON.stringify(kind)}`,
      );
    }
    return new PolicyResource(group, version, resource, kind);
  }

  private constructor(
    readonly group: string,
    readonly version: string,
    /** Plural resource name without subresource. */
    readonly resource: string,
    readonly kind: string,
    readonly subresourceName?: string,
  ) {}

  /** The subresource `name` of this resource, e.g. `ephemeralcontainers` or `status`. */
  subresource(name: string): PolicyResource {
    if (this.subresourceName !== undefined || !/^[a-z]+$/.test(name)) {
      throw new Error(`${this.resource}: subresource must be a lower-case word on a main resource, got ${JSON.stringify(name)}`);
    }
    return new PolicyResource(this.group, this.version, this.resource, this.kind, name);
  }

  /** `pods` or `pods/ephemeralcontainers`, as `resourceRules.resources` writes it. */
  get resourcePath(): string {
    return this.subresourceName ? `${this.resource}/${this.subresourceName}` : this.resource;
  }

  /** The ClusterPolicy `kinds` form: `Pod`, `Pod/ephemeralcontainers`, `apps/v1/Deployment`. */
  get clusterPolicyKind(): string {
    const kind = this.subresourceName ? `${this.kind}/${this.subresourceName}` : this.kind;
    return this.group === '' ? kind : `${this.group}/${this.version}/${kind}`;
  }

  /** True for exactly core/v1 pods without subresource: the only match Kyverno generates pod-controller rules for. */
  get isPods(): boolean {
    return this.group === '' && this.resource === 'pods' && this.subresourceName === undefined;
  }
}
