import { describe, expect, it } from 'vitest';
import { computeFlowGraph, formatPorts, intersectPorts } from '../../../src/review/report/network.ts';
import { defaultDeny, deployment, namespace, networkPolicy, twoTier } from './fixtures.ts';

const API = 'Deployment app/api';
const DB = 'Deployment data/db';

const flow = (g: ReturnType<typeof computeFlowGraph>, from: string, to: string) => g.flows.find((f) => f.from === from && f.to === to);

describe('computeFlowGraph', () => {
  it('draws a flow when the source egress and the destination ingress both allow it, on the resolved named port', () => {
    const g = computeFlowGraph(twoTier());
    expect(flow(g, API, DB)).toEqual({
      from: API,
      to: DB,
      ports: [{ protocol: 'TCP', from: 5432, to: 5432 }],
      basis: 'both',
      dns: false,
      policies: ['NetworkPolicy app/api', 'NetworkPolicy data/db'],
    });
    expect(flow(g, DB, API)).toBeUndefined();
  });

  it('draws no flow when only the egress side allows it', () => {
    const objects = twoTier().filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.name === 'db'));
    expect(flow(computeFlowGraph(objects), API, DB)).toBeUndefined();
  });

  it('draws no flow when only the ingress side allows it', () => {
    const objects = twoTier().filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.name === 'api'));
    expect(flow(computeFlowGraph(objects), API, DB)).toBeUndefined();
  });

  it('keeps only the ports both sides allow', () => {
    const objects = [
      namespace('a'),
      deployment('a', 'x'),
      deployment('a', 'y'),
      networkPolicy('a', 'x', { podSelector: { matchLabels: { app: 'x' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'y' } } }], ports: [{ port: 5432, protocol: 'TCP' }, { port: 6432, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] }] }),
      networkPolicy('a', 'y', { podSelector: { matchLabels: { app: 'y' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 5000, endPort: 5500, protocol: 'TCP' }] }] }),
    ];
    expect(flow(computeFlowGraph(objects), 'Deployment a/x', 'Deployment a/y')?.ports).toEqual([{ protocol: 'TCP', from: 5432, to: 5432 }]);
  });

  it('treats a side that no policy isolates as allowing everything, to every address', () => {
    const g = computeFlowGraph([namespace('open'), deployment('open', 'a'), deployment('open', 'b')]);
    expect(flow(g, 'Deployment open/a', 'Deployment open/b')).toMatchObject({ ports: 'any', basis: 'both', policies: [] });
    expect(flow(g, 'Deployment open/a', 'external 0.0.0.0/0')).toMatchObject({ ports: 'any', basis: 'egress-only' });
    expect(flow(g, 'external 0.0.0.0/0', 'Deployment open/b')).toMatchObject({ ports: 'any', basis: 'ingress-only' });
  });

  it('draws egress to an ipBlock as an external node with its CIDR and exceptions', () => {
    const objects = [
      ...twoTier(),
      networkPolicy('app', 'wide', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }] }),
    ];
    const g = computeFlowGraph(objects);
    expect(g.nodes).toContainEqual({ type: 'external', id: 'external 203.0.113.0/24', cidr: '203.0.113.0/24', except: [] });
    expect(g.nodes).toContainEqual({ type: 'external', id: 'external 0.0.0.0/0 except 10.0.0.0/8', cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] });
    expect(flow(g, API, 'external 203.0.113.0/24')).toMatchObject({ ports: [{ protocol: 'TCP', from: 443, to: 443 }], basis: 'egress-only', policies: ['NetworkPolicy app/api'] });
    expect(flow(g, API, 'external 0.0.0.0/0 except 10.0.0.0/8')?.ports).toBe('any');
  });

  it('marks DNS to kube-system and shows kube-system as a namespace outside the rendering', () => {
    const g = computeFlowGraph(twoTier());
    const dnsNode = 'outside kube-system/k8s-app=kube-dns';
    expect(flow(g, API, dnsNode)).toMatchObject({ dns: true, basis: 'egress-only', policies: ['NetworkPolicy app/allow-dns'] });
    expect(flow(g, DB, dnsNode)?.dns).toBe(true);
    expect(g.namespaces).toEqual([
      { name: 'app', rendered: true, nodes: [API] },
      { name: 'data', rendered: true, nodes: [DB] },
      { name: 'kube-system', rendered: false, nodes: [dnsNode] },
    ]);
  });

  it('marks port 53 as DNS only when it goes to kube-system', () => {
    const only53 = (ns: string) => networkPolicy('a', `to-${ns}`, { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } }], ports: [{ port: 53, protocol: 'UDP' }] }] });
    const objects = [namespace('a'), namespace('kube-system'), namespace('resolver'), deployment('a', 'x'), deployment('kube-system', 'coredns'), deployment('resolver', 'unbound'), defaultDeny('a'), only53('kube-system'), only53('resolver')];
    const g = computeFlowGraph(objects);
    expect(flow(g, 'Deployment a/x', 'Deployment kube-system/coredns')?.dns).toBe(true);
    expect(flow(g, 'Deployment a/x', 'Deployment resolver/unbound')?.dns).toBe(false);
  });

  it('selects peer namespaces by their labels, not only by name', () => {
    const objects = [
      namespace('app'),
      namespace('mon', { team: 'sre' }),
      deployment('app', 'api'),
      deployment('mon', 'scraper'),
      defaultDeny('app'),
      defaultDeny('mon'),
      networkPolicy('app', 'metrics', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'sre' } } }], ports: [{ port: 9090, protocol: 'TCP' }] }] }),
      networkPolicy('mon', 'scrape', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['api'] }] } }] }] }),
    ];
    expect(flow(computeFlowGraph(objects), 'Deployment mon/scraper', API)?.ports).toEqual([{ protocol: 'TCP', from: 9090, to: 9090 }]);
  });

  it('allows nothing through a named port the destination does not declare', () => {
    const objects = twoTier().map((o) => (o.kind === 'Deployment' && o.metadata.name === 'db' ? deployment('data', 'db') : o));
    expect(flow(computeFlowGraph(objects), API, DB)).toBeUndefined();
  });

  it('defaults policyTypes as the API server does: Ingress always, Egress when there are egress rules', () => {
    const objects = [namespace('a'), deployment('a', 'x'), deployment('a', 'y'), networkPolicy('a', 'lock-y', { podSelector: { matchLabels: { app: 'y' } } })];
    const g = computeFlowGraph(objects);
    expect(flow(g, 'Deployment a/x', 'Deployment a/y')).toBeUndefined();
    expect(flow(g, 'Deployment a/y', 'Deployment a/x')?.ports).toBe('any');
  });

  it('leaves out flows of a workload to itself', () => {
    const g = computeFlowGraph([namespace('open'), deployment('open', 'a')]);
    expect(g.flows.filter((f) => f.from === f.to)).toEqual([]);
  });

  it('gives the same graph whatever the order of the objects', () => {
    const objects = twoTier();
    expect(computeFlowGraph([...objects].reverse())).toEqual(computeFlowGraph(objects));
  });

  it('shows ingress from an address block as a flow from an external node', () => {
    const objects = [
      ...twoTier(),
      networkPolicy('data', 'backup', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '198.51.100.0/24' } }], ports: [{ port: 5432, protocol: 'TCP' }] }] }),
    ];
    expect(flow(computeFlowGraph(objects), 'external 198.51.100.0/24', DB)).toMatchObject({ basis: 'ingress-only', ports: [{ protocol: 'TCP', from: 5432, to: 5432 }] });
  });
});

describe('ports', () => {
  it('formats single ports, ranges, whole protocols and any port', () => {
    expect(formatPorts([{ protocol: 'TCP', from: 53, to: 53 }, { protocol: 'TCP', from: 8000, to: 8100 }, { protocol: 'UDP', from: 1, to: 65535 }])).toBe('53/TCP, 8000-8100/TCP, all/UDP');
    expect(formatPorts('any')).toBe('any port');
  });

  it('intersects ranges per protocol and merges what overlaps', () => {
    expect(intersectPorts([{ protocol: 'TCP', from: 1, to: 100 }, { protocol: 'UDP', from: 53, to: 53 }], [{ protocol: 'TCP', from: 50, to: 200 }, { protocol: 'TCP', from: 90, to: 95 }])).toEqual([{ protocol: 'TCP', from: 50, to: 100 }]);
    expect(intersectPorts('any', [{ protocol: 'UDP', from: 53, to: 53 }])).toEqual([{ protocol: 'UDP', from: 53, to: 53 }]);
  });
});
