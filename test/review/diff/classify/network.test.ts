import { describe, expect, it } from 'vitest';
import { classifyNetwork, flowsOf, isDefaultDeny, policyTypes } from '../../../../src/review/diff/classify/network.ts';

const np = (spec: object) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'ns' }, spec: { podSelector: { matchLabels: { app: 'a' } }, ...spec } });
const tcp = (port: number) => ({ port, protocol: 'TCP' });
const pods = (app: string) => ({ podSelector: { matchLabels: { app } } });
const egress = (to: object[], ports: object[]) => np({ policyTypes: ['Egress'], egress: [{ to, ports }] });

describe('policy shape helpers', () => {
  it('defaults policyTypes the way the API server does and expands rules into flows', () => {
    expect(policyTypes(np({ ingress: [] }))).toEqual(['ingress']);
    expect(policyTypes(np({ egress: [] }))).toEqual(['ingress', 'egress']);
    expect(flowsOf(egress([pods('b'), pods('c')], [tcp(1), tcp(2)]))).toHaveLength(4);
    expect(isDefaultDeny(np({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] }), 'egress')).toBe(true);
  });
});

describe('classifyNetwork', () => {
  it('flags egress opened to 0.0.0.0/0', () => {
    const before = egress([pods('b')], [tcp(8080)]);
    const after = np({ policyTypes: ['Egress'], egress: [{ to: [pods('b')], ports: [tcp(8080)] }, { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [tcp(443)] }] });
    expect(classifyNetwork(before, after)).toEqual([{ class: 'network-opened', pointer: '/spec/egress/1', message: 'opens egress to 0.0.0.0/0 (every address) on TCP/443' }]);
  });

  it('flags a wider ipBlock, removed except ranges and a new port', () => {
    const block = (cidr: string, except?: string[]) => ({ ipBlock: { cidr, ...(except ? { except } : {}) } });
    expect(classifyNetwork(egress([block('203.0.113.0/25')], [tcp(443)]), egress([block('203.0.113.0/24')], [tcp(443)]))[0]!.message).toBe(
      'widens egress to 203.0.113.0/25 to 203.0.113.0/24 on TCP/443',
    );
    expect(classifyNetwork(egress([block('10.0.0.0/8', ['10.1.0.0/16'])], [tcp(443)]), egress([block('10.0.0.0/8')], [tcp(443)]))[0]!.message).toBe(
      'removes except range 10.1.0.0/16 from egress to 10.0.0.0/8 on TCP/443',
    );
    expect(classifyNetwork(egress([pods('b')], [tcp(80)]), egress([pods('b')], [tcp(80), tcp(22)]))[0]!.message).toBe(
      'allows new port TCP/22 for egress to pods {app=b} of its namespace',
    );
  });

  it('is silent when a rule narrows (a smaller block inside an allowed one, fewer ports)', () => {
    expect(classifyNetwork(egress([{ ipBlock: { cidr: '0.0.0.0/0' } }], [tcp(443)]), egress([{ ipBlock: { cidr: '203.0.113.0/24' } }], [tcp(443)]))).toEqual([]);
    expect(classifyNetwork(egress([pods('b')], [tcp(80), tcp(22)]), egress([pods('b')], [tcp(80)]))).toEqual([]);
  });

  it('flags new ingress peers, including a rule that allows any source', () => {
    const before = np({ policyTypes: ['Ingress'], ingress: [{ from: [pods('b')], ports: [tcp(80)] }] });
    const after = np({ policyTypes: ['Ingress'], ingress: [{ from: [pods('b')], ports: [tcp(80)] }, { ports: [tcp(80)] }] });
    expect(classifyNetwork(before, after)[0]!.message).toBe('allows ingress from any peer on TCP/80');
  });

  it('flags a direction no longer isolated and a weakened or removed default-deny', () => {
    const deny = np({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(classifyNetwork(deny, np({ podSelector: {}, policyTypes: ['Ingress'] })).map((n) => n.message)).toContain(
      'no longer restricts egress: every egress flow of the selected pods is allowed unless another policy isolates them',
    );
    expect(classifyNetwork(deny, undefined)[0]!.message).toMatch(/^default-deny NetworkPolicy \(ingress and egress\) removed/);
    expect(classifyNetwork(egress([pods('b')], [tcp(1)]), undefined)[0]!.message).toMatch(/^NetworkPolicy removed/);
  });

  it('ignores other kinds', () => {
    expect(classifyNetwork(undefined, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' } })).toEqual([]);
  });
});
