import { describe, expect, it } from 'vitest';
import { mermaidFlowchart } from '../../../src/review/diff/network-graph.ts';

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

describe('mermaidFlowchart', () => {
  it('draws a flow between workloads only where both the egress and the ingress side allow it', () => {
    expect(mermaidFlowchart(objects, { hideDns: true }).text).not.toMatch(/web.*-->.*db/);
    const open = [...objects, np('b', 'db', { policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } }], ports: [tcp(5432)] }] })];
    expect(mermaidFlowchart(open, { hideDns: true }).text).toMatch(/n_\S*web\S* -->\|"5432\/TCP"\| n_\S*db\S*/);
  });

  it('renders namespaces as subgraphs, external egress as dotted edges, and can leave DNS out', () => {
    const chart = mermaidFlowchart(objects, { hideDns: true });
    expect(chart.omitted).toEqual(['DNS (port 53)']);
    expect(chart.edges).toBe(1);
    expect(chart.text).toMatch(/^flowchart LR\n  subgraph n_ns_a\["a"\]\n    n_\S+\["web"\]\n  end\n/);
    expect(chart.text).toMatch(/\(\["🌐 203\.0\.113\.0\/24"\]\):::external/);
    expect(chart.text).toMatch(/-\.->\|"443\/TCP"\|/);
  });

  it('draws at most maxEdges edges and counts the rest', () => {
    const chart = mermaidFlowchart(objects, { maxEdges: 1 });
    expect(chart.edges).toBe(1);
    expect(chart.leftOut).toBe(1);
  });
});
