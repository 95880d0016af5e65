/**
 * The floor: the same objects Lockstep renders, built directly as plain data, serialized with
 * `JSON.stringify` and written as the same number of files. It is the cost of producing and
 * storing the data at all; Lockstep's synth is measured against it.
 *
 * The builders below mirror the constructs' output field by field on purpose — that is what a
 * floor is. `test/bench/floor.test.ts` checks they stay equal to Lockstep's rendering.
 */
import { writeFilesSync } from '../util/atomic.ts';
import type { FsWorkers } from '../util/fs-workers.ts';
import type { KubeJson } from '../k8s/objects.ts';
import { manifestPath } from '../synth/layout.ts';
import { BENCH_DOMAIN, EXTERNAL_PORT, GATEWAY_PORT, benchNamespaceLabels, type BenchSpec, type BenchWorkload } from './spec.ts';

const MANAGED = { 'app.kubernetes.io/managed-by': 'lockstep' };
const EXTERNAL_EXCEPT = ['10.0.0.0/8', '100.64.0.0/10', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'];

function selector(w: BenchWorkload): Record<string, string> {
  return { 'app.kubernetes.io/instance': `${w.namespace}.${w.name}`, 'app.kubernetes.io/name': w.name };
}

function namespaceObjects(name: string): KubeJson[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        labels: benchNamespaceLabels(name),
        name,
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { labels: { ...MANAGED }, name: 'default-deny', namespace: name },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { labels: { ...MANAGED }, name: 'allow-dns', namespace: name },
      spec: {
        egress: [
          {
            ports: [
              { port: 53, protocol: 'UDP' },
              { port: 53, protocol: 'TCP' },
            ],
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          },
        ],
        podSelector: {},
        policyTypes: ['Egress'],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { labels: { ...MANAGED }, name: 'compute', namespace: name },
      spec: { hard: { 'limits.cpu': '8', 'limits.memory': '16Gi', pods: '50', 'requests.cpu': '4', 'requests.memory': '8Gi' } },
    },
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { labels: { ...MANAGED }, name: 'container-defaults', namespace: name },
      spec: { limits: [{ default: { cpu: '500m', memory: '512Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' }, type: 'Container' }] },
    },
  ];
}

function workloadObjects(spec: BenchSpec, w: BenchWorkload, gateway: BenchWorkload, callers: readonly BenchWorkload[]): KubeJson[] {
  const ns = w.namespace;
  const sel = selector(w);
  const podLabels = {
    'app.kubernetes.io/component': w.gateway ? 'gateway' : 'agent',
    'app.kubernetes.io/instance': sel['app.kubernetes.io/instance'],
    'app.kubernetes.io/managed-by': 'lockstep',
    'app.kubernetes.io/name': w.name,
    'app.kubernetes.io/part-of': 'bench',
  };
  const annotations = { [`${BENCH_DOMAIN}/sbom-format`]: 'cyclonedx-json@1.6', [`${BENCH_DOMAIN}/sbom-packages`]: '42', [`${BENCH_DOMAIN}/sbom-sha256`]: spec.sbomSha256 };
  const mounts = [
    { mountPath: '/tmp', name: 'tmp', readOnly: false },
    { mountPath: '/home/agent', name: 'home', readOnly: false },
    { mountPath: '/var/cache/agent', name: 'cache', readOnly: false },
  ];
  const external = { ports: [{ port: EXTERNAL_PORT, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [...EXTERNAL_EXCEPT] } }] };
  const toGateway = { ports: [{ port: GATEWAY_PORT, protocol: 'TCP' }], to: [{ podSelector: { matchLabels: selector(gateway) } }] };
  const role = `${w.name}-access`;
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { labels: { 'app.kubernetes.io/instance': sel['app.kubernetes.io/instance'], 'app.kubernetes.io/managed-by': 'lockstep', 'app.kubernetes.io/name': w.name }, name: w.name, namespace: ns },
      automountServiceAccountToken: false,
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { annotations: { ...annotations }, labels: { ...podLabels }, name: w.name, namespace: ns },
      spec: {
        replicas: 2,
        revisionHistoryLimit: 5,
        selector: { matchLabels: { ...sel } },
        strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 }, type: 'RollingUpdate' },
        template: {
          metadata: { annotations: { ...annotations }, labels: { ...podLabels } },
          spec: {
            automountServiceAccountToken: false,
            containers: [
              {
                env: [
                  { name: 'API_TOKEN', valueFrom: { secretKeyRef: { key: 'token', name: `${w.name}-token` } } },
                  { name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { key: 'log-level', name: 'agent-settings' } } },
                  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                ],
                image: spec.image,
                imagePullPolicy: 'IfNotPresent',
                name: 'agent',
                ports: [{ containerPort: GATEWAY_PORT, name: 'http', protocol: 'TCP' }],
                resources: { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  capabilities: { drop: ['ALL'] },
                  privileged: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                startupProbe: { failureThreshold: 3, httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
                volumeMounts: mounts,
              },
            ],
            enableServiceLinks: false,
            hostIPC: false,
            hostNetwork: false,
            hostPID: false,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            serviceAccountName: w.name,
            terminationGracePeriodSeconds: 30,
            volumes: [
              { emptyDir: { sizeLimit: '256Mi' }, name: 'tmp' },
              { emptyDir: { sizeLimit: '256Mi' }, name: 'home' },
              { emptyDir: { sizeLimit: '1Gi' }, name: 'cache' },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { labels: { 'app.kubernetes.io/instance': sel['app.kubernetes.io/instance'], 'app.kubernetes.io/managed-by': 'lockstep', 'app.kubernetes.io/name': w.name }, name: w.name, namespace: ns },
      spec: { ports: [{ name: 'http', port: GATEWAY_PORT, protocol: 'TCP', targetPort: 'http' }], selector: { ...sel }, type: 'ClusterIP' },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { labels: { ...MANAGED }, name: w.name, namespace: ns },
      spec: {
        egress: w.gateway ? [external] : [toGateway, external],
        ...(callers.length > 0 ? { ingress: callers.map((c) => ({ from: [{ podSelector: { matchLabels: selector(c) } }], ports: [{ port: GATEWAY_PORT, protocol: 'TCP' }] })) } : {}),
        podSelector: { matchLabels: { ...sel } },
        policyTypes: callers.length > 0 ? ['Ingress', 'Egress'] : ['Egress'],
      },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { labels: { ...MANAGED }, name: role, namespace: ns },
      rules: [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resourceNames: [`${w.name}-token`], resources: ['secrets'], verbs: ['get'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { labels: { ...MANAGED }, name: role, namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role },
      subjects: [{ kind: 'ServiceAccount', name: w.name, namespace: ns }],
    },
  ];
}

/**
 * Every object of the platform as plain data. `policies` are the platform's admission policies as
 * rendered JSON (a dozen objects whatever N is); they are deep-copied, not rebuilt, so the floor does
 * not re-implement the policy generator.
 */
export function buildPlainObjects(spec: BenchSpec, policies: readonly KubeJson[]): KubeJson[] {
  const out: KubeJson[] = [];
  for (const n of spec.namespaces) {
    out.push(...namespaceObjects(n.name));
    const gateway = n.workloads[0]!;
    for (const w of n.workloads) out.push(...workloadObjects(spec, w, gateway, w.gateway ? n.workloads.slice(1) : []));
  }
  for (const p of policies) out.push(structuredClone(p));
  return out;
}

/** One JSON text per object, keyed by the path Lockstep writes it to. */
export function serializePlain(objects: readonly KubeJson[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const o of objects) files.set(manifestPath(o), JSON.stringify(o));
  return files;
}

/**
 * Writes `files` under `dir` (which must not exist yet) with the writer `replaceDirectory` uses for
 * new files (`FsWorkers.writeFiles` when given threads, else `writeFilesSync`: one mkdir per
 * directory, one synchronous write per file), so the floor and Lockstep store files the same way;
 * only the staging directory and renames differ.
 */
export async function writePlainFiles(dir: string, files: ReadonlyMap<string, string>, workers?: FsWorkers): Promise<void> {
  if (workers) await workers.writeFiles(dir, [...files]);
  else writeFilesSync(dir, files);
}
