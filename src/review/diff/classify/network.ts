/**
 * `network-opened`: traffic a NetworkPolicy allows on the head side that the base side did not —
 * new peers or ports, `0.0.0.0/0` or a wider ipBlock, removed `except` ranges, a direction no longer
 * isolated, a default-deny policy weakened or removed, any NetworkPolicy removed.
 */
import { cidrContains, cidrOverlaps } from '../../../../constructs/network/cidr.ts';
import type { KubeJson } from '../../../k8s/objects.ts';
import { jsonEqual } from '../match.ts';
import type { RiskNote } from '../types.ts';

export type Direction = 'ingress' | 'egress';

/** One allowed (peer, port) pair of a policy; `undefined` means any peer or any port. */
export interface Flow {
  readonly direction: Direction;
  readonly peer?: KubeJson;
  readonly port?: KubeJson;
  /** Index of the rule in `spec.ingress` / `spec.egress`. */
  readonly rule: number;
}

/** `policyTypes`, with the API server's default when the field is absent. */
export function policyTypes(np: KubeJson): Direction[] {
  const explicit = np.spec?.policyTypes as string[] | undefined;
  if (explicit) return explicit.map((t) => t.toLowerCase() as Direction);
  return ['ingress', ...(np.spec?.egress ? (['egress'] as const) : [])];
}

/** Every allowed (peer, port) pair of the directions the policy isolates. */
export function flowsOf(np: KubeJson): Flow[] {
  const out: Flow[] = [];
  for (const direction of policyTypes(np)) {
    const rules = (np.spec?.[direction] as KubeJson[] | undefined) ?? [];
    rules.forEach((r, rule) => {
      const peers = (r[direction === 'ingress' ? 'from' : 'to'] as KubeJson[] | undefined) ?? [];
      const ports = (r.ports as KubeJson[] | undefined) ?? [];
      for (const peer of peers.length ? peers : [undefined]) {
        for (const port of ports.length ? ports : [undefined]) out.push({ direction, rule, ...(peer ? { peer } : {}), ...(port ? { port } : {}) });
      }
    });
  }
  return out;
}

/** True when the policy selects every pod of its namespace and allows nothing in `direction`. */
export function isDefaultDeny(np: KubeJson, direction: Direction): boolean {
  const selector = np.spec?.podSelector ?? {};
  const empty = Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
  return empty && policyTypes(np).includes(direction) && ((np.spec?.[direction] as unknown[] | undefined) ?? []).length === 0;
}

function selectorText(s: KubeJson | undefined): string {
  if (!s) return '';
  const parts = [
    ...Object.entries((s.matchLabels ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`),
    ...((s.matchExpressions ?? []) as KubeJson[]).map((e) => `${e.key} ${e.operator}${e.values ? ` (${(e.values as string[]).join(', ')})` : ''}`),
  ];
  return parts.length ? `{${parts.join(', ')}}` : 'all';
}

export function describePeer(peer: KubeJson | undefined): string {
  if (!peer) return 'any source or destination';
  if (peer.ipBlock) {
    const except = (peer.ipBlock.except as string[] | undefined) ?? [];
    return `${peer.ipBlock.cidr}${except.length ? ` except ${except.join(', ')}` : ''}`;
  }
  const pods = peer.podSelector ? `pods ${selectorText(peer.podSelector)}` : 'all pods';
  return peer.namespaceSelector ? `${pods} in namespaces ${selectorText(peer.namespaceSelector)}` : `${pods} of its namespace`;
}

export function describePort(port: KubeJson | undefined): string {
  if (!port) return 'any port';
  const proto = port.protocol ?? 'TCP';
  if (port.port === undefined) return `any ${proto} port`;
  return `${proto}/${port.port}${port.endPort ? `-${port.endPort}` : ''}`;
}

function prefixLength(cidr: string): number {
  return Number(cidr.split('/')[1]);
}

function sameFlowShape(a: Flow, b: Flow): boolean {
  return a.direction === b.direction && jsonEqual(a.peer ?? null, b.peer ?? null) && jsonEqual(a.port ?? null, b.port ?? null);
}

/** Why one flow of the head is new, compared with the base's flows of the same direction. */
function explainFlow(f: Flow, old: readonly Flow[]): string {
  const dir = f.direction;
  const toFrom = dir === 'ingress' ? 'from' : 'to';
  const on = `on ${describePort(f.port)}`;
  const cidr = f.peer?.ipBlock?.cidr as string | undefined;
  if (!f.peer) return `allows ${dir} ${toFrom} any peer ${on}`;
  if (cidr) {
    const samePort = old.filter((o) => o.direction === dir && jsonEqual(o.port ?? null, f.port ?? null) && o.peer?.ipBlock);
    const same = samePort.find((o) => o.peer!.ipBlock.cidr === cidr);
    if (same) {
      const had = new Set((same.peer!.ipBlock.except as string[] | undefined) ?? []);
      const now = new Set((f.peer.ipBlock.except as string[] | undefined) ?? []);
      const removed = [...had].filter((e) => !now.has(e));
      if (removed.length) return `removes except range${removed.length > 1 ? 's' : ''} ${removed.join(', ')} from ${dir} ${toFrom} ${cidr} ${on}`;
    }
    if (prefixLength(cidr) === 0) {
      const except = ((f.peer.ipBlock.except as string[] | undefined) ?? []).length > 0;
      return `opens ${dir} ${toFrom} ${describePeer(f.peer)} (every address${except ? ' outside the excepted ranges' : ''}) ${on}`;
    }
    const narrower = samePort.find((o) => o.peer!.ipBlock.cidr !== cidr && safeContains(cidr, o.peer!.ipBlock.cidr));
    if (narrower) return `widens ${dir} ${toFrom} ${narrower.peer!.ipBlock.cidr} to ${describePeer(f.peer)} ${on}`;
    return `allows ${dir} ${toFrom} ${describePeer(f.peer)} ${on}`;
  }
  const samePeer = old.some((o) => o.direction === dir && jsonEqual(o.peer ?? null, f.peer ?? null));
  if (samePeer) return `allows new port ${describePort(f.port)} for ${dir} ${toFrom} ${describePeer(f.peer)}`;
  return `allows ${dir} ${toFrom} ${describePeer(f.peer)} ${on}`;
}

function safeContains(outer: string, inner: string): boolean {
  try {
    return cidrContains(outer, inner);
  } catch {
    return false;
  }
}

/** An ipBlock of the base allows every address of `inner` that `inner` allows. */
function ipBlockCovers(outer: KubeJson, inner: KubeJson): boolean {
  try {
    if (!cidrContains(outer.cidr, inner.cidr)) return false;
    const innerExcept = (inner.except as string[] | undefined) ?? [];
    return ((outer.except as string[] | undefined) ?? []).every((e) => !cidrOverlaps(e, inner.cidr) || innerExcept.some((i) => cidrContains(i, e)));
  } catch {
    return false;
  }
}

function peerCovers(o: KubeJson | undefined, f: KubeJson | undefined): boolean {
  if (o === undefined) return true;
  if (f === undefined) return false;
  if (o.ipBlock && f.ipBlock) return ipBlockCovers(o.ipBlock, f.ipBlock);
  return jsonEqual(o, f);
}

/** A flow of the base allows `f` too when it allows the same (or a wider) peer on the same port (or any port). */
function coveredBy(f: Flow, old: readonly Flow[]): boolean {
  return old.some((o) => o.direction === f.direction && peerCovers(o.peer, f.peer) && (o.port === undefined || jsonEqual(o.port, f.port ?? null)));
}

/** The NetworkPolicy classifier. */
export function classifyNetwork(before: KubeJson | undefined, after: KubeJson | undefined): RiskNote[] {
  const np = after ?? before;
  if (!np || np.kind !== 'NetworkPolicy' || !String(np.apiVersion).startsWith('networking.k8s.io/')) return [];
  if (!after) {
    const deny = (['ingress', 'egress'] as const).filter((d) => isDefaultDeny(before!, d));
    return [
      {
        class: 'network-opened',
        message: deny.length
          ? `default-deny NetworkPolicy (${deny.join(' and ')}) removed: the namespace's pods accept and send traffic no other policy restricts`
          : 'NetworkPolicy removed: the pods it selected lose its restrictions (and, if it was their only policy, become open)',
      },
    ];
  }
  const notes: RiskNote[] = [];
  const oldTypes = before ? policyTypes(before) : [];
  const newTypes = policyTypes(after);
  for (const d of oldTypes) {
    if (!newTypes.includes(d)) notes.push({ class: 'network-opened', pointer: '/spec/policyTypes', message: `no longer restricts ${d}: every ${d} flow of the selected pods is allowed unless another policy isolates them` });
  }
  if (before) {
    for (const d of ['ingress', 'egress'] as const) {
      if (isDefaultDeny(before, d) && !isDefaultDeny(after, d) && newTypes.includes(d)) {
        notes.push({ class: 'network-opened', pointer: jsonEqual(before.spec?.podSelector, after.spec?.podSelector) ? `/spec/${d}` : '/spec/podSelector', message: `no longer a default-deny for ${d}` });
      }
    }
  }
  const old = before ? flowsOf(before) : [];
  const seen: Flow[] = [];
  for (const f of flowsOf(after)) {
    if (coveredBy(f, old) || seen.some((s) => sameFlowShape(s, f))) continue;
    seen.push(f);
    notes.push({ class: 'network-opened', pointer: `/spec/${f.direction}/${f.rule}`, message: explainFlow(f, old) });
  }
  return notes;
}
