import { Labels } from '../core/labels.ts';

/** What a NetworkPolicy rule points at, as Kubernetes writes it (`to`/`from` entries). */
export type PeerJson = Record<string, unknown>;

/**
 * Something traffic can be allowed to or from. Implemented by workloads (pods they run), namespaces,
 * label selections and IP blocks.
 */
export interface INetworkPeer {
  /** The `to`/`from` entry, as seen from a policy in `fromNamespace`. */
  peerJson(fromNamespace: string): PeerJson;
  /** Human-readable name for errors and reports. */
  readonly peerName: string;
}

/** A peer that receives the matching ingress rule when another workload calls `allowTo` on it. */
export interface IConnectable extends INetworkPeer {
  readonly connections: { addIngress(from: INetworkPeer, ports: readonly import('./port.ts').NetworkPort[]): void; addEgress(to: INetworkPeer, ports: readonly import('./port.ts').NetworkPort[]): void };
}

export function isConnectable(p: INetworkPeer): p is IConnectable {
  return typeof (p as Partial<IConnectable>).connections?.addIngress === 'function';
}

/** Pods with `labels` in `namespace` (by namespace name, the label the API server always sets). */
export function podPeer(namespace: string, labels: Record<string, string>, fromNamespace: string): PeerJson {
  const podSelector = { matchLabels: { ...labels } };
  if (namespace === fromNamespace) return { podSelector };
  return { namespaceSelector: { matchLabels: { [Labels.NAMESPACE_NAME]: namespace } }, podSelector };
}

/** Ready-made peers. */
export class Peers {
  /** Every pod in the namespace called `name`. */
  static namespace(name: string): INetworkPeer {
    return {
      peerName: `namespace ${name}`,
      peerJson: () => ({ namespaceSelector: { matchLabels: { [Labels.NAMESPACE_NAME]: name } } }),
    };
  }

  /** Pods with `labels` in namespace `namespace`. */
  static pods(namespace: string, labels: Record<string, string>): INetworkPeer {
    return {
      peerName: `pods ${JSON.stringify(labels)} in ${namespace}`,
      peerJson: (from) => podPeer(namespace, labels, from),
    };
  }

  /** Pods in every namespace that carries `labels` (e.g. `{ metrics: 'enabled' }`). */
  static namespacesLabelled(labels: Record<string, string>): INetworkPeer {
    return {
      peerName: `namespaces ${JSON.stringify(labels)}`,
      peerJson: () => ({ namespaceSelector: { matchLabels: { ...labels } } }),
    };
  }

  /** The cluster DNS (kube-dns / CoreDNS pods in kube-system). */
  static clusterDns(): INetworkPeer {
    return {
      peerName: 'cluster DNS',
      peerJson: () => ({
        namespaceSelector: { matchLabels: { [Labels.NAMESPACE_NAME]: 'kube-system' } },
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      }),
    };
  }

  /** Addresses in `cidr`, minus `except`. */
  static ipBlock(cidr: string, except: readonly string[] = []): INetworkPeer {
    return {
      peerName: `ipBlock ${cidr}${except.length ? ` except ${except.join(',')}` : ''}`,
      peerJson: () => ({ ipBlock: { cidr, ...(except.length ? { except: [...except] } : {}) } }),
    };
  }
}
