/**
 * The example platform's admission policies: TK8S's Kyverno intent (seed-systems §2.2), done so
 * the platform's own workloads can pass (§6.2):
 * - absent `privileged`/`hostNetwork`/`hostPID`/`hostIPC` count as false (the seed required the
 *   fields to be present and rejected its own Deployments);
 * - the SBOM annotation is required on the workload *and* its pod template, as a sha256;
 * - read-only root filesystem covers init containers; debug containers are refused through the
 *   `pods/ephemeralcontainers` subresource too (`kubectl debug` never creates a Pod);
 * - no top-level `validationFailureAction`: the mode comes from the environment per policy.
 * Default-deny NetworkPolicies are checked at synth (gates/default-deny.ts) and `pods/exec` grants by
 * the RBAC constructs, so neither is repeated here as an API-lookup policy.
 */
import { Construct } from 'constructs';
import { AdmissionPolicy, PolicyResource, type AdmissionPolicyProps, type PolicyMode } from '../../constructs/index.ts';
import { LockstepError } from '../util/errors.ts';
import type { EnvironmentContext } from './context.ts';

export interface PlatformPoliciesOptions {
  /** Namespace of the external cognition amplifiers: no token, no host network. */
  readonly ecaNamespace: string;
  /** Namespaces that must carry audit labels in staging and production. */
  readonly auditedNamespaces: readonly string[];
  /** Label domain of the audit labels (`<domain>/enabled`, `<domain>/retention`). */
  readonly auditLabelDomain: string;
}

export interface PlatformPolicies {
  readonly policies: readonly AdmissionPolicy[];
}

type PolicyDefinition = Omit<AdmissionPolicyProps, 'mode' | 'legacyClusterPolicy'>;

/** Every container of a pod spec, including init and ephemeral containers. */
const ALL_CONTAINERS = {
  name: 'allContainers',
  expression: 'object.spec.containers + object.spec.?initContainers.orValue([]) + object.spec.?ephemeralContainers.orValue([])',
};
/** Containers that run the workload (ephemeral debug containers are refused by their own policy). */
const POD_CONTAINERS = { name: 'podContainers', expression: 'object.spec.containers + object.spec.?initContainers.orValue([])' };

/**
 * A validation that `predicate` (over `c`) holds for every container in `list`, whose message names
 * the containers that break it.
 */
function everyContainer(name: string, list: 'allContainers' | 'podContainers', predicate: string, problem: string) {
  return {
    name,
    expression: `variables.${list}.all(c, ${predicate})`,
    messageExpression: `'container(s) ' + variables.${list}.filter(c, !(${predicate})).map(c, c.name).join(', ') + ' ${problem.replace(/'/g, "\\'")}'`,
  };
}

const SHA256_HEX = '^[a-f0-9]{64}$';

function definitions(ctx: EnvironmentContext, options: PlatformPoliciesOptions): PolicyDefinition[] {
  const stage = ctx.stage;
  const pinned = stage === 'staging' || stage === 'production';
  const defs: PolicyDefinition[] = [
    {
      name: 'disallow-latest-tag',
      title: 'Disallow Latest Tag',
      category: 'Supply Chain',
      severity: 'high',
      description: 'Every container image names a version: a tag other than "latest", or a digest. "latest" and untagged images change under the same name.',
      match: { resources: [PolicyResource.PODS] },
      variables: [ALL_CONTAINERS],
      validations: [
        everyContainer('image-tag-or-digest', 'allContainers', "c.image.matches('@sha256:') || c.image.matches(':[^/@]+$')", 'have an image without tag or digest; pin a version, e.g. repo:1.2.3@sha256:…'),
        everyContainer('no-latest-tag', 'allContainers', "!c.image.split('@')[0].endsWith(':latest')", 'use the "latest" tag; pin a version, e.g. repo:1.2.3@sha256:…'),
      ],
    },
    {
      name: 'require-pod-security-restricted',
      title: 'Require Restricted Pod Security',
      category: 'Pod Security',
      severity: 'high',
      description: 'Pods meet the Pod Security Standards "restricted" controls: non-root, no privilege escalation, all capabilities dropped, RuntimeDefault or Localhost seccomp, restricted volume types.',
      match: { resources: [PolicyResource.PODS] },
      variables: [ALL_CONTAINERS],
      validations: [
        everyContainer('run-as-non-root', 'allContainers', 'c.?securityContext.?runAsNonRoot.orValue(object.spec.?securityContext.?runAsNonRoot.orValue(false)) == true', 'may run as root; set securityContext.runAsNonRoot: true on the pod or container'),
        {
          name: 'run-as-user-non-zero',
          expression: 'object.spec.?securityContext.?runAsUser.orValue(1) != 0 && variables.allContainers.all(c, c.?securityContext.?runAsUser.orValue(1) != 0)',
          message: 'runAsUser 0 (root) is set on the pod or a container; remove it or use a non-zero user ID',
        },
        everyContainer('no-privilege-escalation', 'allContainers', 'c.?securityContext.?allowPrivilegeEscalation.orValue(true) == false', 'allow privilege escalation; set securityContext.allowPrivilegeEscalation: false'),
        everyContainer('drop-all-capabilities', 'allContainers', "'ALL' in c.?securityContext.?capabilities.?drop.orValue([])", 'do not drop all capabilities; set securityContext.capabilities.drop: [ALL]'),
        everyContainer('add-only-net-bind-service', 'allContainers', "c.?securityContext.?capabilities.?add.orValue([]).all(x, x == 'NET_BIND_SERVICE')", 'add capabilities other than NET_BIND_SERVICE; remove them'),
        {
          name: 'seccomp-profile',
          expression:
            "variables.allContainers.all(c, c.?securityContext.?seccompProfile.?type.orValue(object.spec.?securityContext.?seccompProfile.?type.orValue('')) in ['RuntimeDefault', 'Localhost'])",
          message: 'seccompProfile.type must be RuntimeDefault or Localhost on the pod or every container; set securityContext.seccompProfile.type: RuntimeDefault',
        },
        {
          name: 'volume-types',
          expression:
            'object.spec.?volumes.orValue([]).all(v, has(v.configMap) || has(v.csi) || has(v.downwardAPI) || has(v.emptyDir) || has(v.ephemeral) || has(v.persistentVolumeClaim) || has(v.projected) || has(v.secret))',
          message: 'only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes are allowed; hostPath and other volume types are not',
        },
      ],
    },
    {
      name: 'require-readonly-root-filesystem',
      title: 'Require Read-Only Root Filesystem',
      category: 'Pod Security',
      severity: 'medium',
      description: 'Containers and init containers mount their root filesystem read-only; writable paths are explicit volumes.',
      match: { resources: [PolicyResource.PODS] },
      variables: [POD_CONTAINERS],
      validations: [everyContainer('readonly-root-filesystem', 'podContainers', 'c.?securityContext.?readOnlyRootFilesystem.orValue(false) == true', 'have a writable root filesystem; set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes where the program writes')],
    },
    {
      name: 'disallow-privileged-containers',
      title: 'Disallow Privileged Containers',
      category: 'Pod Security',
      severity: 'critical',
      description: 'No container runs privileged. An absent securityContext.privileged means false.',
      match: { resources: [PolicyResource.PODS] },
      variables: [ALL_CONTAINERS],
      validations: [everyContainer('no-privileged-containers', 'allContainers', '!c.?securityContext.?privileged.orValue(false)', 'run privileged; remove securityContext.privileged or set it to false')],
    },
    {
      name: 'disallow-host-namespaces',
      title: 'Disallow Host Namespaces',
      category: 'Pod Security',
      severity: 'critical',
      description: 'Pods share no host namespace: hostNetwork, hostPID and hostIPC are false or absent.',
      match: { resources: [PolicyResource.PODS] },
      validations: [
        { name: 'no-host-network', expression: '!object.spec.?hostNetwork.orValue(false)', message: 'hostNetwork is true; remove it or set it to false' },
        { name: 'no-host-pid', expression: '!object.spec.?hostPID.orValue(false)', message: 'hostPID is true; remove it or set it to false' },
        { name: 'no-host-ipc', expression: '!object.spec.?hostIPC.orValue(false)', message: 'hostIPC is true; remove it or set it to false' },
      ],
    },
    {
      name: 'disallow-ephemeral-containers',
      title: 'Disallow Ephemeral Debug Containers',
      category: 'Pod Security',
      severity: 'high',
      description: 'No ephemeral (debug) containers: `kubectl debug` adds them through the pods/ephemeralcontainers subresource, which is matched as well as Pod creation.',
      match: { resources: [PolicyResource.PODS, PolicyResource.PODS_EPHEMERAL_CONTAINERS] },
      validations: [
        {
          name: 'no-ephemeral-containers',
          expression: 'size(object.spec.?ephemeralContainers.orValue([])) == 0',
          messageExpression: "'ephemeral container(s) ' + object.spec.ephemeralContainers.map(c, c.name).join(', ') + ' are not allowed; debug with logs, metrics or a separate debug deployment'",
        },
      ],
    },
    {
      name: 'require-requests-and-limits',
      title: 'Require Resource Requests and Limits',
      category: 'Multi-Tenancy',
      severity: 'medium',
      description: 'Every container and init container sets CPU and memory requests and limits, so agents cannot starve their neighbours.',
      match: { resources: [PolicyResource.PODS] },
      variables: [POD_CONTAINERS],
      validations: [
        everyContainer(
          'requests-and-limits',
          'podContainers',
          "['cpu', 'memory'].all(r, r in c.?resources.?requests.orValue({}) && r in c.?resources.?limits.orValue({}))",
          'lack cpu or memory requests or limits; set resources.requests and resources.limits for both',
        ),
      ],
    },
    {
      name: 'eca-isolation',
      title: 'External Cognition Amplifier Isolation',
      category: 'Multi-Tenancy',
      severity: 'high',
      description: `Pods in ${options.ecaNamespace} get no service-account token and never use the host network: they call external APIs and must not reach the cluster API.`,
      match: { resources: [PolicyResource.PODS], namespaces: [options.ecaNamespace] },
      validations: [
        {
          name: 'no-service-account-token',
          expression: 'object.spec.?automountServiceAccountToken.orValue(true) == false',
          message: 'automountServiceAccountToken must be false (absent means true); set it on the pod spec',
        },
        { name: 'no-host-network', expression: '!object.spec.?hostNetwork.orValue(false)', message: 'hostNetwork is true; remove it or set it to false' },
      ],
    },
    {
      name: 'require-pod-security-labels',
      title: 'Require Pod Security Admission Labels',
      category: 'Pod Security',
      severity: 'medium',
      description: 'Namespaces enforce, audit and warn the "restricted" Pod Security Standard through the built-in Pod Security Admission labels.',
      match: { resources: [PolicyResource.NAMESPACES] },
      variables: [{ name: 'labels', expression: 'object.metadata.?labels.orValue({})' }],
      validations: [
        {
          name: 'psa-restricted',
          expression: "['enforce', 'audit', 'warn'].all(m, ('pod-security.kubernetes.io/' + m) in variables.labels && variables.labels['pod-security.kubernetes.io/' + m] == 'restricted')",
          messageExpression:
            "'namespace ' + object.metadata.name + ' must set pod-security.kubernetes.io/' + ['enforce', 'audit', 'warn'].filter(m, !(('pod-security.kubernetes.io/' + m) in variables.labels && variables.labels['pod-security.kubernetes.io/' + m] == 'restricted')).join(', /') + ' to restricted'",
        },
      ],
    },
  ];
  if (pinned) {
    defs.push({
      name: 'require-image-digest',
      title: 'Require Image Digests',
      category: 'Supply Chain',
      severity: 'high',
      description: `In ${stage}, every image is pinned by sha256 digest, so what runs is exactly what was scanned and signed.`,
      match: { resources: [PolicyResource.PODS] },
      variables: [ALL_CONTAINERS],
      validations: [everyContainer('image-digest', 'allContainers', "c.image.matches('@sha256:[a-f0-9]{64}$')", 'have an image without a sha256 digest; pin it, e.g. repo:1.2.3@sha256:…')],
    });
    const domain = options.auditLabelDomain;
    const retention = `${ctx.env.audit.retentionDays}d`;
    defs.push({
      name: 'require-audit-labels',
      title: 'Require Audit Labels',
      category: 'Audit',
      severity: 'medium',
      description: `In ${stage}, the platform's namespaces carry ${domain}/enabled=true and ${domain}/retention=${retention}, so audit logging and retention apply to them.`,
      match: { resources: [PolicyResource.NAMESPACES], names: options.auditedNamespaces },
      variables: [{ name: 'labels', expression: 'object.metadata.?labels.orValue({})' }],
      validations: [
        {
          name: 'audit-enabled',
          expression: `'${domain}/enabled' in variables.labels && variables.labels['${domain}/enabled'] == 'true'`,
          message: `label ${domain}/enabled must be "true"; enable audit on the namespace`,
        },
        {
          name: 'audit-retention',
          expression: `'${domain}/retention' in variables.labels && variables.labels['${domain}/retention'] == '${retention}'`,
          message: `label ${domain}/retention must be "${retention}" (audit.retentionDays of this environment)`,
        },
      ],
    });
  }
  if (ctx.env.supplyChain.requireSbom) {
    const key = `${ctx.env.supplyChain.sbomAnnotationPrefix}/sbom-sha256`;
    defs.push({
      name: 'require-sbom-annotation',
      title: 'Require SBOM Annotation',
      category: 'Supply Chain',
      severity: 'medium',
      description: `Workloads and their pod templates carry ${key}, the sha256 of the image's SBOM, written by the release pipeline.`,
      match: { resources: PolicyResource.WORKLOADS },
      variables: [
        { name: 'own', expression: 'object.metadata.?annotations.orValue({})' },
        {
          name: 'template',
          expression:
            "object.kind == 'Pod' ? object.metadata.?annotations.orValue({}) : object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template.metadata.?annotations.orValue({}) : object.spec.template.metadata.?annotations.orValue({})",
        },
      ],
      validations: [
        {
          name: 'workload-annotation',
          expression: `'${key}' in variables.own && variables.own['${key}'].matches('${SHA256_HEX}')`,
          message: `annotation ${key} must be the 64-hex sha256 of the image SBOM on the object's metadata; the release pipeline writes it`,
        },
        {
          name: 'pod-template-annotation',
          expression: `'${key}' in variables.template && variables.template['${key}'].matches('${SHA256_HEX}')`,
          message: `annotation ${key} must be the 64-hex sha256 of the image SBOM on the pod template's metadata; the release pipeline writes it`,
        },
      ],
    });
  }
  return defs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Adds the platform's admission policies under `scope`, each in the mode the environment gives it
 * (`policies.modes[name]`, else `policies.defaultMode`). A mode for a policy that does not exist is
 * an error (a typo would otherwise silently leave the default in force).
 */
export function platformPolicies(scope: Construct, ctx: EnvironmentContext, options: PlatformPoliciesOptions): PlatformPolicies {
  const root = new Construct(scope, 'policies');
  const defs = definitions(ctx, options);
  const names = new Set(defs.map((d) => d.name));
  const unknown = Object.keys(ctx.env.policies.modes).filter((n) => !names.has(n)).sort();
  if (unknown.length > 0) {
    throw new LockstepError(
      unknown.map((n) => ({
        file: ctx.file,
        pointer: `/policies/modes/${n}`,
        message: `no policy named "${n}" in the platform for stage ${ctx.stage}`,
        fix: `remove it or use one of: ${[...names].sort().join(', ')}`,
      })),
    );
  }
  const policies = defs.map((def) => {
    const mode: PolicyMode = ctx.env.policies.modes[def.name] ?? ctx.env.policies.defaultMode;
    return new AdmissionPolicy(root, def.name, { ...def, mode, legacyClusterPolicy: ctx.env.policies.legacyClusterPolicy });
  });
  return { policies };
}
