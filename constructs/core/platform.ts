import { Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { Construct } from 'constructs';
import type { UnitStore } from './unit.ts';

/** Address ranges that belong to the cluster (pods, services, node and link-local networks). */
export const DEFAULT_CLUSTER_NETWORKS: readonly string[] = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '169.254.0.0/16',
];

export interface PlatformProps {
  /**
   * CIDRs inside the cluster. External-only egress (`connections.allowExternal`) excludes them, so
   * "external" never means "any pod in the cluster".
   * @default DEFAULT_CLUSTER_NETWORKS (RFC 1918, carrier-grade NAT and link-local ranges)
   */
  readonly clusterNetworks?: readonly string[];
  /**
   * Namespaces that exist in the cluster but are not rendered by this platform (e.g. `kube-system`).
   * Network peers may select pods there; the selector check cannot see those pods and trusts this list.
   * @default ['kube-system']
   */
  readonly externalNamespaces?: readonly string[];
  /**
   * Where `Unit`s find their output from the previous run (synth passes `SynthInputs.units`).
   * @default none: every Unit is built
   */
  readonly units?: UnitStore;
}

/**
 * The root of one environment's construct tree: a single cdk8s Chart.
 *
 * Lockstep keeps one Chart per App and one App per environment. cdk8s re-resolves the whole app
 * once per chart, so many charts in one App make synth quadratic (performance-baseline.md §3);
 * namespaces are plain construct scopes inside this chart instead.
 */
export class Platform extends Chart {
  /** The Platform a construct belongs to. */
  static override of(construct: IConstruct): Platform {
    let c: IConstruct | undefined = construct;
    while (c) {
      if (c instanceof Platform) return c as Platform;
      c = c.node.scope;
    }
    throw new Error(`construct at "${construct.node.path}" is not inside a Platform; create constructs under new Platform(app, 'name')`);
  }

  readonly clusterNetworks: readonly string[];
  readonly externalNamespaces: readonly string[];
  readonly units: UnitStore | undefined;

  constructor(scope: Construct, id: string, props: PlatformProps = {}) {
    super(scope, id, { disableResourceNameHashes: true });
    this.clusterNetworks = [...(props.clusterNetworks ?? DEFAULT_CLUSTER_NETWORKS)];
    this.externalNamespaces = [...(props.externalNamespaces ?? ['kube-system'])];
    this.units = props.units;
  }
}
