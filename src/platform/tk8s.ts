/**
 * TK8S ("Thirsty's Kubernetes", Project-AI `k8s/tk8s`): eight namespaces by layer and isolation,
 * the sovereign core and the external-cognition service, memory, security, monitoring.
 *
 * Corrections to the seed (see ../shared/reference/seed-systems.md §6.2):
 * - every namespace has default-deny (project-ai-system had none) and DNS egress to kube-dns by
 *   `kubernetes.io/metadata.name`, not the `name=kube-system` label nobody sets;
 * - ECA egress is HTTPS to addresses *outside* the cluster (the seed's `namespaceSelector: {}`
 *   allowed every in-cluster pod and no external address), and it gets no token;
 * - the ServiceAccounts the Deployments use exist (the seed never created them), without tokens;
 * - no fixed UIDs (OpenShift restricted-v2), and flows are allowed on both sides.
 */
import { Construct } from 'constructs';
import { AgentWorkload, NetworkPort, Probe, TenantNamespace, type IsolationLevel } from '../../constructs/index.ts';
import type { EnvironmentContext } from './context.ts';

interface NamespaceSpec {
  readonly name: string;
  readonly layer: string;
  readonly isolation: IsolationLevel;
  readonly description: string;
  readonly extraLabels?: Record<string, string>;
}

const NAMESPACES: readonly NamespaceSpec[] = [
  { name: 'project-ai-system', layer: '1-kubernetes-core', isolation: 'high', description: 'Cluster-level services of the platform' },
  { name: 'project-ai-core', layer: '2-sovereign-services', isolation: 'standard', description: 'Sovereign core services' },
  { name: 'project-ai-memory', layer: '2-sovereign-services', isolation: 'standard', description: 'Memory and vector storage' },
  { name: 'project-ai-security', layer: '3-governance-security', isolation: 'high', description: 'Governance and security auditing' },
  { name: 'project-ai-eca', layer: '4-external-amplifiers', isolation: 'maximum', description: 'External cognition amplifiers: egress to external APIs only' },
  { name: 'project-ai-monitoring', layer: '5-observability-audit', isolation: 'standard', description: 'Observability and audit', extraLabels: { metrics: 'enabled' } },
  { name: 'project-ai-production', layer: '2-sovereign-services', isolation: 'high', description: 'Production tenant' },
  { name: 'project-ai-staging', layer: '2-sovereign-services', isolation: 'standard', description: 'Staging tenant' },
];

export interface Tk8s {
  readonly namespaces: Record<string, TenantNamespace>;
  readonly core: AgentWorkload;
  readonly eca: AgentWorkload;
  readonly memory: AgentWorkload;
  readonly monitor: AgentWorkload;
}

export function tk8s(scope: Construct, ctx: EnvironmentContext): Tk8s {
  const root = new Construct(scope, 'tk8s');
  const namespaces: Record<string, TenantNamespace> = {};
  for (const ns of NAMESPACES) {
    namespaces[ns.name] = new TenantNamespace(root, ns.name, {
      layer: ns.layer,
      isolation: ns.isolation,
      labels: {
        name: ns.name,
        'tk8s-layer': ns.layer,
        'security.tk8s.io/isolation': ns.isolation,
        'app.kubernetes.io/name': 'project-ai',
        'app.kubernetes.io/component': ns.name.replace('project-ai-', ''),
        environment: ctx.stage,
        ...ns.extraLabels,
      },
      annotations: { 'tk8s.io/description': ns.description },
      ...(ctx.env.audit.enabled ? { audit: { retentionDays: ctx.env.audit.retentionDays, labelDomain: 'audit.project-ai.io' } } : {}),
    });
  }
  const n = (name: string) => namespaces[name]!;
  const llm = ctx.egress('llmProviders');
  const gatewayConfig = { LLM_GATEWAY_URL: ctx.endpoint('llmGateway') };

  const memory = new AgentWorkload(n('project-ai-memory'), 'memory-store', {
    component: 'memory',
    partOf: 'project-ai',
    replicas: ctx.replicas('memory-store', 1),
    writableDirectories: [
      { name: 'tmp', path: '/tmp', sizeLimit: '512Mi' },
      { name: 'data', path: '/var/lib/memory', sizeLimit: '8Gi' },
      { name: 'run', path: '/var/run/memory', sizeLimit: '16Mi' },
    ],
    container: {
      image: ctx.image('project-ai-memory'),
      resources: ctx.resources('memory-store', { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '2Gi' } }),
      ports: [{ name: 'sql', port: 5432 }, { name: 'metrics', port: 9090 }],
      readiness: Probe.tcp('sql'),
    },
  });

  const core = new AgentWorkload(n('project-ai-core'), 'project-ai-core', {
    component: 'core',
    partOf: 'project-ai',
    replicas: ctx.replicas('project-ai-core', 3),
    config: gatewayConfig,
    writableDirectories: [
      { name: 'tmp', path: '/tmp', sizeLimit: '1Gi' },
      { name: 'logs', path: '/var/log/project-ai', sizeLimit: '5Gi' },
      { name: 'cache', path: '/var/cache/project-ai', sizeLimit: '2Gi' },
    ],
    container: {
      image: ctx.image('project-ai-core'),
      resources: ctx.resources('project-ai-core', { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } }),
      ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }],
      readiness: Probe.http('/healthz', 'http'),
      liveness: Probe.http('/healthz', 'http', { initialDelaySeconds: 10 }),
    },
  });

  const eca = new AgentWorkload(n('project-ai-eca'), 'project-ai-eca', {
    component: 'eca',
    partOf: 'project-ai',
    replicas: ctx.replicas('project-ai-eca', 2),
    spreadOverNodes: true,
    config: gatewayConfig,
    writableDirectories: [
      { name: 'tmp', path: '/tmp', sizeLimit: '512Mi' },
      { name: 'cache', path: '/var/cache/eca', sizeLimit: '1Gi' },
    ],
    container: {
      image: ctx.image('project-ai-eca'),
      resources: ctx.resources('project-ai-eca', { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '2Gi' } }),
      ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }],
      readiness: Probe.http('/healthz', 'http'),
    },
  });

  const auditor = new AgentWorkload(n('project-ai-security'), 'security-auditor', {
    component: 'security',
    partOf: 'project-ai',
    replicas: ctx.replicas('security-auditor', 1),
    container: {
      image: ctx.image('project-ai-security'),
      resources: ctx.resources('security-auditor', { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } }),
      ports: [{ name: 'metrics', port: 9090 }],
    },
  });

  const monitor = new AgentWorkload(n('project-ai-monitoring'), 'monitor', {
    component: 'monitoring',
    partOf: 'project-ai',
    replicas: ctx.replicas('monitor', 1),
    writableDirectories: [
      { name: 'tmp', path: '/tmp', sizeLimit: '256Mi' },
      { name: 'tsdb', path: '/var/lib/monitor', sizeLimit: '10Gi' },
    ],
    container: {
      image: ctx.image('project-ai-monitor'),
      resources: ctx.resources('monitor', { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '2Gi' } }),
      ports: [{ name: 'http', port: 9090 }],
    },
  });

  // Flows, each allowed on both sides (egress on the caller, ingress on the callee).
  core.connections.allowTo(memory, [NetworkPort.tcp(5432)]);
  core.connections.allowTo(eca, [NetworkPort.tcp(8080)]);
  auditor.connections.allowTo(core, [NetworkPort.tcp(8080)]);
  for (const target of [core, eca, memory, auditor]) monitor.connections.allowTo(target, [NetworkPort.tcp(9090)]);
  // External only: the LLM providers, never in-cluster addresses.
  for (const cidr of llm) {
    eca.connections.allowExternal([NetworkPort.tcp(443)], { cidr });
    core.connections.allowExternal([NetworkPort.tcp(443)], { cidr });
  }

  return { namespaces, core, eca, memory, monitor };
}
