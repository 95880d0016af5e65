/**
 * The network graph in the pull-request comment: a Mermaid rendering of the same flow graph the
 * HTML report draws (`computeFlowGraph`: a flow between two rendered workloads counts only when the
 * source's egress and the destination's ingress both allow it).
 */
import type { KubeJson } from '../../k8s/objects.ts';
import { computeFlowGraph, formatPorts, type FlowGraph, type FlowNode } from '../report/network.ts';

export interface MermaidOptions {
  /** Leave out DNS flows (port 53 to kube-system), which every namespace has. */
  readonly hideDns?: boolean;
  /** At most this many edges; the rest are counted in `leftOut`. @default 150 */
  readonly maxEdges?: number;
}

export interface MermaidChart {
  readonly text: string;
  /** Flows not drawn because of `maxEdges`. */
  readonly leftOut: number;
  /** Kinds of flows left out on purpose (e.g. DNS). */
  readonly omitted: readonly string[];
  /** Flows drawn. */
  readonly edges: number;
}

function mermaidId(id: string): string {
  return `n_${id.replace(/[^A-Za-z0-9]/g, '_')}`;
}

function mermaidText(s: string): string {
  return s.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'));
}

function label(n: FlowNode): string {
  if (n.type === 'workload') return n.name;
  if (n.type === 'outside') return `${n.namespace} ${n.selector}`;
  return n.except.length ? `${n.cidr} except ${n.except.length} ranges` : n.cidr;
}

/** A Mermaid `flowchart LR` of `objects`' allowed flows: namespaces as subgraphs, external egress dotted. */
export function mermaidFlowchart(objects: readonly KubeJson[] | FlowGraph, options: MermaidOptions = {}): MermaidChart {
  const graph = Array.isArray(objects) ? computeFlowGraph(objects as KubeJson[]) : (objects as FlowGraph);
  const all = graph.flows.filter((f) => !(options.hideDns && f.dns));
  const flows = all.slice(0, options.maxEdges ?? 150);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const used = new Set(flows.flatMap((f) => [f.from, f.to]));
  const lines = ['flowchart LR'];
  for (const ns of graph.namespaces) {
    const members = ns.nodes.filter((id) => used.has(id) && byId.get(id)?.type === 'workload');
    if (!members.length) continue;
    lines.push(`  subgraph ${mermaidId(`ns/${ns.name}`)}["${mermaidText(ns.name)}"]`);
    for (const id of members) lines.push(`    ${mermaidId(id)}["${mermaidText(label(byId.get(id)!))}"]`);
    lines.push('  end');
  }
  for (const id of [...used].sort()) {
    const n = byId.get(id);
    if (!n || n.type === 'workload') continue;
    lines.push(n.type === 'external' ? `  ${mermaidId(id)}(["🌐 ${mermaidText(label(n))}"]):::external` : `  ${mermaidId(id)}[("${mermaidText(label(n))}")]`);
  }
  for (const f of flows) {
    const external = byId.get(f.to)?.type === 'external' || byId.get(f.from)?.type === 'external';
    lines.push(`  ${mermaidId(f.from)} ${external ? '-.->' : '-->'}|"${mermaidText(formatPorts(f.ports))}"| ${mermaidId(f.to)}`);
  }
  lines.push('  classDef external stroke-dasharray: 4 4,stroke:#d33');
  return { text: `${lines.join('\n')}\n`, leftOut: all.length - flows.length, omitted: options.hideDns && all.length < graph.flows.length ? ['DNS (port 53)'] : [], edges: flows.length };
}
