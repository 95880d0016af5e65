/**
 * kgents (K-Terrarium / K8-gents): agents by genus with an optional memory sidecar and an allowed
 * peer graph.
 *
 * Corrections to the seed (seed-systems.md §6.3): peers can really connect (the seed emitted only
 * egress while the namespace denied ingress); an agent without egress keeps DNS (the seed's
 * `egress: []` cut it); the `d-gent` sidecar gets the same restricted context as the agent (the
 * seed's was writable and kept all capabilities); Deployments are named per agent, not per genus,
 * so two agents of one genus no longer collide; the Service targets a declared container port.
 */
import { Construct } from 'constructs';
import { AgentWorkload, NetworkPort, Probe, TenantNamespace } from '../../constructs/index.ts';
import type { EnvironmentContext } from './context.ts';

interface AgentSpec {
  readonly name: string;
  readonly genus: string;
  readonly sidecar: boolean;
  /** Agents this one calls on port 8080. */
  readonly peers: readonly string[];
  /** Whether the agent calls the LLM providers. */
  readonly external: boolean;
}

const AGENTS: readonly AgentSpec[] = [
  { name: 'planner', genus: 'P', sidecar: true, peers: ['summarizer', 'critic'], external: true },
  { name: 'summarizer', genus: 'S', sidecar: false, peers: [], external: true },
  { name: 'critic', genus: 'C', sidecar: true, peers: ['summarizer'], external: false },
];

export function kgents(scope: Construct, ctx: EnvironmentContext): { namespace: TenantNamespace; agents: Record<string, AgentWorkload> } {
  const root = new Construct(scope, 'kgents');
  const ns = new TenantNamespace(root, 'kgents-agents', { layer: 'agents', tier: 'agents', labels: { 'kgents.io/tier': 'agents' } });
  const agents: Record<string, AgentWorkload> = {};
  for (const a of AGENTS) {
    agents[a.name] = new AgentWorkload(ns, a.name, {
      component: 'agent',
      partOf: 'kgents',
      labels: { 'kgents.io/genus': a.genus },
      replicas: ctx.replicas(a.name, 1),
      config: { KGENTS_GENUS: a.genus, KGENTS_STATE_PATH: '/state', LLM_GATEWAY_URL: ctx.endpoint('llmGateway') },
      writableDirectories: [
        { name: 'state', path: '/state', sizeLimit: '1Gi' },
        { name: 'tmp', path: '/tmp', sizeLimit: '256Mi' },
      ],
      container: {
        name: 'logic',
        image: ctx.image('kgents-agent'),
        resources: ctx.resources(a.name, { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } }),
        ports: [{ name: 'http', port: 8080 }],
        readiness: Probe.http('/health', 'http'),
      },
      ...(a.sidecar
        ? {
            sidecars: [
              {
                name: 'd-gent',
                image: ctx.image('kgents-dgent'),
                resources: { requests: { cpu: '25m', memory: '64Mi' }, limits: { cpu: '50m', memory: '128Mi' } },
              },
            ],
          }
        : {}),
    });
  }
  for (const a of AGENTS) {
    for (const peer of a.peers) agents[a.name]!.connections.allowTo(agents[peer]!, [NetworkPort.tcp(8080)]);
    if (a.external) for (const cidr of ctx.egress('llmProviders')) agents[a.name]!.connections.allowExternal([NetworkPort.tcp(443)], { cidr });
  }
  return { namespace: ns, agents };
}
