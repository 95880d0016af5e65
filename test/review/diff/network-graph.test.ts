import { describe, expect, it } from 'vitest';
import { mermaidFlowchart, networkGraph } from '../../../src/review/diff/network-graph.ts';

const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const deploy = (namespace: string, name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace }, spec: { template: { metadata: { labels: { app: name } }, spec: { containers: [] } } } });
const np = (namespace: string, app: string | undefined, spec: object) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `p-${app ?? 'all'}`, namespace }, spec: { podSelector: app ? { matchLabels: { app } } : {}, ...spec } });
const tcp = (port: number) => ({ port, protocol: 'TCP' });

const objects = [
  ns('a'),
  ns('b'),
  deploy('a', 'web'),
  deploy('b', 'db'),
  np('a', undefined, { policyTypes: ['Ingress', 'Egress'] }),
  np('b', undefined, { policyTypes: ['Ingress', 'Egress'] }),
  np('a', 'web', { policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'b' } }, podSelector: { matchLabels: { app: 'db' } } }], ports: [tcp(5432)] }, { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [tcp(443)] }, { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ port: 53, protocol: 'UDP' }] }] }),
];

describe('networkGraph', () => {
  it('draws a flow only where both the egress and the ingress side allow it', () => {
    const closed = networkGraph(objects);
    expect(closed.edges.filter((e) => !e.external).map((e) => `${e.from}->${e.to}`)).toEqual(['w_a_web->ns_kube_system']);
    const open = networkGraph([...objects, np('b', 'db', { policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } }], ports: [tcp(5432)] }] })]);
    expect(open.edges).toContainEqual({ from: 'w_a_web', to: 'w_b_db', ports: ['TCP/5432'], external: false });
  });

  it('marks address blocks as external and can leave DNS out', () => {
    const g = networkGraph(objects, { hideDns: true });
    expect(g.edges).toEqual([{ from: 'w_a_web', to: 'ext_203_0_113_0_24', ports: ['TCP/443'], external: true }]);
    expect(g.omitted).toEqual(['DNS (port 53)']);
  });
});

describe('mermaidFlowchart', () => {
  it('renders namespaces as subgraphs and external egress as dotted edges', () => {
    const { text, leftOut } = mermaidFlowchart(networkGraph(objects, { hideDns: true }));
    expect(leftOut).toBe(0);
    expect(text).toBe(
      [
        'flowchart LR',
        '  subgraph ns_a_group["a"]',
        '    w_a_web["web"]',
        '  end',
        '  ext_203_0_113_0_24(["🌐 203.0.113.0/24"]):::external',
        '  w_a_web -.->|"TCP/443"| ext_203_0_113_0_24',
        '  classDef external stroke-dasharray: 4 4,stroke:#d33',
        '',
      ].join('\n'),
    );
  });

  it('draws at most maxEdges edges and counts the rest', () => {
    expect(mermaidFlowchart(networkGraph(objects), 1).leftOut).toBe(1);
  });
});
