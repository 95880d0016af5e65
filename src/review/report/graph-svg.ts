/**
 * Draws a FlowGraph as inline SVG with a fixed, deterministic layout (no layout engine, no
 * randomness, so the same graph gives the same bytes), chosen so that no edge crosses a box:
 *
 * - the middle column holds the rendered namespaces, sorted by name, each a box with its workloads
 *   stacked inside;
 * - flows between rendered workloads are arcs on the left of that column (longer spans bulge
 *   further out), leaving a node at its upper half and entering at its lower half, so A→B and
 *   B→A stay apart;
 * - the right column holds what is outside the rendering: namespaces the platform only references
 *   (kube-system with its DNS pods) and external address blocks, with flows drawn as S-curves.
 *
 * DNS flows (port 53 to kube-system) are drawn once per namespace, from the namespace box, and are
 * hidden until the reader ticks "show DNS"; each namespace that may resolve names carries a DNS tag.
 *
 * Every node carries `data-node` (its id) and `data-node-type`; every edge `data-edge`,
 * `data-from`, `data-to` and `data-ports`, so tests and readers can query the picture.
 */
import { formatPorts, type Flow, type FlowGraph, type FlowNode } from './network.ts';
import { compareStrings, escapeHtml as esc } from './text.ts';

const NODE_W = 240;
const NODE_H = 36;
const NODE_GAP = 8;
const PAD = 10;
const HEADER = 26;
const NS_GAP = 14;
const MARGIN = 16;
const ARC_SPACE = 320;
const RIGHT_GAP = 300;
const MAX_CHARS = 28;

interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

function clip(label: string, max = MAX_CHARS): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

function nodeTitle(n: FlowNode): [string, string] {
  switch (n.type) {
    case 'workload':
      return [n.name, n.kind];
    case 'outside':
      return [n.selector, `pods in ${n.namespace}`];
    case 'external':
      return [n.cidr === '0.0.0.0/0' ? 'any address' : n.cidr, n.except.length ? `external, except ${n.except.join(', ')}` : 'external address block'];
  }
}

const num = (n: number) => String(Math.round(n * 10) / 10);

interface Group {
  readonly name: string;
  readonly rendered: boolean;
  readonly box: Box;
  readonly empty: boolean;
  readonly dns: boolean;
}

interface Layout {
  readonly width: number;
  readonly height: number;
  readonly nodes: Map<string, Box>;
  readonly groups: Group[];
  /** Node ids in the right-hand column. */
  readonly right: Set<string>;
}

const GROUP_W = NODE_W + 2 * PAD;
const groupHeight = (k: number) => (k === 0 ? HEADER + 4 : HEADER + PAD + k * (NODE_H + NODE_GAP) - NODE_GAP + PAD);

function layout(graph: FlowGraph): Layout {
  const nodes = new Map<string, Box>();
  const groups: Group[] = [];
  const right = new Set<string>();
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const dnsNamespaces = new Set(graph.flows.filter((f) => f.dns).map((f) => byId.get(f.from)).flatMap((n) => (n && n.type === 'workload' ? [n.namespace] : [])));

  const placeGroup = (name: string, rendered: boolean, ids: readonly string[], x: number, y: number): number => {
    const box = { x, y, w: GROUP_W, h: groupHeight(ids.length) };
    groups.push({ name, rendered, box, empty: ids.length === 0, dns: dnsNamespaces.has(name) });
    ids.forEach((id, i) => nodes.set(id, { x: x + PAD, y: y + HEADER + PAD + i * (NODE_H + NODE_GAP), w: NODE_W, h: NODE_H }));
    return box.h;
  };

  const colX = MARGIN + ARC_SPACE;
  let y = MARGIN;
  for (const g of graph.namespaces.filter((n) => n.rendered)) y += placeGroup(g.name, true, g.nodes, colX, y) + NS_GAP;
  const leftHeight = y - NS_GAP;

  // Right column: outside namespaces, then address blocks, spread over the height of the middle.
  const rightX = colX + GROUP_W + RIGHT_GAP;
  const items: { h: number; place: (y: number) => void }[] = [];
  for (const g of graph.namespaces.filter((n) => !n.rendered)) {
    items.push({ h: groupHeight(g.nodes.length), place: (at) => void placeGroup(g.name, false, g.nodes, rightX, at) });
    g.nodes.forEach((id) => right.add(id));
  }
  for (const n of graph.nodes.filter((n) => n.type === 'external')) {
    items.push({ h: NODE_H, place: (at) => void nodes.set(n.id, { x: rightX + PAD, y: at, w: NODE_W, h: NODE_H }) });
    right.add(n.id);
  }
  const itemsHeight = items.reduce((s, i) => s + i.h, 0);
  const gap = items.length > 1 ? Math.max(NS_GAP * 2, (leftHeight - MARGIN - itemsHeight) / (items.length - 1)) : 0;
  let ry = MARGIN;
  for (const i of items) {
    i.place(ry);
    ry += i.h + gap;
  }
  const rightHeight = items.length ? ry - gap : MARGIN;
  return { width: rightX + (items.length ? GROUP_W : 0) + MARGIN, height: Math.max(leftHeight, rightHeight) + MARGIN, nodes, groups, right };
}

interface DrawnEdge {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly fromNamespace: string;
  readonly toNamespace: string;
  readonly label: string;
  readonly ports: string;
  readonly cls: 'both' | 'egress' | 'ingress' | 'dns';
  readonly a: Box;
  readonly b: Box;
  /** Both ends in the middle column: drawn as an arc on the left. */
  readonly arc: boolean;
  /** Where the edge leaves its source, as a fraction of the source's height. */
  exit: number;
  readonly title: string;
}

function namespaceOf(n: FlowNode | undefined): string {
  return n && n.type !== 'external' ? n.namespace : '';
}

/** The edges as drawn: one per flow, except DNS flows, which are merged per source namespace. */
function drawnEdges(graph: FlowGraph, l: Layout): DrawnEdge[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const groupBox = new Map(l.groups.map((g) => [g.name, g.box]));
  const out: DrawnEdge[] = [];
  const dns = new Map<string, Flow[]>();
  for (const f of graph.flows) {
    const from = byId.get(f.from);
    if (f.dns && from?.type === 'workload') {
      const key = `${from.namespace}\u0000${f.to}`;
      dns.set(key, [...(dns.get(key) ?? []), f]);
      continue;
    }
    const a = l.nodes.get(f.from);
    const b = l.nodes.get(f.to);
    if (!a || !b) continue;
    const ports = formatPorts(f.ports);
    out.push({
      id: `${f.from} -> ${f.to}`,
      from: f.from,
      to: f.to,
      fromNamespace: namespaceOf(from),
      toNamespace: namespaceOf(byId.get(f.to)),
      label: ports,
      ports,
      cls: f.basis === 'both' ? 'both' : f.basis === 'egress-only' ? 'egress' : 'ingress',
      a,
      b,
      arc: !l.right.has(f.from) && !l.right.has(f.to),
      exit: 0.5,
      title: `${f.from} → ${f.to}: ${ports}${f.basis === 'both' ? '' : ` (${f.basis === 'egress-only' ? 'egress side only' : 'ingress side only'})`}${f.policies.length ? `; allowed by ${f.policies.join(', ')}` : '; not isolated'}`,
    });
  }
  for (const [key, flows] of [...dns.entries()].sort(([x], [y]) => compareStrings(x, y))) {
    const [ns, to] = key.split('\u0000') as [string, string];
    const a = groupBox.get(ns);
    const b = l.nodes.get(to);
    if (!a || !b) continue;
    const ports = formatPorts(flows[0]!.ports);
    out.push({
      id: `namespace ${ns} -> ${to}`,
      from: `namespace ${ns}`,
      to,
      fromNamespace: ns,
      toNamespace: namespaceOf(byId.get(to)),
      label: 'DNS',
      ports,
      cls: 'dns',
      a: { ...a, h: HEADER },
      b,
      arc: false,
      exit: 0.5,
      title: `DNS from ${flows.length} workload${flows.length === 1 ? '' : 's'} of ${ns} to ${to}: ${ports}`,
    });
  }
  // Edges leaving one node to the right fan out over its height, so their labels do not stack.
  const fans = new Map<Box, DrawnEdge[]>();
  for (const e of out) if (!e.arc && e.cls !== 'dns') fans.set(e.a, [...(fans.get(e.a) ?? []), e]);
  for (const list of fans.values()) list.forEach((e, i) => (e.exit = list.length === 1 ? 0.5 : 0.25 + (0.5 * i) / (list.length - 1)));
  return out;
}

/** Point at parameter t of a cubic Bézier. */
function cubic(p0: number, p1: number, p2: number, p3: number, t: number): number {
  const u = 1 - t;
  return u * u * u * p0 + 3 * u * u * t * p1 + 3 * u * t * t * p2 + t * t * t * p3;
}

function edgeSvg(e: DrawnEdge, index: number): string {
  let p0: { x: number; y: number };
  let p3: { x: number; y: number };
  let c1: { x: number; y: number };
  let c2: { x: number; y: number };
  let labelAt: number;
  if (e.arc) {
    // Leave from the upper half, arrive at the lower half; bulge grows with the span.
    p0 = { x: e.a.x, y: e.a.y + e.a.h * 0.35 };
    p3 = { x: e.b.x - 2, y: e.b.y + e.b.h * 0.65 };
    const span = Math.abs(p3.y - p0.y);
    const bulge = Math.min(ARC_SPACE - 40, 36 + span * 0.32 + (index % 3) * 10);
    c1 = { x: p0.x - bulge - PAD, y: p0.y };
    c2 = { x: p3.x - bulge - PAD, y: p3.y };
    labelAt = 0.5;
  } else {
    const leftToRight = e.a.x < e.b.x;
    p0 = { x: leftToRight ? e.a.x + e.a.w : e.a.x, y: e.a.y + e.a.h * e.exit };
    p3 = { x: leftToRight ? e.b.x - 2 : e.b.x + e.b.w + 2, y: e.b.y + e.b.h / 2 };
    const dx = (p3.x - p0.x) * 0.45;
    c1 = { x: p0.x + dx, y: p0.y };
    c2 = { x: p3.x - dx, y: p3.y };
    labelAt = 0.22;
  }
  const mid = { x: cubic(p0.x, c1.x, c2.x, p3.x, labelAt), y: cubic(p0.y, c1.y, c2.y, p3.y, labelAt) };
  return (
    `<g class="flow ${e.cls}" data-edge="${esc(e.id)}" data-from="${esc(e.from)}" data-to="${esc(e.to)}" data-from-namespace="${esc(e.fromNamespace)}" data-to-namespace="${esc(e.toNamespace)}" data-ports="${esc(e.ports)}"${e.cls === 'dns' ? ' data-dns="true"' : ''}>` +
    `<title>${esc(e.title)}</title>` +
    `<path d="M${num(p0.x)},${num(p0.y)} C${num(c1.x)},${num(c1.y)} ${num(c2.x)},${num(c2.y)} ${num(p3.x)},${num(p3.y)}" marker-end="url(#arrow-${e.cls})"/>` +
    // DNS edges all converge on kube-system; their labels would pile up, so the style and the
    // namespace's DNS tag say it instead.
    (e.cls === 'dns' ? '' : `<text x="${num(mid.x)}" y="${num(mid.y)}">${esc(clip(e.label, 24))}</text>`) +
    `</g>`
  );
}

const STYLE = `
.graph text{font:12px system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;fill:#1f2933}
.graph .ns rect.box{fill:#f4f7fb;stroke:#9aa5b1;stroke-width:1.2}
.graph .ns.outside rect.box{fill:#fff8e6;stroke:#c99a2e;stroke-dasharray:5 3}
.graph .ns text.ns-name{font-weight:600;font-size:12.5px}
.graph .ns text.empty,.graph .ns text.tag{fill:#7b8794;font-style:italic;font-size:11px}
.graph .ns text.tag{font-style:normal}
.graph .node rect{fill:#fff;stroke:#3e4c59;stroke-width:1.2}
.graph .node.external rect{fill:#fdecea;stroke:#b3261e}
.graph .node.outside rect{fill:#fff3d6;stroke:#c99a2e}
.graph .node text.sub{fill:#616e7c;font-size:10.5px}
.graph .flow path{fill:none;stroke:#1f5fa8;stroke-width:1.6;opacity:.85}
.graph .flow.egress path{stroke:#b3261e}
.graph .flow.ingress path{stroke:#7b3fa0}
.graph .flow.dns path{stroke:#8a8a8a;stroke-dasharray:4 3;stroke-width:1.1}
.graph .flow text{font-size:10.5px;paint-order:stroke;stroke:#fff;stroke-width:3px;text-anchor:middle;dominant-baseline:middle}
`;

function marker(id: string, colour: string): string {
  return `<marker id="arrow-${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`;
}

/** The graph as an `<svg>` element (no scripts, no external references). */
export function renderFlowGraphSvg(graph: FlowGraph): string {
  const l = layout(graph);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const parts: string[] = [];
  parts.push(
    `<svg class="graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${num(l.width)} ${num(l.height)}" width="${num(l.width)}" height="${num(l.height)}" role="img" aria-label="Network flows allowed by the NetworkPolicies">`,
    `<style>${STYLE}</style>`,
    `<defs>${marker('both', '#1f5fa8')}${marker('egress', '#b3261e')}${marker('ingress', '#7b3fa0')}${marker('dns', '#8a8a8a')}</defs>`,
  );
  for (const g of l.groups) {
    const b = g.box;
    parts.push(
      `<g class="ns${g.rendered ? '' : ' outside'}" data-node="namespace ${esc(g.name)}" data-node-type="namespace" data-namespace="${esc(g.name)}"${g.dns ? ' data-dns="true"' : ''}>` +
        `<title>${esc(`namespace ${g.name}${g.rendered ? '' : ' (not rendered: referenced by policies)'}${g.dns ? '; may resolve names through kube-system' : ''}`)}</title>` +
        `<rect class="box" x="${num(b.x)}" y="${num(b.y)}" width="${num(b.w)}" height="${num(b.h)}" rx="8"/>` +
        `<text class="ns-name" x="${num(b.x + PAD)}" y="${num(b.y + 18)}">${esc(clip(g.name, 24))}</text>` +
        (g.empty ? `<text class="empty" x="${num(b.x + b.w - PAD)}" y="${num(b.y + 18)}" text-anchor="end">no workloads</text>` : '') +
        (g.dns ? `<text class="tag" x="${num(b.x + b.w - PAD)}" y="${num(b.y + 18)}" text-anchor="end">DNS</text>` : '') +
        `</g>`,
    );
  }
  for (const [id, b] of [...l.nodes.entries()].sort(([x], [y]) => compareStrings(x, y))) {
    const n = byId.get(id)!;
    const [title, sub] = nodeTitle(n);
    parts.push(
      `<g class="node ${n.type}" data-node="${esc(id)}" data-node-type="${n.type}"${n.type !== 'external' ? ` data-namespace="${esc(n.namespace)}"` : ''}>` +
        `<title>${esc(id)}</title>` +
        `<rect x="${num(b.x)}" y="${num(b.y)}" width="${num(b.w)}" height="${num(b.h)}" rx="6"/>` +
        `<text x="${num(b.x + 8)}" y="${num(b.y + 15)}">${esc(clip(title))}</text>` +
        `<text class="sub" x="${num(b.x + 8)}" y="${num(b.y + 29)}">${esc(clip(sub, 34))}</text>` +
        `</g>`,
    );
  }
  drawnEdges(graph, l).forEach((e, i) => parts.push(edgeSvg(e, i)));
  parts.push('</svg>');
  return parts.join('\n');
}
