/** An API resource type (group + plural resource, optionally a subresource) that RBAC rules name. */
export class ApiResource {
  static readonly PODS = new ApiResource('', 'pods');
  static readonly PODS_LOG = new ApiResource('', 'pods/log');
  static readonly PODS_EXEC = new ApiResource('', 'pods/exec');
  static readonly PODS_ATTACH = new ApiResource('', 'pods/attach');
  static readonly PODS_EPHEMERAL_CONTAINERS = new ApiResource('', 'pods/ephemeralcontainers');
  static readonly SECRETS = new ApiResource('', 'secrets');
  static readonly CONFIGMAPS = new ApiResource('', 'configmaps');
  static readonly SERVICES = new ApiResource('', 'services');
  static readonly SERVICE_ACCOUNTS = new ApiResource('', 'serviceaccounts');
  static readonly EVENTS = new ApiResource('', 'events');
  static readonly NAMESPACES = new ApiResource('', 'namespaces');
  static readonly PERSISTENT_VOLUME_CLAIMS = new ApiResource('', 'persistentvolumeclaims');
  static readonly DEPLOYMENTS = new ApiResource('apps', 'deployments');
  static readonly STATEFUL_SETS = new ApiResource('apps', 'statefulsets');
  static readonly JOBS = new ApiResource('batch', 'jobs');
  static readonly LEASES = new ApiResource('coordination.k8s.io', 'leases');
  static readonly NETWORK_POLICIES = new ApiResource('networking.k8s.io', 'networkpolicies');
  static readonly EVENTS_V1 = new ApiResource('events.k8s.io', 'events');
  static readonly TOKEN_REVIEWS = new ApiResource('authentication.k8s.io', 'tokenreviews');
  static readonly SUBJECT_ACCESS_REVIEWS = new ApiResource('authorization.k8s.io', 'subjectaccessreviews');
  /** Every resource in every group: a wildcard that needs an acknowledgement. */
  static readonly ALL = new ApiResource('*', '*');

  /** A resource of a custom API group, e.g. `ApiResource.custom('gastown.gastown.io', 'polecats')`. */
  static custom(apiGroup: string, resource: string): ApiResource {
    if (!/^[a-z0-9.*-]*$/.test(apiGroup) || !/^([a-z0-9*-]+)(\/[a-z0-9*-]+)?$/.test(resource)) {
      throw new Error(`ApiResource.custom: expected an API group like "example.com" and a lower-case plural resource like "widgets" or "widgets/status", got ${JSON.stringify(apiGroup)}, ${JSON.stringify(resource)}`);
    }
    return new ApiResource(apiGroup, resource);
  }

  private constructor(readonly apiGroup: string, readonly resource: string) {}

  /** The subresource `name` of this resource, e.g. `status` or `finalizers`. */
  subresource(name: string): ApiResource {
    return ApiResource.custom(this.apiGroup, `${this.resource.split('/')[0]}/${name}`);
  }

  get isWildcard(): boolean {
    return this.apiGroup === '*' || this.resource === '*' || this.resource.endsWith('/*');
  }

  toString(): string {
    return this.apiGroup ? `${this.resource}.${this.apiGroup}` : this.resource;
  }
}
