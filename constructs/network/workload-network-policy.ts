import type { Construct } from 'constructs';
import { KubeObject } from '../core/kube-object.ts';
import { Labels, MANAGED_BY_LOCKSTEP } from '../core/labels.ts';
import type { NetworkPort } from './port.ts';
import type { INetworkPeer } from './peer.ts';

interface Rule {
  readonly peer: INetworkPeer;
  readonly ports: readonly NetworkPort[];
}

export interface WorkloadNetworkPolicyProps {
  readonly name: string;
  readonly namespace: string;
  /** Labels of the pods the policy applies to. */
  readonly podLabels: Record<string, string>;
}

/**
 * The NetworkPolicy that carries one workload's allowed flows. The namespace's default-deny
 * already blocks everything; this policy only adds allowances, and is rendered only when it has
 * rules. Rules with the same peer are merged so the output stays small.
 */
export class WorkloadNetworkPolicy {
  private readonly ingress: Rule[] = [];
  private readonly egress: Rule[] = [];
  private object?: KubeObject;

  constructor(private readonly scope: Construct, private readonly props: WorkloadNetworkPolicyProps) {}

  addIngress(peer: INetworkPeer, ports: readonly NetworkPort[]): void {
    this.ingress.push({ peer, ports });
    this.ensureObject();
  }

  addEgress(peer: INetworkPeer, ports: readonly NetworkPort[]): void {
    this.egress.push({ peer, ports });
    this.ensureObject();
  }

  get ingressRules(): readonly Rule[] {
    return this.ingress;
  }

  get egressRules(): readonly Rule[] {
    return this.egress;
  }

  private ensureObject(): void {
    if (this.object) return;
    const { name, namespace, podLabels } = this.props;
    this.object = new KubeObject(this.scope, 'NetworkPolicy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      name,
      namespace,
      labels: { [Labels.MANAGED_BY]: MANAGED_BY_LOCKSTEP },
      body: () => this.render(),
    });
  }

  private render(): Record<string, unknown> {
    const ns = this.props.namespace;
    const toRules = (rules: readonly Rule[], dir: 'from' | 'to') => {
      // Merge rules that share the same peer; keep first-seen order for stable output.
      const merged = new Map<string, { peer: Record<string, unknown>; ports: Map<string, Record<string, unknown>> }>();
      for (const r of rules) {
        const peer = r.peer.peerJson(ns);
        const key = JSON.stringify(peer);
        let m = merged.get(key);
        if (!m) merged.set(key, (m = { peer, ports: new Map() }));
        for (const p of r.ports) m.ports.set(p.toString(), p.toJson());
      }
      return [...merged.values()].map((m) => ({ [dir]: [m.peer], ports: [...m.ports.values()] }));
    };
    const policyTypes: string[] = [];
    if (this.ingress.length) policyTypes.push('Ingress');
    if (this.egress.length) policyTypes.push('Egress');
    return {
      spec: {
        podSelector: { matchLabels: { ...this.props.podLabels } },
        policyTypes,
        ...(this.ingress.length ? { ingress: toRules(this.ingress, 'from') } : {}),
        ...(this.egress.length ? { egress: toRules(this.egress, 'to') } : {}),
      },
    };
  }
}
