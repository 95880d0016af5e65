/**
 * Kind → API resource mapping for `matchConstraints.resourceRules`, which match on the plural
 * resource name (`pods`), not the kind. Offline there is no discovery API, so the built-in kinds are
 * listed here; other kinds fall back to the Kubernetes lower-case plural convention.
 */

export interface ApiResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

type Row = readonly [kind: string, group: string, resource: string, namespaced: boolean];

const BUILT_IN: readonly Row[] = [
  ['Binding', '', 'bindings', true],
  ['ConfigMap', '', 'configmaps', true],
  ['Endpoints', '', 'endpoints', true],
  ['Event', '', 'events', true],
  ['LimitRange', '', 'limitranges', true],
  ['Namespace', '', 'namespaces', false],
  ['Node', '', 'nodes', false],
  ['PersistentVolume', '', 'persistentvolumes', false],
  ['PersistentVolumeClaim', '', 'persistentvolumeclaims', true],
  ['Pod', '', 'pods', true],
  ['PodTemplate', '', 'podtemplates', true],
  ['ReplicationController', '', 'replicationcontrollers', true],
  ['ResourceQuota', '', 'resourcequotas', true],
  ['Secret', '', 'secrets', true],
  ['Service', '', 'services', true],
  ['ServiceAccount', '', 'serviceaccounts', true],
  ['MutatingWebhookConfiguration', 'admissionregistration.k8s.io', 'mutatingwebhookconfigurations', false],
  ['ValidatingAdmissionPolicy', 'admissionregistration.k8s.io', 'validatingadmissionpolicies', false],
  ['ValidatingAdmissionPolicyBinding', 'admissionregistration.k8s.io', 'validatingadmissionpolicybindings', false],
  ['ValidatingWebhookConfiguration', 'admissionregistration.k8s.io', 'validatingwebhookconfigurations', false],
  ['CustomResourceDefinition', 'apiextensions.k8s.io', 'customresourcedefinitions', false],
  ['APIService', 'apiregistration.k8s.io', 'apiservices', false],
  ['ControllerRevision', 'apps', 'controllerrevisions', true],
  ['DaemonSet', 'apps', 'daemonsets', true],
  ['Deployment', 'apps', 'deployments', true],
  ['ReplicaSet', 'apps', 'replicasets', true],
  ['StatefulSet', 'apps', 'statefulsets', true],
  ['HorizontalPodAutoscaler', 'autoscaling', 'horizontalpodautoscalers', true],
  ['CronJob', 'batch', 'cronjobs', true],
  ['Job', 'batch', 'jobs', true],
  ['CertificateSigningRequest', 'certificates.k8s.io', 'certificatesigningrequests', false],
  ['Lease', 'coordination.k8s.io', 'leases', true],
  ['EndpointSlice', 'discovery.k8s.io', 'endpointslices', true],
  ['FlowSchema', 'flowcontrol.apiserver.k8s.io', 'flowschemas', false],
  ['PriorityLevelConfiguration', 'flowcontrol.apiserver.k8s.io', 'prioritylevelconfigurations', false],
  ['Ingress', 'networking.k8s.io', 'ingresses', true],
  ['IngressClass', 'networking.k8s.io', 'ingressclasses', false],
  ['NetworkPolicy', 'networking.k8s.io', 'networkpolicies', true],
  ['RuntimeClass', 'node.k8s.io', 'runtimeclasses', false],
  ['PodDisruptionBudget', 'policy', 'poddisruptionbudgets', true],
  ['ClusterRole', 'rbac.authorization.k8s.io', 'clusterroles', false],
  ['ClusterRoleBinding', 'rbac.authorization.k8s.io', 'clusterrolebindings', false],
  ['Role', 'rbac.authorization.k8s.io', 'roles', true],
  ['RoleBinding', 'rbac.authorization.k8s.io', 'rolebindings', true],
  ['PriorityClass', 'scheduling.k8s.io', 'priorityclasses', false],
  ['CSIDriver', 'storage.k8s.io', 'csidrivers', false],
  ['CSINode', 'storage.k8s.io', 'csinodes', false],
  ['StorageClass', 'storage.k8s.io', 'storageclasses', false],
  ['VolumeAttachment', 'storage.k8s.io', 'volumeattachments', false],
];

const BY_GROUP_KIND = new Map(BUILT_IN.map(([kind, group, resource, namespaced]) => [`${group}/${kind}`, { resource, namespaced }]));

/** Splits `apps/v1` into group and version (`v1` → core group ""). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Lower-case plural of a kind, as Kubernetes generates it for CRDs without an explicit plural. */
export function guessPlural(kind: string): string {
  const lower = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/**
 * The API resource of an object from its `apiVersion` and `kind`. Unknown kinds get the guessed
 * plural and are treated as namespaced when `namespaced` says so (the object has a namespace).
 */
export function apiResourceOf(apiVersion: string, kind: string, namespacedHint = true): ApiResource {
  const { group, version } = splitApiVersion(apiVersion);
  const known = BY_GROUP_KIND.get(`${group}/${kind}`);
  if (known) return { group, version, kind, resource: known.resource, namespaced: known.namespaced };
  return { group, version, kind, resource: guessPlural(kind), namespaced: namespacedHint };
}
