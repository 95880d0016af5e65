/**
 * The cdk8s-plus baseline: the same platform written with cdk8s-plus-28's L2 constructs in one
 * Chart (the linear layout, performance-baseline.md §3) and synthesized with `app.synthYaml()`.
 * ResourceQuota and LimitRange use the L1 classes cdk8s-plus re-exports (it has no L2 for them);
 * the admission policies are `ApiObject`s with the rendered JSON (there is no construct for them).
 *
 * The objects are the same ones (kinds, namespaces, names) with the same intent; cdk8s-plus's own
 * defaults make some fields differ (e.g. numeric targetPort, its DNS and restart defaults).
 */
import { ApiObject, App, Chart, Size, type ApiObjectProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { KubeJson } from '../k8s/objects.ts';
import { BENCH_DOMAIN, EXTERNAL_PORT, GATEWAY_PORT, benchNamespaceLabels, type BenchSpec, type BenchWorkload } from './spec.ts';

const MANAGED = { 'app.kubernetes.io/managed-by': 'lockstep' };
const EXTERNAL_EXCEPT = ['10.0.0.0/8', '100.64.0.0/10', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'];

function selector(w: BenchWorkload): Record<string, string> {
  return { 'app.kubernetes.io/instance': `${w.namespace}.${w.name}`, 'app.kubernetes.io/name': w.name };
}

function namespaceScope(chart: Chart, name: string): Construct {
  const scope = new Construct(chart, name);
  new kplus.Namespace(scope, 'Namespace', {
    metadata: {
      name,
      labels: benchNamespaceLabels(name),
    },
  });
  const all = kplus.Pods.all(scope, 'AllPods');
  new kplus.NetworkPolicy(scope, 'DefaultDeny', {
    metadata: { name: 'default-deny', namespace: name, labels: { ...MANAGED } },
    selector: all,
    ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
  });
  const dns = kplus.Pods.select(scope, 'Dns', { labels: { 'k8s-app': 'kube-dns' }, namespaces: kplus.Namespaces.select(scope, 'KubeSystem', { names: ['kube-system'] }) });
  const allowDns = new kplus.NetworkPolicy(scope, 'AllowDns', { metadata: { name: 'allow-dns', namespace: name, labels: { ...MANAGED } }, selector: all });
  allowDns.addEgressRule(dns, [kplus.NetworkPolicyPort.udp(53), kplus.NetworkPolicyPort.tcp(53)]);
  new kplus.k8s.KubeResourceQuota(scope, 'ResourceQuota', {
    metadata: { name: 'compute', namespace: name, labels: { ...MANAGED } },
    spec: {
      hard: {
        'limits.cpu': kplus.k8s.Quantity.fromString('8'),
        'limits.memory': kplus.k8s.Quantity.fromString('16Gi'),
        pods: kplus.k8s.Quantity.fromString('50'),
        'requests.cpu': kplus.k8s.Quantity.fromString('4'),
        'requests.memory': kplus.k8s.Quantity.fromString('8Gi'),
      },
    },
  });
  new kplus.k8s.KubeLimitRange(scope, 'LimitRange', {
    metadata: { name: 'container-defaults', namespace: name, labels: { ...MANAGED } },
    spec: {
      limits: [
        {
          type: 'Container',
          default: { cpu: kplus.k8s.Quantity.fromString('500m'), memory: kplus.k8s.Quantity.fromString('512Mi') },
          defaultRequest: { cpu: kplus.k8s.Quantity.fromString('100m'), memory: kplus.k8s.Quantity.fromString('128Mi') },
        },
      ],
    },
  });
  return scope;
}

interface Workload {
  readonly deployment: kplus.Deployment;
  readonly policy: kplus.NetworkPolicy;
}

function workload(scope: Construct, spec: BenchSpec, w: BenchWorkload, settings: kplus.IConfigMap, gateway: Workload | undefined): Workload {
  const ns = w.namespace;
  const sel = selector(w);
  const podLabels = { ...sel, 'app.kubernetes.io/component': w.gateway ? 'gateway' : 'agent', ...MANAGED, 'app.kubernetes.io/part-of': 'bench' };
  const annotations = { [`${BENCH_DOMAIN}/sbom-format`]: 'cyclonedx-json@1.6', [`${BENCH_DOMAIN}/sbom-packages`]: '42', [`${BENCH_DOMAIN}/sbom-sha256`]: spec.sbomSha256 };
  const id = w.name;
  const sa = new kplus.ServiceAccount(scope, `${id}-sa`, { metadata: { name: w.name, namespace: ns, labels: { ...sel, ...MANAGED } }, automountToken: false });
  const token = kplus.Secret.fromSecretName(scope, `${id}-token`, `${w.name}-token`);
  const deployment = new kplus.Deployment(scope, id, {
    metadata: { name: w.name, namespace: ns, labels: { ...podLabels }, annotations: { ...annotations } },
    replicas: 2,
    select: false,
    podMetadata: { labels: { ...podLabels }, annotations: { ...annotations } },
    serviceAccount: sa,
    automountServiceAccountToken: false,
    securityContext: { ensureNonRoot: true },
    containers: [
      {
        name: 'agent',
        image: spec.image,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        ports: [{ name: 'http', number: GATEWAY_PORT }],
        resources: { cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(512) } },
        securityContext: {
          ensureNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          privileged: false,
          capabilities: { drop: [kplus.Capability.ALL] },
          seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
        },
        envVariables: {
          API_TOKEN: kplus.EnvValue.fromSecretValue({ secret: token, key: 'token' }),
          LOG_LEVEL: kplus.EnvValue.fromConfigMap(settings, 'log-level'),
          POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
        },
        startup: kplus.Probe.fromHttpGet('/healthz', { port: GATEWAY_PORT }),
      },
    ],
  });
  deployment.select(kplus.LabelSelector.of({ labels: sel }));
  const agent = deployment.containers[0]!;
  for (const [name, path, size] of [
    ['tmp', '/tmp', 256],
    ['home', '/home/agent', 256],
    ['cache', '/var/cache/agent', 1024],
  ] as const) {
    agent.mount(path, kplus.Volume.fromEmptyDir(scope, `${id}-${name}`, name, { sizeLimit: Size.mebibytes(size) }));
  }
  new kplus.Service(scope, `${id}-svc`, { metadata: { name: w.name, namespace: ns, labels: { ...sel, ...MANAGED } }, selector: deployment, ports: [{ name: 'http', port: GATEWAY_PORT, targetPort: GATEWAY_PORT }] });
  const policy = new kplus.NetworkPolicy(scope, `${id}-np`, { metadata: { name: w.name, namespace: ns, labels: { ...MANAGED } }, selector: deployment });
  if (gateway) {
    policy.addEgressRule(gateway.deployment, [kplus.NetworkPolicyPort.tcp(GATEWAY_PORT)]);
    gateway.policy.addIngressRule(deployment, [kplus.NetworkPolicyPort.tcp(GATEWAY_PORT)]);
  }
  policy.addEgressRule(kplus.NetworkPolicyIpBlock.ipv4(scope, `${id}-external`, '0.0.0.0/0', [...EXTERNAL_EXCEPT]), [kplus.NetworkPolicyPort.tcp(EXTERNAL_PORT)]);
  const role = new kplus.Role(scope, `${id}-role`, { metadata: { name: `${w.name}-access`, namespace: ns, labels: { ...MANAGED } } });
  role.allowRead(kplus.ApiResource.CONFIG_MAPS);
  role.allow(['get'], token);
  const binding = new kplus.RoleBinding(scope, `${id}-binding`, { metadata: { name: `${w.name}-access`, namespace: ns, labels: { ...MANAGED } }, role });
  binding.addSubjects(sa);
  return { deployment, policy };
}

/** Builds the cdk8s-plus tree: one App, one Chart, namespaces as plain construct scopes. */
export function buildCdk8sPlusApp(spec: BenchSpec, policies: readonly KubeJson[]): App {
  const app = new App();
  const chart = new Chart(app, 'bench', { disableResourceNameHashes: true });
  for (const n of spec.namespaces) {
    const scope = namespaceScope(chart, n.name);
    const settings = kplus.ConfigMap.fromConfigMapName(scope, 'agent-settings', 'agent-settings');
    let gateway: Workload | undefined;
    for (const w of n.workloads) {
      const built = workload(scope, spec, w, settings, gateway);
      if (w.gateway) gateway = built;
    }
  }
  const policyScope = new Construct(chart, 'policies');
  for (const p of policies) new ApiObject(policyScope, String(p.metadata.name), structuredClone(p) as ApiObjectProps);
  return app;
}
