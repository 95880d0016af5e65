/**
 * The network flow graph of a rendering, computed from its NetworkPolicies and the labels of its
 * pods and namespaces (Kubernetes `networking.k8s.io/v1` semantics).
 *
 * Which flows count:
 * - Between two rendered workloads, a flow exists when the source's egress allows it **and** the
 *   destination's ingress allows it, on the ports both sides allow (the intersection). A side that
 *   no policy isolates allows everything, as in a cluster.
 * - To a peer outside the rendering (an `ipBlock`, or a namespace the platform does not render such
 *   as kube-system, named by `kubernetes.io/metadata.name`), only the source's egress can be seen;
 *   the flow's `basis` says so. Likewise for ingress from outside, only the destination's ingress is
 *   seen. A namespaceSelector on other labels can only be resolved against rendered namespaces.
 * - A workload's pods talking to each other (self-flows) are left out: they are not a relation.
 * - Named ports are resolved against the destination's container ports, as the API server does; a
 *   name the destination does not declare allows nothing.
 *
 * No library models NetworkPolicy evaluation over manifests offline (network-policy viewers work on
 * live clusters), so this is written here, on top of the shared label-selector matcher.
 */
import { podTemplateOf, type KubeJson } from '../../k8s/objects.ts';
import { matchesSelector, type LabelSelector } from '../../k8s/selectors.ts';
import { compareStrings } from './text.ts';

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** A numeric port range of one protocol (a single port has `from === to`). */
export interface PortRange {
  readonly protocol: string;
  readonly from: number;
  readonly to: number;
}

/** The ports a flow may use: every port, or a list of ranges. */
export type PortSet = 'any' | readonly PortRange[];

export type FlowNode =
  | { readonly type: 'workload'; readonly id: string; readonly namespace: string; readonly kind: string; readonly name: string }
  /** Pods in a namespace the platform does not render (kube-system…), by the selector that names them. */
  | { readonly type: 'outside'; readonly id: string; readonly namespace: string; readonly selector: string }
  /** Addresses outside the cluster: an ipBlock, or any address (`cidr` 0.0.0.0/0) for an unrestricted side. */
  | { readonly type: 'external'; readonly id: string; readonly cidr: string; readonly except: readonly string[] };

export interface Flow {
  readonly from: string;
  readonly to: string;
  readonly ports: PortSet;
  /** `both`: egress of the source and ingress of the destination allow it; otherwise only one side is rendered. */
  readonly basis: 'both' | 'egress-only' | 'ingress-only';
  /** Name resolution to the cluster DNS (port 53 to kube-system). */
  readonly dns: boolean;
  /** `NetworkPolicy namespace/name` of every policy that allows it, sorted; empty when a side is not isolated. */
  readonly policies: readonly string[];
}

export interface NamespaceGroup {
  readonly name: string;
  /** False for namespaces only referenced by policies (kube-system…). */
  readonly rendered: boolean;
  /** Node ids inside the namespace, sorted. */
  readonly nodes: readonly string[];
}

export interface FlowGraph {
  readonly namespaces: readonly NamespaceGroup[];
  /** Every node, sorted by id. */
  readonly nodes: readonly FlowNode[];
  /** Every flow, sorted by source then destination. */
  readonly flows: readonly Flow[];
}

interface Workload {
  readonly id: string;
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  /** Container port name → port and protocol. */
  readonly namedPorts: ReadonlyMap<string, { port: number; protocol: string }>;
}

interface Policy {
  readonly id: string;
  readonly namespace: string;
  readonly podSelector: LabelSelector | undefined;
  readonly types: ReadonlySet<'Ingress' | 'Egress'>;
  readonly ingress: readonly Rule[];
  readonly egress: readonly Rule[];
}

interface Rule {
  /** Undefined: the rule has no peers, so it allows every peer. */
  readonly peers: readonly Peer[] | undefined;
  /** Undefined: every port. */
  readonly ports: readonly RawPort[] | undefined;
}

interface Peer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

interface RawPort {
  readonly protocol: string;
  readonly port?: number | string;
  readonly endPort?: number;
}

/** Kind namespace/name, as images.json names workloads. */
export function workloadId(kind: string, namespace: string, name: string): string {
  return `${kind} ${namespace}/${name}`;
}

export function externalId(cidr: string, except: readonly string[] = []): string {
  return except.length ? `external ${cidr} except ${except.join(',')}` : `external ${cidr}`;
}

export const ANY_ADDRESS = '0.0.0.0/0';

function outsideId(namespace: string, selector: string): string {
  return `outside ${namespace}/${selector}`;
}

/** `k=v,k2 in (a,b)`, or `all pods` for an empty selector. */
export function formatSelector(s: LabelSelector | undefined): string {
  const parts = [
    ...Object.entries(s?.matchLabels ?? {}).sort(([a], [b]) => compareStrings(a, b)).map(([k, v]) => `${k}=${v}`),
    ...(s?.matchExpressions ?? []).map((e) =>
      e.operator === 'Exists' ? e.key : e.operator === 'DoesNotExist' ? `!${e.key}` : `${e.key} ${e.operator.toLowerCase()} (${(e.values ?? []).join(',')})`,
    ),
  ];
  return parts.length ? parts.join(',') : 'all pods';
}

function readRules(list: unknown, peerKey: 'from' | 'to'): Rule[] {
  if (!Array.isArray(list)) return [];
  return list.map((r: KubeJson) => {
    const peers = Array.isArray(r?.[peerKey]) && r[peerKey].length > 0 ? (r[peerKey] as Peer[]) : undefined;
    const ports =
      Array.isArray(r?.ports) && r.ports.length > 0
        ? (r.ports as KubeJson[]).map((p) => ({ protocol: String(p.protocol ?? 'TCP'), ...(p.port !== undefined ? { port: p.port } : {}), ...(typeof p.endPort === 'number' ? { endPort: p.endPort } : {}) }))
        : undefined;
    return { peers, ports };
  });
}

function readPolicy(o: KubeJson): Policy {
  const spec = o.spec ?? {};
  const declared = Array.isArray(spec.policyTypes) ? (spec.policyTypes as string[]) : undefined;
  // The API server's default: Ingress always, Egress when the policy has egress rules.
  const types = new Set((declared ?? ['Ingress', ...(spec.egress ? ['Egress'] : [])]).filter((t): t is 'Ingress' | 'Egress' => t === 'Ingress' || t === 'Egress'));
  return {
    id: `NetworkPolicy ${o.metadata?.namespace}/${o.metadata?.name}`,
    namespace: String(o.metadata?.namespace),
    podSelector: spec.podSelector,
    types,
    ingress: types.has('Ingress') ? readRules(spec.ingress, 'from') : [],
    egress: types.has('Egress') ? readRules(spec.egress, 'to') : [],
  };
}

function readWorkloads(objects: readonly KubeJson[]): Workload[] {
  const out: Workload[] = [];
  for (const o of objects) {
    const t = podTemplateOf(o);
    const ns = o.metadata?.namespace;
    if (!t || !ns) continue;
    const namedPorts = new Map<string, { port: number; protocol: string }>();
    for (const c of [...(t.spec.initContainers ?? []), ...(t.spec.containers ?? [])] as KubeJson[]) {
      for (const p of (c.ports ?? []) as KubeJson[]) if (p.name) namedPorts.set(String(p.name), { port: Number(p.containerPort), protocol: String(p.protocol ?? 'TCP') });
    }
    out.push({ id: workloadId(String(o.kind), String(ns), String(o.metadata?.name)), namespace: String(ns), kind: String(o.kind), name: String(o.metadata?.name), labels: t.labels, namedPorts });
  }
  return out.sort((a, b) => compareStrings(a.id, b.id));
}

/** Resolves a rule's ports against the destination's named ports; undefined rule ports mean every port. */
function resolvePorts(ports: readonly RawPort[] | undefined, destination: Workload | undefined): PortSet {
  if (!ports) return 'any';
  const out: PortRange[] = [];
  for (const p of ports) {
    if (p.port === undefined) {
      // A port entry with only a protocol allows every port of that protocol.
      out.push({ protocol: p.protocol, from: 1, to: 65535 });
    } else if (typeof p.port === 'number') {
      out.push({ protocol: p.protocol, from: p.port, to: p.endPort ?? p.port });
    } else if (/^\d+$/.test(p.port)) {
      out.push({ protocol: p.protocol, from: Number(p.port), to: Number(p.port) });
    } else {
      const named = destination?.namedPorts.get(p.port);
      if (named && named.protocol === p.protocol) out.push({ protocol: p.protocol, from: named.port, to: named.port });
    }
  }
  return out;
}

function unionPorts(a: PortSet | undefined, b: PortSet): PortSet {
  if (a === undefined) return b;
  if (a === 'any' || b === 'any') return 'any';
  return normalizePorts([...a, ...b]);
}

export function intersectPorts(a: PortSet, b: PortSet): PortSet {
  if (a === 'any') return b;
  if (b === 'any') return a;
  const out: PortRange[] = [];
  for (const x of a) {
    for (const y of b) {
      if (x.protocol !== y.protocol) continue;
      const from = Math.max(x.from, y.from);
      const to = Math.min(x.to, y.to);
      if (from <= to) out.push({ protocol: x.protocol, from, to });
    }
  }
  return normalizePorts(out);
}

/** Sorted by protocol and start, overlapping and adjacent ranges merged. */
function normalizePorts(ranges: readonly PortRange[]): PortRange[] {
  const sorted = [...ranges].sort((x, y) => compareStrings(x.protocol, y.protocol) || x.from - y.from || x.to - y.to);
  const out: PortRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && last.protocol === r.protocol && r.from <= last.to + 1) out[out.length - 1] = { ...last, to: Math.max(last.to, r.to) };
    else out.push(r);
  }
  return out;
}

function isEmpty(p: PortSet): boolean {
  return p !== 'any' && p.length === 0;
}

/** `5432/TCP`, `53/TCP, 53/UDP`, `8000-8100/TCP`, `any port`. */
export function formatPorts(p: PortSet): string {
  if (p === 'any') return 'any port';
  return p.map((r) => `${r.from === r.to ? r.from : r.from === 1 && r.to === 65535 ? 'all' : `${r.from}-${r.to}`}/${r.protocol}`).join(', ');
}

/** Every flow the NetworkPolicies of a rendering allow (see the module comment for the rules). */
export function computeFlowGraph(objects: readonly KubeJson[]): FlowGraph {
  const nsLabels = new Map<string, Record<string, string>>();
  for (const o of objects) {
    if (o.kind === 'Namespace' && o.metadata?.name) nsLabels.set(o.metadata.name, { ...(o.metadata.labels ?? {}), [NAMESPACE_NAME_LABEL]: o.metadata.name });
  }
  const workloads = readWorkloads(objects);
  // Namespaced objects whose Namespace is not rendered still live in a namespace of that name.
  for (const o of objects) {
    const ns = o.metadata?.namespace;
    if (ns && !nsLabels.has(ns)) nsLabels.set(ns, { [NAMESPACE_NAME_LABEL]: ns });
  }
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata?.namespace).map(readPolicy).sort((a, b) => compareStrings(a.id, b.id));

  const selecting = (w: Workload, type: 'Ingress' | 'Egress') =>
    policies.filter((p) => p.namespace === w.namespace && p.types.has(type) && matchesSelector(w.labels, p.podSelector));

  /** Does `peer` (from a policy in `policyNs`) select the pods of workload `w`? */
  const peerSelects = (peer: Peer, policyNs: string, w: Workload): boolean => {
    if (peer.ipBlock) return false;
    const nsOk = peer.namespaceSelector ? matchesSelector(nsLabels.get(w.namespace) ?? {}, peer.namespaceSelector) : w.namespace === policyNs;
    return nsOk && matchesSelector(w.labels, peer.podSelector);
  };

  /** Ports `w`'s policies of one direction allow towards/from `other`; undefined when none. */
  const allowed = (w: Workload, type: 'Ingress' | 'Egress', other: Workload): { ports: PortSet; policies: string[] } | undefined => {
    const sel = selecting(w, type);
    if (sel.length === 0) return { ports: 'any', policies: [] };
    let ports: PortSet | undefined;
    const by = new Set<string>();
    for (const p of sel) {
      for (const r of type === 'Ingress' ? p.ingress : p.egress) {
        if (r.peers && !r.peers.some((peer) => peerSelects(peer, p.namespace, other))) continue;
        const rp = resolvePorts(r.ports, type === 'Ingress' ? w : other);
        if (isEmpty(rp)) continue;
        ports = unionPorts(ports, rp);
        by.add(p.id);
      }
    }
    return ports === undefined ? undefined : { ports, policies: [...by] };
  };

  const nodes = new Map<string, FlowNode>();
  for (const w of workloads) nodes.set(w.id, { type: 'workload', id: w.id, namespace: w.namespace, kind: w.kind, name: w.name });
  const flows = new Map<string, { from: string; to: string; ports: PortSet; basis: Flow['basis']; policies: Set<string> }>();
  const addFlow = (from: string, to: string, ports: PortSet, basis: Flow['basis'], by: readonly string[]) => {
    const key = `${from}\u0000${to}`;
    const f = flows.get(key);
    if (f) {
      f.ports = unionPorts(f.ports, ports);
      by.forEach((p) => f.policies.add(p));
    } else flows.set(key, { from, to, ports, basis, policies: new Set(by) });
  };

  // 1. Between rendered workloads: both sides must allow.
  for (const src of workloads) {
    for (const dst of workloads) {
      if (src.id === dst.id) continue;
      const out = allowed(src, 'Egress', dst);
      const inn = out && allowed(dst, 'Ingress', src);
      if (!out || !inn) continue;
      const ports = intersectPorts(out.ports, inn.ports);
      if (!isEmpty(ports)) addFlow(src.id, dst.id, ports, 'both', [...out.policies, ...inn.policies]);
    }
  }

  // 2. Peers outside the rendering: one side only.
  const outsidePeer = (peer: Peer): FlowNode | undefined => {
    if (peer.ipBlock?.cidr) {
      const except = [...(peer.ipBlock.except ?? [])].sort(compareStrings);
      return { type: 'external', id: externalId(peer.ipBlock.cidr, except), cidr: peer.ipBlock.cidr, except };
    }
    const named = peer.namespaceSelector?.matchLabels?.[NAMESPACE_NAME_LABEL];
    if (named !== undefined && !nsLabels.has(named)) {
      const selector = formatSelector(peer.podSelector);
      return { type: 'outside', id: outsideId(named, selector), namespace: named, selector };
    }
    return undefined;
  };
  const anyAddress: FlowNode = { type: 'external', id: externalId(ANY_ADDRESS), cidr: ANY_ADDRESS, except: [] };
  for (const w of workloads) {
    for (const type of ['Egress', 'Ingress'] as const) {
      const sel = selecting(w, type);
      const link = (peer: FlowNode, ports: PortSet, by: readonly string[]) => {
        nodes.set(peer.id, peer);
        if (type === 'Egress') addFlow(w.id, peer.id, ports, 'egress-only', by);
        else addFlow(peer.id, w.id, ports, 'ingress-only', by);
      };
      if (sel.length === 0) {
        link(anyAddress, 'any', []);
        continue;
      }
      for (const p of sel) {
        for (const r of type === 'Ingress' ? p.ingress : p.egress) {
          const ports = resolvePorts(r.ports, undefined);
          if (isEmpty(ports)) continue;
          if (!r.peers) {
            link(anyAddress, ports, [p.id]);
            continue;
          }
          for (const peer of r.peers) {
            const node = outsidePeer(peer);
            if (node) link(node, ports, [p.id]);
          }
        }
      }
    }
  }

  const nodeList = [...nodes.values()].sort((a, b) => compareStrings(a.id, b.id));
  const groups = new Map<string, { rendered: boolean; nodes: string[] }>();
  for (const ns of nsLabels.keys()) groups.set(ns, { rendered: true, nodes: [] });
  for (const n of nodeList) {
    if (n.type === 'external') continue;
    const g = groups.get(n.namespace) ?? { rendered: false, nodes: [] };
    g.nodes.push(n.id);
    groups.set(n.namespace, g);
  }
  const nodeById = new Map(nodeList.map((n) => [n.id, n]));
  return {
    namespaces: [...groups.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([name, g]) => ({ name, rendered: g.rendered, nodes: g.nodes })),
    nodes: nodeList,
    flows: [...flows.values()]
      .sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to))
      .map((f) => ({ from: f.from, to: f.to, ports: f.ports, basis: f.basis, dns: isDns(nodeById.get(f.to), f.ports), policies: [...f.policies].sort(compareStrings) })),
  };
}

/** Port 53 only, to pods in kube-system (rendered or not): the cluster DNS. */
function isDns(to: FlowNode | undefined, ports: PortSet): boolean {
  if (!to || to.type === 'external' || to.namespace !== 'kube-system' || ports === 'any') return false;
  return ports.length > 0 && ports.every((r) => r.from === 53 && r.to === 53);
}
