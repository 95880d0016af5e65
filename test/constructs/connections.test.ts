import { describe, expect, it } from 'vitest';
import { Acknowledgement, AgentWorkload, NetworkPort, Peers, TenantNamespace } from '../../constructs/index.ts';
import { find, render, SMALL } from '../helpers.ts';

const image = 'ghcr.io/acme/agent@sha256:' + 'a'.repeat(64);
const policyOf = (objects: Record<string, any>[], ns: string, name: string) =>
  objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === ns && o.metadata.name === name)!;

describe('connections', () => {
  it('allowTo opens egress on the caller and the matching ingress on the callee across namespaces', () => {
    const objects = render((p) => {
      const a = new AgentWorkload(new TenantNamespace(p, 'front'), 'planner', { container: { image, resources: SMALL } });
      const b = new AgentWorkload(new TenantNamespace(p, 'back'), 'memory', { container: { image, resources: SMALL, ports: [{ name: 'sql', port: 5432 }] } });
      a.connections.allowTo(b, [NetworkPort.tcp(5432)]);
    });
    const egress = policyOf(objects, 'front', 'planner');
    expect(egress.spec.policyTypes).toEqual(['Egress']);
    expect(egress.spec.egress).toEqual([
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'back' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'memory', 'app.kubernetes.io/instance': 'back.memory' } } }],
        ports: [{ protocol: 'TCP', port: 5432 }],
      },
    ]);
    const ingress = policyOf(objects, 'back', 'memory');
    expect(ingress.spec.policyTypes).toEqual(['Ingress']);
    expect(ingress.spec.ingress[0].from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name']).toBe('front');
  });

  it('uses a plain pod selector for peers in the same namespace', () => {
    const objects = render((p) => {
      const ns = new TenantNamespace(p, 'agents');
      const a = new AgentWorkload(ns, 'a', { container: { image, resources: SMALL } });
      const b = new AgentWorkload(ns, 'b', { container: { image, resources: SMALL } });
      b.connections.allowFrom(a, [NetworkPort.tcp(8080)]);
    });
    expect(policyOf(objects, 'agents', 'a').spec.egress[0].to).toEqual([{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'b', 'app.kubernetes.io/instance': 'agents.b' } } }]);
  });

  it('merges rules to the same peer', () => {
    const objects = render((p) => {
      const ns = new TenantNamespace(p, 'agents');
      const a = new AgentWorkload(ns, 'a', { container: { image, resources: SMALL } });
      const b = new AgentWorkload(ns, 'b', { container: { image, resources: SMALL } });
      a.connections.allowTo(b, [NetworkPort.tcp(8080)]);
      a.connections.allowTo(b, [NetworkPort.tcp(9090), NetworkPort.tcp(8080)]);
    });
    expect(policyOf(objects, 'agents', 'a').spec.egress).toHaveLength(1);
    expect(policyOf(objects, 'agents', 'a').spec.egress[0].ports).toEqual([{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 9090 }]);
  });

  it('allowExternal excludes every cluster network from the destination', () => {
    const objects = render((p) => {
      const a = new AgentWorkload(new TenantNamespace(p, 'eca'), 'eca', { container: { image, resources: SMALL } });
      a.connections.allowExternal([NetworkPort.tcp(443)], { except: ['169.254.169.254/32'] });
    });
    expect(policyOf(objects, 'eca', 'eca').spec.egress[0].to[0].ipBlock).toEqual({
      cidr: '0.0.0.0/0',
      except: ['10.0.0.0/8', '100.64.0.0/10', '169.254.0.0/16', '169.254.169.254/32', '172.16.0.0/12', '192.168.0.0/16'],
    });
  });

  it('renders no policy for a workload without relations', () => {
    const objects = render((p) => new AgentWorkload(new TenantNamespace(p, 'x'), 'lonely', { container: { image, resources: SMALL } }));
    expect(objects.some((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'lonely')).toBe(false);
  });

  it('allows a CIDR inside the cluster only with an acknowledgement', () => {
    const define = (ack?: Acknowledgement) => (p: any) => {
      const a = new AgentWorkload(new TenantNamespace(p, 'x'), 'a', { container: { image, resources: SMALL } });
      a.connections.allowToCidr('10.1.0.0/16', [NetworkPort.tcp(443)], ack ? { acknowledgement: ack } : {});
    };
    expect(() => render(define())).toThrow(/allowToCidr\(10.1.0.0\/16\) overlaps the cluster network 10.0.0.0\/8/);
    expect(() => render(define(Acknowledgement.of('network/cluster-egress', 'talks to the API server VIP')))).not.toThrow();
  });

  it('fails when a relation names no ports', () => {
    expect(() =>
      render((p) => {
        const ns = new TenantNamespace(p, 'x');
        new AgentWorkload(ns, 'a', { container: { image, resources: SMALL } }).connections.allowTo(Peers.namespace('y'), []);
      }),
    ).toThrow(/needs at least one port/);
  });

  it('fails when an external range only partly overlaps the cluster', () => {
    expect(() =>
      render((p) => {
        new AgentWorkload(new TenantNamespace(p, 'x'), 'a', { container: { image, resources: SMALL } }).connections.allowExternal([NetworkPort.tcp(443)], { cidr: '10.128.0.0/9' });
      }),
    ).toThrow(/allowExternal\(10.128.0.0\/9\) overlaps the cluster network 10.0.0.0\/8 without containing it/);
  });

  it('fails when a port is out of range or a CIDR is malformed', () => {
    expect(() => NetworkPort.tcp(70000)).toThrow(/integer from 1 to 65535, got 70000/);
    expect(() => NetworkPort.tcpRange(90, 80)).toThrow(/must end at or after its start/);
    expect(() =>
      render((p) => new AgentWorkload(new TenantNamespace(p, 'x'), 'a', { container: { image, resources: SMALL } }).connections.allowToCidr('300.1.1.1/8', [NetworkPort.tcp(1)])),
    ).toThrow(/must be an IPv4 CIDR/);
  });
});
