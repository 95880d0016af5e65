/**
 * The synthetic platform every benchmark approach builds: `agents` workloads spread over
 * ceil(agents / 50) tenant namespaces. The first workload of each namespace is its `gateway`; the
 * others call it on 8080. Every workload also calls external APIs on 443 and reads ConfigMaps.
 *
 * The spec is plain data so Lockstep's constructs, the plain-data floor and cdk8s-plus build the
 * same objects from the same names (performance-baseline.md, "Synthetic platform").
 */
import { createHash } from 'node:crypto';
import { UsageError } from '../util/errors.ts';

export const AGENTS_PER_NAMESPACE = 50;
export const GATEWAY_NAME = 'gateway';
export const GATEWAY_PORT = 8080;
export const EXTERNAL_PORT = 443;
/** Annotation domain of the SBOM and audit labels. */
export const BENCH_DOMAIN = 'lockstep.dev';
export const BENCH_ENVIRONMENT = 'bench';

export interface BenchWorkload {
  readonly namespace: string;
  readonly name: string;
  /** The namespace's gateway: every other workload of the namespace calls it. */
  readonly gateway: boolean;
  /** Replicas (the agent catalog's value; 2 unless the incremental measurement changed it). */
  readonly replicas: number;
}

export interface BenchNamespace {
  readonly name: string;
  /** The gateway first, then the agents. */
  readonly workloads: readonly BenchWorkload[];
}

export interface BenchSpec {
  readonly agents: number;
  readonly namespaces: readonly BenchNamespace[];
  /** The image every workload runs, pinned by digest. */
  readonly image: string;
  /** sha256 of the image's SBOM file (synthetic). */
  readonly sbomSha256: string;
}

function hex(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/** Deterministic: the same `agents` gives the same spec. */
export function benchSpec(agents: number): BenchSpec {
  if (!Number.isInteger(agents) || agents < 1) {
    throw new UsageError(`--agents must be a whole number ≥ 1, got ${JSON.stringify(agents)}`, 'pass e.g. --agents 1000');
  }
  const namespaces: BenchNamespace[] = [];
  const count = Math.ceil(agents / AGENTS_PER_NAMESPACE);
  const width = Math.max(4, String(count).length);
  const agentWidth = Math.max(5, String(agents).length);
  for (let n = 0; n < count; n++) {
    const name = `tenant-${String(n + 1).padStart(width, '0')}`;
    const workloads: BenchWorkload[] = [];
    const first = n * AGENTS_PER_NAMESPACE;
    const last = Math.min(agents, first + AGENTS_PER_NAMESPACE);
    for (let i = first; i < last; i++) {
      const gateway = i === first;
      workloads.push({ namespace: name, name: gateway ? GATEWAY_NAME : `agent-${String(i).padStart(agentWidth, '0')}`, gateway, replicas: 2 });
    }
    namespaces.push({ name, workloads });
  }
  return {
    agents,
    namespaces,
    image: `registry.example.com/bench/agent:1.0.0@sha256:${hex('lockstep-bench-image')}`,
    sbomSha256: hex('lockstep-bench-sbom'),
  };
}

/** Objects each namespace renders: Namespace, two NetworkPolicies (default-deny, DNS), ResourceQuota, LimitRange. */
export const OBJECTS_PER_NAMESPACE = 5;
/** Objects each workload renders: Deployment, Service, ServiceAccount, NetworkPolicy, Role, RoleBinding. */
export const OBJECTS_PER_WORKLOAD = 6;

/**
 * Objects by kind for `agents` workloads, without the platform's admission policies (their number
 * depends on the policy set, not on N).
 */
export function expectedKinds(agents: number): Record<string, number> {
  const namespaces = benchSpec(agents).namespaces.length;
  return {
    Deployment: agents,
    LimitRange: namespaces,
    Namespace: namespaces,
    NetworkPolicy: agents + 2 * namespaces,
    ResourceQuota: namespaces,
    Role: agents,
    RoleBinding: agents,
    Service: agents,
    ServiceAccount: agents,
  };
}

/** Objects by kind, keys sorted. */
export function countKinds(objects: readonly { readonly kind?: unknown }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of objects) {
    const k = String(o.kind);
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Labels of a bench tenant namespace, keys sorted: what TenantNamespace writes for the bench's props. */
export function benchNamespaceLabels(name: string): Record<string, string> {
  return {
    'app.kubernetes.io/managed-by': 'lockstep',
    [`audit.${BENCH_DOMAIN}/enabled`]: 'true',
    [`audit.${BENCH_DOMAIN}/retention`]: '365d',
    'kubernetes.io/metadata.name': name,
    'lockstep.dev/isolation': 'standard',
    'lockstep.dev/layer': 'agents',
    'lockstep.dev/tier': 'agents',
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/audit-version': 'v1.28',
    'pod-security.kubernetes.io/enforce': 'restricted',
    'pod-security.kubernetes.io/enforce-version': 'v1.28',
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/warn-version': 'v1.28',
  };
}
