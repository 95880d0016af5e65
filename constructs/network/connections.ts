import { Platform } from '../core/platform.ts';
import { findAcknowledgement, type Acknowledgement } from '../core/acknowledgement.ts';
import type { Construct } from 'constructs';
import { assertCidr, cidrContains, cidrOverlaps } from './cidr.ts';
import { assertPorts, type NetworkPort } from './port.ts';
import { isConnectable, Peers, type INetworkPeer } from './peer.ts';
import type { WorkloadNetworkPolicy } from './workload-network-policy.ts';

export interface AllowExternalOptions {
  /**
   * Destination range. Cluster networks inside it are always excluded.
   * @default '0.0.0.0/0'
   */
  readonly cidr?: string;
  /** More ranges to exclude, e.g. the cloud metadata endpoint `169.254.169.254/32`. */
  readonly except?: readonly string[];
}

export interface AllowCidrOptions {
  readonly except?: readonly string[];
  /**
   * Needed when the CIDR overlaps the cluster's networks: egress to it reaches pods in other
   * namespaces, which bypasses peer-based isolation.
   */
  readonly acknowledgement?: Acknowledgement;
}

/**
 * Network relations of a workload (the `connections` facet).
 *
 * `allowTo(peer, ports)` opens egress on this workload *and*, when the peer is a Lockstep workload,
 * the matching ingress on the peer — a flow that is allowed on one side only does not work under
 * default-deny (kgents' peers could never connect for that reason).
 */
export class Connections {
  constructor(
    private readonly scope: Construct,
    private readonly self: INetworkPeer,
    private readonly policy: WorkloadNetworkPolicy,
  ) {}

  /** Allows traffic from this workload to `peer` on `ports` (both sides when the peer is a workload). */
  allowTo(peer: INetworkPeer, ports: readonly NetworkPort[]): void {
    assertPorts(`${this.self.peerName}: allowTo(${peer.peerName})`, ports);
    this.policy.addEgress(peer, ports);
    if (isConnectable(peer)) peer.connections.addIngress(this.self, ports);
  }

  /** Allows traffic from `peer` to this workload on `ports` (both sides when the peer is a workload). */
  allowFrom(peer: INetworkPeer, ports: readonly NetworkPort[]): void {
    assertPorts(`${this.self.peerName}: allowFrom(${peer.peerName})`, ports);
    this.policy.addIngress(peer, ports);
    if (isConnectable(peer)) peer.connections.addEgress(this.self, ports);
  }

  /**
   * Allows egress to addresses outside the cluster only: `cidr` (default `0.0.0.0/0`) minus every
   * cluster network of the Platform. Use it for LLM APIs, forges and registries.
   */
  allowExternal(ports: readonly NetworkPort[], options: AllowExternalOptions = {}): void {
    assertPorts(`${this.self.peerName}: allowExternal`, ports);
    const cidr = options.cidr ?? '0.0.0.0/0';
    assertCidr(`${this.self.peerName}: allowExternal cidr`, cidr);
    const except = new Set<string>();
    for (const net of Platform.of(this.scope).clusterNetworks) {
      if (cidrContains(cidr, net)) except.add(net);
      else if (cidrOverlaps(cidr, net)) {
        throw new Error(
          `${this.self.peerName}: allowExternal(${cidr}) overlaps the cluster network ${net} without containing it; ` +
            `choose a range outside the cluster networks or use allowToCidr with an acknowledgement`,
        );
      }
    }
    for (const e of options.except ?? []) {
      assertCidr(`${this.self.peerName}: allowExternal except`, e);
      except.add(e);
    }
    this.policy.addEgress(Peers.ipBlock(cidr, [...except].sort()), ports);
  }

  /**
   * Allows egress to a CIDR. A CIDR that overlaps the cluster's networks needs an acknowledgement
   * (`network/cluster-egress`) because it reaches pods in other namespaces.
   */
  allowToCidr(cidr: string, ports: readonly NetworkPort[], options: AllowCidrOptions = {}): void {
    assertCidr(`${this.self.peerName}: allowToCidr`, cidr);
    assertPorts(`${this.self.peerName}: allowToCidr(${cidr})`, ports);
    const overlap = Platform.of(this.scope).clusterNetworks.find((n) => cidrOverlaps(n, cidr));
    const ack = options.acknowledgement ? findAcknowledgement([options.acknowledgement], 'network/cluster-egress') : undefined;
    if (overlap && !ack) {
      throw new Error(
        `${this.self.peerName}: allowToCidr(${cidr}) overlaps the cluster network ${overlap}, which opens egress to pods in other namespaces; ` +
          `use allowTo(workload, ports) for in-cluster peers, or pass acknowledgement: Acknowledgement.of('network/cluster-egress', '<why>')`,
      );
    }
    this.policy.addEgress(Peers.ipBlock(cidr, options.except ?? []), ports);
  }

  /** Low-level: adds an ingress rule on this workload only. Prefer `allowFrom`. */
  addIngress(from: INetworkPeer, ports: readonly NetworkPort[]): void {
    this.policy.addIngress(from, ports);
  }

  /** Low-level: adds an egress rule on this workload only. Prefer `allowTo`. */
  addEgress(to: INetworkPeer, ports: readonly NetworkPort[]): void {
    this.policy.addEgress(to, ports);
  }
}
