/** Small inline Kubernetes objects for the report's unit tests (no files from ../shared). */
import type { KubeJson } from '../../../src/k8s/objects.ts';

export function namespace(name: string, labels: Record<string, string> = {}): KubeJson {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } };
}

export function deployment(ns: string, name: string, options: { labels?: Record<string, string>; ports?: { name: string; containerPort: number; protocol?: string }[] } = {}): KubeJson {
  const labels = options.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: `example.com/${name}@sha256:${'a'.repeat(64)}`, ...(options.ports ? { ports: options.ports } : {}) }] } },
    },
  };
}

export function networkPolicy(ns: string, name: string, spec: KubeJson): KubeJson {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

export const defaultDeny = (ns: string) => networkPolicy(ns, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

export const allowDns = (ns: string) =>
  networkPolicy(ns, 'allow-dns', {
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
      },
    ],
  });

/** `peer` in namespace `ns` with pod labels `labels`. */
export const peer = (ns: string, labels: Record<string, string>) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } }, podSelector: { matchLabels: labels } });

/** api → db on 5432, both sides declared; api → 203.0.113.0/24:443; DNS everywhere. */
export function twoTier(): KubeJson[] {
  return [
    namespace('app'),
    namespace('data'),
    deployment('app', 'api'),
    deployment('data', 'db', { ports: [{ name: 'postgres', containerPort: 5432 }] }),
    defaultDeny('app'),
    defaultDeny('data'),
    allowDns('app'),
    allowDns('data'),
    networkPolicy('app', 'api', {
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Egress'],
      egress: [
        { to: [peer('data', { app: 'db' })], ports: [{ port: 5432, protocol: 'TCP' }] },
        { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 443, protocol: 'TCP' }] },
      ],
    }),
    networkPolicy('data', 'db', {
      podSelector: { matchLabels: { app: 'db' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [peer('app', { app: 'api' })], ports: [{ port: 'postgres', protocol: 'TCP' }] }],
    }),
  ];
}

/** A policy-report.yaml as `lockstep check` writes it: one pass, one fail, one warn, one skip. */
export const POLICY_REPORT = `---
apiVersion: wgpolicyk8s.io/v1alpha2
kind: ClusterPolicyReport
metadata:
  name: lockstep-dev
results:
  - policy: require-labels
    rule: check-labels
    result: pass
    resources:
      - { apiVersion: v1, kind: Namespace, name: app }
summary: { pass: 1, fail: 0, warn: 0, error: 0, skip: 0 }
---
apiVersion: wgpolicyk8s.io/v1alpha2
kind: PolicyReport
metadata:
  name: lockstep-dev
  namespace: app
results:
  - policy: disallow-latest-tag
    rule: require-image-tag
    result: warn
    message: an image tag is required
    resources:
      - { apiVersion: apps/v1, kind: Deployment, name: api, namespace: app }
  - policy: require-limits
    rule: limits
    result: fail
    message: memory limit is required
    severity: medium
    properties: { constructPath: dev/app/api/Deployment }
    resources:
      - { apiVersion: apps/v1, kind: Deployment, name: api, namespace: app }
  - policy: require-limits
    rule: limits
    result: pass
    resources:
      - { apiVersion: apps/v1, kind: Deployment, name: worker, namespace: app }
  - policy: require-limits
    rule: limits
    result: skip
    resources:
      - { apiVersion: batch/v1, kind: Job, name: once, namespace: app }
`;

/**
 * A scratch repository with `dist/<env>/manifests/**` (one object per file) and `objects.json`,
 * as synth writes them, for the objects of twoTier(), in a new temporary root or in `into`.
 * Returns the root.
 */
export async function scratchDist(env = 'dev', objects: KubeJson[] = twoTier(), into?: string): Promise<string> {
  const { mkdtemp, mkdir, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { dirname, join } = await import('node:path');
  const { stringify } = await import('yaml');
  const root = into ?? (await mkdtemp(join(tmpdir(), 'lockstep-report-')));
  const index: KubeJson[] = [];
  for (const o of objects) {
    const path = `manifests/${o.metadata.namespace ?? '_cluster'}/${String(o.kind).toLowerCase()}_${o.metadata.name}.yaml`;
    await mkdir(dirname(join(root, 'dist', env, path)), { recursive: true });
    await writeFile(join(root, 'dist', env, path), stringify(o));
    index.push({ path, kind: o.kind, name: o.metadata.name, constructPath: `${env}/${o.metadata.namespace ?? 'cluster'}/${o.metadata.name}/${o.kind}` });
  }
  await writeFile(join(root, 'dist', env, 'objects.json'), JSON.stringify({ environment: env, objects: index }, null, 2));
  return root;
}
