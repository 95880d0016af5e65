/**
 * The allowed-flows graph of one rendering, from its NetworkPolicies: workloads as nodes grouped by
 * namespace, an edge where the source may send (its egress policies allow it, or it is not
 * isolated for egress) and the destination may receive (likewise for ingress) on the rule's ports.
 * Peers outside the rendering (other namespaces, address blocks) become their own nodes; address
 * blocks are marked external.
 */
import { podTemplateOf, type KubeJson } from '../../k8s/objects.ts';
import { matchesSelector, type LabelSelector } from '../../k8s/selectors.ts';
import { describePeer, describePort, policyTypes, type Direction } from './classify/network.ts';

export interface GraphNode {
  readonly id: string;
  readonly label: string;
  /** Namespace of a workload node; undefined for peers outside the rendering. */
  readonly namespace?: string;
  /** An address block (egress to or ingress from outside the cluster). */
  readonly external: boolean;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** Ports, e.g. `TCP/8080`, sorted. */
  readonly ports: readonly string[];
  readonly external: boolean;
}

export interface NetworkGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** Flows left out on purpose (DNS), for the caption. */
  readonly omitted: readonly string[];
}

interface Workload {
  readonly id: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'ReplicaSet'];

function nodeId(...parts: string[]): string {
  return parts.join('_').replace(/[^A-Za-z0-9]/g, '_');
}

function isDns(ports: readonly KubeJson[]): boolean {
  return ports.length > 0 && ports.every((p) => Number(p.port) === 53);
}

export function networkGraph(objects: readonly KubeJson[], options: { hideDns?: boolean } = {}): NetworkGraph {
  const namespaces = new Map<string, Record<string, string>>();
  for (const o of objects) {
    if (o.kind === 'Namespace') namespaces.set(String(o.metadata?.name), { 'kubernetes.io/metadata.name': String(o.metadata?.name), ...(o.metadata?.labels ?? {}) });
  }
  const workloads: Workload[] = [];
  for (const o of objects) {
    if (!WORKLOAD_KINDS.includes(String(o.kind))) continue;
    const tpl = podTemplateOf(o);
    const ns = o.metadata?.namespace as string | undefined;
    if (!tpl || !ns) continue;
    workloads.push({ id: nodeId('w', ns, String(o.metadata?.name)), name: String(o.metadata?.name), namespace: ns, labels: tpl.labels });
  }
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata?.namespace);
  const selecting = (w: Workload, d: Direction) =>
    policies.filter((p) => p.metadata.namespace === w.namespace && policyTypes(p).includes(d) && matchesSelector(w.labels, p.spec?.podSelector as LabelSelector | undefined));

  const nsLabels = (ns: string) => namespaces.get(ns) ?? { 'kubernetes.io/metadata.name': ns };
  /** Whether `peer` of a policy in `policyNs` names workload `w`. */
  const peerMatches = (peer: KubeJson | undefined, policyNs: string, w: Workload): boolean => {
    if (!peer) return true;
    if (peer.ipBlock) return false;
    const nsOk = peer.namespaceSelector ? matchesSelector(nsLabels(w.namespace), peer.namespaceSelector) : w.namespace === policyNs;
    return nsOk && matchesSelector(w.labels, peer.podSelector as LabelSelector | undefined);
  };
  const allows = (w: Workload, d: Direction, other: Workload): boolean => {
    const ps = selecting(w, d);
    if (ps.length === 0) return true;
    const key = d === 'ingress' ? 'from' : 'to';
    return ps.some((p) => ((p.spec?.[d] as KubeJson[] | undefined) ?? []).some((r) => {
      const peers = (r[key] as KubeJson[] | undefined) ?? [];
      return peers.length === 0 || peers.some((peer) => peerMatches(peer, p.metadata.namespace, other));
    }));
  };

  const nodes = new Map<string, GraphNode>();
  for (const w of workloads) nodes.set(w.id, { id: w.id, label: w.name, namespace: w.namespace, external: false });
  const edges = new Map<string, { from: string; to: string; ports: Set<string>; external: boolean }>();
  const omitted = new Set<string>();
  const addEdge = (from: string, to: string, ports: readonly KubeJson[], external: boolean) => {
    const key = `${from}\u0000${to}`;
    const e = edges.get(key) ?? { from, to, ports: new Set<string>(), external };
    for (const p of ports.length ? ports : [undefined]) e.ports.add(describePort(p));
    edges.set(key, e);
  };
  /** A node for a peer that is not a rendered workload. */
  const outsideNode = (peer: KubeJson | undefined): string | undefined => {
    if (!peer) {
      const id = 'anywhere';
      nodes.set(id, { id, label: 'any peer', external: true });
      return id;
    }
    if (peer.ipBlock) {
      const id = nodeId('ext', describePeer(peer));
      nodes.set(id, { id, label: describePeer(peer), external: true });
      return id;
    }
    const sel = peer.namespaceSelector as KubeJson | undefined;
    const named = sel?.matchLabels?.['kubernetes.io/metadata.name'] as string | undefined;
    if (!sel || (named && namespaces.has(named)) || (!named && [...namespaces.values()].some((l) => matchesSelector(l, sel)))) return undefined;
    const label = `${named ?? describePeer({ namespaceSelector: sel })}${peer.podSelector ? `: ${describePeer({ podSelector: peer.podSelector }).replace(/ of its namespace$/, '')}` : ''}`;
    const id = nodeId('ns', label);
    nodes.set(id, { id, label, external: false });
    return id;
  };

  for (const w of workloads) {
    for (const d of ['egress', 'ingress'] as const) {
      const key = d === 'ingress' ? 'from' : 'to';
      for (const p of selecting(w, d)) {
        for (const r of (p.spec?.[d] as KubeJson[] | undefined) ?? []) {
          const ports = (r.ports as KubeJson[] | undefined) ?? [];
          const peers = (r[key] as KubeJson[] | undefined) ?? [];
          for (const peer of peers.length ? peers : [undefined]) {
            if (options.hideDns && isDns(ports) && !peer?.ipBlock) {
              omitted.add('DNS (port 53)');
              continue;
            }
            const targets = workloads.filter((o) => o !== w && peerMatches(peer, p.metadata.namespace, o));
            const otherSide = d === 'egress' ? 'ingress' : 'egress';
            for (const t of targets) {
              if (!allows(t, otherSide, w)) continue;
              if (d === 'egress') addEdge(w.id, t.id, ports, false);
              else addEdge(t.id, w.id, ports, false);
            }
            const outside = outsideNode(peer);
            if (outside) {
              const external = nodes.get(outside)!.external;
              if (d === 'egress') addEdge(w.id, outside, ports, external);
              else addEdge(outside, w.id, ports, external);
            }
          }
        }
      }
    }
  }
  const order = (n: GraphNode) => `${n.namespace ?? '~'}/${n.label}`;
  const sortedNodes = [...nodes.values()].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  const sortedEdges = [...edges.values()]
    .map((e) => ({ from: e.from, to: e.to, ports: [...e.ports].sort(), external: e.external }))
    .sort((a, b) => (a.from === b.from ? (a.to < b.to ? -1 : 1) : a.from < b.from ? -1 : 1));
  return { nodes: sortedNodes, edges: sortedEdges, omitted: [...omitted] };
}

function mermaidText(s: string): string {
  return s.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'));
}

/**
 * A Mermaid `flowchart LR`: namespaces as subgraphs, flows as edges labelled with ports, external
 * peers as stadium nodes with dotted edges. At most `maxEdges` edges; the rest are counted.
 */
export function mermaidFlowchart(graph: NetworkGraph, maxEdges = 150): { text: string; leftOut: number } {
  const edges = graph.edges.slice(0, maxEdges);
  const used = new Set(edges.flatMap((e) => [e.from, e.to]));
  const nodes = graph.nodes.filter((n) => used.has(n.id));
  const lines = ['flowchart LR'];
  const byNs = new Map<string, GraphNode[]>();
  for (const n of nodes) if (n.namespace) byNs.set(n.namespace, [...(byNs.get(n.namespace) ?? []), n]);
  for (const [ns, members] of byNs) {
    lines.push(`  subgraph ${nodeId('ns', ns, 'group')}["${mermaidText(ns)}"]`);
    for (const n of members) lines.push(`    ${n.id}["${mermaidText(n.label)}"]`);
    lines.push('  end');
  }
  for (const n of nodes) {
    if (n.namespace) continue;
    lines.push(n.external ? `  ${n.id}(["🌐 ${mermaidText(n.label)}"]):::external` : `  ${n.id}[("${mermaidText(n.label)}")]`);
  }
  for (const e of edges) lines.push(`  ${e.from} ${e.external ? '-.->' : '-->'}|"${mermaidText(e.ports.join(', '))}"| ${e.to}`);
  lines.push('  classDef external stroke-dasharray: 4 4,stroke:#d33');
  return { text: `${lines.join('\n')}\n`, leftOut: graph.edges.length - edges.length };
}
