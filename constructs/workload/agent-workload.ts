import { Construct } from 'constructs';
import { findAcknowledgement, type Acknowledgement } from '../core/acknowledgement.ts';
import { KubeObject } from '../core/kube-object.ts';
import { assertDnsLabel, assertLabelValue, Labels, MANAGED_BY_LOCKSTEP } from '../core/labels.ts';
import { assertQuantity, type Quantity } from '../core/quantity.ts';
import { recordSource } from '../core/source.ts';
import { TenantNamespace } from '../namespace/tenant-namespace.ts';
import { Connections } from '../network/connections.ts';
import { podPeer, type IConnectable, type PeerJson } from '../network/peer.ts';
import { WorkloadNetworkPolicy } from '../network/workload-network-policy.ts';
import { containerJson, secretReferences, validateContainer, type ContainerProps, type VolumeMount } from './container.ts';
import { EnvFrom } from './env.ts';
import { ServiceAccount } from './service-account.ts';

export type WorkloadKind = 'Deployment' | 'Job';

export interface WritableDirectory {
  /** Volume name. */
  readonly name: string;
  readonly path: string;
  /** @default '256Mi' */
  readonly sizeLimit?: Quantity;
}

/** The writable directories every agent gets on a read-only root filesystem. */
export const DEFAULT_WRITABLE_DIRECTORIES: readonly WritableDirectory[] = [
  { name: 'tmp', path: '/tmp', sizeLimit: '256Mi' },
  { name: 'home', path: '/home/agent', sizeLimit: '256Mi' },
  { name: 'cache', path: '/var/cache/agent', sizeLimit: '1Gi' },
];

export interface SecretVolume {
  readonly name: string;
  readonly secret: string;
  readonly path: string;
}

export interface ConfigMapVolume {
  readonly name: string;
  readonly configMap: string;
  readonly path: string;
}

export interface JobOptions {
  /** @default 3600 */
  readonly activeDeadlineSeconds?: number;
  /** @default 3600 */
  readonly ttlSecondsAfterFinished?: number;
  /** @default 0 */
  readonly backoffLimit?: number;
}

export type MainContainerProps = Omit<ContainerProps, 'name'> & { readonly name?: string };

export interface AgentWorkloadProps {
  /** @default the construct id */
  readonly name?: string;
  /**
   * `Deployment` for long-running agents, `Job` for one-shot task agents.
   * @default 'Deployment'
   */
  readonly kind?: WorkloadKind;
  /** @default 1 (Deployment only) */
  readonly replicas?: number;
  readonly job?: JobOptions;
  /** The agent container (named `agent` unless given). */
  readonly container: MainContainerProps;
  /** Containers that run before the agent (e.g. a git clone). Same restricted defaults. */
  readonly initContainers?: readonly ContainerProps[];
  /** Containers beside the agent (e.g. memory or telemetry). Same restricted defaults. */
  readonly sidecars?: readonly ContainerProps[];
  /**
   * emptyDir volumes mounted writable in every container; the root filesystem stays read-only.
   * @default DEFAULT_WRITABLE_DIRECTORIES (/tmp, /home/agent, /var/cache/agent)
   */
  readonly writableDirectories?: readonly WritableDirectory[];
  /** Literal settings: rendered as the ConfigMap `<name>-config` and loaded with envFrom. */
  readonly config?: Readonly<Record<string, string>>;
  /** Secrets mounted read-only (mode 0400). */
  readonly secretVolumes?: readonly SecretVolume[];
  readonly configMapVolumes?: readonly ConfigMapVolume[];
  /** Extra labels on the workload and its pods (e.g. `{ 'kgents.io/genus': 'summarizer' }`). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations on the workload and its pod template. */
  readonly annotations?: Readonly<Record<string, string>>;
  /** `app.kubernetes.io/component`. */
  readonly component?: string;
  /** `app.kubernetes.io/part-of`. */
  readonly partOf?: string;
  /**
   * Mount the service-account token so the agent can call the Kubernetes API. Off by default;
   * turning it on needs `Acknowledgement.of('workload/service-account-token', '<why>')`.
   */
  readonly serviceAccountToken?: Acknowledgement;
  /** Spread replicas over nodes (required anti-affinity on the hostname). @default false */
  readonly spreadOverNodes?: boolean;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly runtimeClassName?: string;
  /** @default 30 */
  readonly terminationGracePeriodSeconds?: number;
}

/**
 * An AI-agent workload: a Deployment (or a Job for task agents) with its own ServiceAccount (no
 * token), a Service when the agent container exposes ports, requests and limits on every container,
 * and the restricted security context on every container including init containers: non-root,
 * read-only root filesystem with emptyDir mounts for tmp/home/cache, no privilege escalation,
 * all capabilities dropped, seccomp RuntimeDefault, no fixed user ids.
 *
 * Relations: `agent.connections.allowTo(peer, [NetworkPort.tcp(8080)])`;
 * grants: `ns.permissions.grantRead(agent.serviceAccount, ApiResource.CONFIGMAPS)`.
 */
export class AgentWorkload extends Construct implements IConnectable {
  readonly name: string;
  readonly namespace: string;
  readonly kind: WorkloadKind;
  readonly serviceAccount: ServiceAccount;
  readonly connections: Connections;
  /** Labels that select this workload's pods (and only them). */
  readonly selectorLabels: Readonly<Record<string, string>>;
  private readonly podLabels: Record<string, string>;
  private readonly annotations: Record<string, string>;
  private readonly sidecars: ContainerProps[];
  private readonly props: AgentWorkloadProps;
  private readonly main: ContainerProps;

  constructor(scope: Construct, id: string, props: AgentWorkloadProps) {
    super(scope, id);
    recordSource(this);
    this.props = props;
    const ns = TenantNamespace.of(this);
    this.namespace = ns.name;
    this.name = props.name ?? id;
    assertDnsLabel('workload name', this.name);
    this.kind = props.kind ?? 'Deployment';
    const owner = `${this.kind} ${this.namespace}/${this.name}`;

    this.main = { ...props.container, name: props.container.name ?? 'agent' } as ContainerProps;
    this.sidecars = [...(props.sidecars ?? [])];
    const all = [this.main, ...this.sidecars, ...(props.initContainers ?? [])];
    const names = new Set<string>();
    for (const c of all) {
      validateContainer(owner, c);
      if (names.has(c.name)) throw new Error(`${owner}: two containers are named ${JSON.stringify(c.name)}; container names must be unique in a pod`);
      names.add(c.name);
    }
    if (props.replicas !== undefined && (!Number.isInteger(props.replicas) || props.replicas < 0)) {
      throw new Error(`${owner}: replicas must be a whole number ≥ 0, got ${JSON.stringify(props.replicas)}`);
    }
    if (this.kind === 'Job' && props.replicas !== undefined) throw new Error(`${owner}: replicas applies to Deployments only; a Job runs once`);
    for (const d of props.writableDirectories ?? []) if (d.sizeLimit) assertQuantity(`${owner}: writable directory ${d.name} sizeLimit`, d.sizeLimit);

    this.selectorLabels = { [Labels.NAME]: this.name, [Labels.INSTANCE]: `${this.namespace}.${this.name}` };
    assertLabelValue(`${owner}: instance label`, this.selectorLabels[Labels.INSTANCE]!);
    this.podLabels = { ...this.selectorLabels, [Labels.MANAGED_BY]: MANAGED_BY_LOCKSTEP };
    if (props.component) this.podLabels[Labels.COMPONENT] = props.component;
    if (props.partOf) this.podLabels[Labels.PART_OF] = props.partOf;
    for (const [k, v] of Object.entries(props.labels ?? {})) {
      assertLabelValue(`${owner}: label ${k}`, v);
      this.podLabels[k] = v;
    }
    this.annotations = { ...props.annotations };

    const token = findAcknowledgement(props.serviceAccountToken ? [props.serviceAccountToken] : [], 'workload/service-account-token');
    if (props.serviceAccountToken && !token) {
      throw new Error(`${owner}: serviceAccountToken takes Acknowledgement.of('workload/service-account-token', '<why>'), got an acknowledgement for "${props.serviceAccountToken.id}"`);
    }
    this.serviceAccount = new ServiceAccount(this, 'ServiceAccount', {
      name: this.name,
      namespace: this.namespace,
      automountToken: token !== undefined,
      labels: { ...this.selectorLabels },
    });

    if (props.config && Object.keys(props.config).length > 0) {
      const data = { ...props.config };
      new KubeObject(this, 'Config', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: `${this.name}-config`,
        namespace: this.namespace,
        labels: { ...this.selectorLabels, [Labels.MANAGED_BY]: MANAGED_BY_LOCKSTEP },
        body: () => ({ data }),
      });
    }

    new KubeObject(this, this.kind, {
      apiVersion: this.kind === 'Deployment' ? 'apps/v1' : 'batch/v1',
      kind: this.kind,
      name: this.name,
      namespace: this.namespace,
      labels: { ...this.podLabels },
      body: () => this.renderWorkload(),
    });
    // Annotations are kept in sync on the object's metadata at render time (see renderWorkload).

    if (this.main.ports?.length) {
      new KubeObject(this, 'Service', {
        apiVersion: 'v1',
        kind: 'Service',
        name: this.name,
        namespace: this.namespace,
        labels: { ...this.selectorLabels, [Labels.MANAGED_BY]: MANAGED_BY_LOCKSTEP },
        body: () => ({
          spec: {
            type: 'ClusterIP',
            selector: { ...this.selectorLabels },
            ports: this.main.ports!.map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: p.protocol ?? 'TCP' })),
          },
        }),
      });
    }

    const policy = new WorkloadNetworkPolicy(this, { name: this.name, namespace: this.namespace, podLabels: { ...this.selectorLabels } });
    this.connections = new Connections(this, this, policy);
  }

  get peerName(): string {
    return `${this.kind} ${this.namespace}/${this.name}`;
  }

  peerJson(fromNamespace: string): PeerJson {
    return podPeer(this.namespace, this.selectorLabels, fromNamespace);
  }

  /** Whether the pods mount the service-account token. */
  get mountsServiceAccountToken(): boolean {
    return this.serviceAccount.automountToken;
  }

  /** Every Secret the pods read (env, envFrom and volumes). */
  get secretNames(): string[] {
    const names = new Set<string>();
    for (const c of [this.main, ...this.sidecars, ...(this.props.initContainers ?? [])]) for (const s of secretReferences(c)) names.add(s);
    for (const v of this.props.secretVolumes ?? []) names.add(v.secret);
    return [...names].sort();
  }

  /** All labels on the pods. */
  get labels(): Readonly<Record<string, string>> {
    return this.podLabels;
  }

  /** Adds an annotation to the workload and its pod template. */
  annotate(key: string, value: string): void {
    this.annotations[key] = value;
  }

  /** Adds a sidecar container (restricted defaults apply). */
  addSidecar(props: ContainerProps): void {
    validateContainer(this.peerName, props);
    this.sidecars.push(props);
  }

  /** Container images this workload runs, in pod order. */
  get images(): string[] {
    return this.containers.map((c) => c.image);
  }

  /** Name and image of every container: init containers, the agent, then sidecars. */
  get containers(): { readonly name: string; readonly image: string; readonly role: 'init' | 'main' | 'sidecar' }[] {
    return [
      ...(this.props.initContainers ?? []).map((c) => ({ name: c.name, image: c.image, role: 'init' as const })),
      { name: this.main.name, image: this.main.image, role: 'main' as const },
      ...this.sidecars.map((c) => ({ name: c.name, image: c.image, role: 'sidecar' as const })),
    ];
  }

  private renderWorkload(): Record<string, unknown> {
    const props = this.props;
    const dirs = props.writableDirectories ?? DEFAULT_WRITABLE_DIRECTORIES;
    const writableMounts: VolumeMount[] = dirs.map((d) => ({ volume: d.name, path: d.path, readOnly: false }));
    const volumes: Record<string, unknown>[] = [
      ...dirs.map((d) => ({ name: d.name, emptyDir: { sizeLimit: d.sizeLimit ?? '256Mi' } })),
      ...(props.secretVolumes ?? []).map((v) => ({ name: v.name, secret: { secretName: v.secret, defaultMode: 0o400 } })),
      ...(props.configMapVolumes ?? []).map((v) => ({ name: v.name, configMap: { name: v.configMap } })),
    ];
    const extraMounts: VolumeMount[] = [
      ...(props.secretVolumes ?? []).map((v) => ({ volume: v.name, path: v.path, readOnly: true })),
      ...(props.configMapVolumes ?? []).map((v) => ({ volume: v.name, path: v.path, readOnly: true })),
    ];
    const configEnvFrom = props.config && Object.keys(props.config).length > 0 ? [EnvFrom.configMap(`${this.name}-config`)] : [];
    const main: ContainerProps = { ...this.main, envFrom: [...configEnvFrom, ...(this.main.envFrom ?? [])] };
    const mounts = [...writableMounts, ...extraMounts];
    const podSpec: Record<string, unknown> = {
      serviceAccountName: this.serviceAccount.name,
      automountServiceAccountToken: this.serviceAccount.automountToken,
      enableServiceLinks: false,
      hostIPC: false,
      hostNetwork: false,
      hostPID: false,
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      terminationGracePeriodSeconds: props.terminationGracePeriodSeconds ?? 30,
      containers: [containerJson(main, mounts), ...this.sidecars.map((s) => containerJson(s, mounts))],
      ...(props.initContainers?.length ? { initContainers: props.initContainers.map((c) => containerJson(c, mounts)) } : {}),
      volumes,
      ...(props.nodeSelector ? { nodeSelector: { ...props.nodeSelector } } : {}),
      ...(props.runtimeClassName ? { runtimeClassName: props.runtimeClassName } : {}),
      ...(this.kind === 'Job' ? { restartPolicy: 'Never' } : {}),
      ...(props.spreadOverNodes
        ? {
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                  { labelSelector: { matchLabels: { ...this.selectorLabels } }, topologyKey: 'kubernetes.io/hostname' },
                ],
              },
            },
          }
        : {}),
    };
    const annotations = Object.keys(this.annotations).length ? { annotations: { ...this.annotations } } : {};
    const template = { metadata: { labels: { ...this.podLabels }, ...annotations }, spec: podSpec };
    // The workload's own metadata carries the same annotations (admission policies look there).
    const objMeta = this.node.tryFindChild(this.kind) as KubeObject | undefined;
    for (const [k, v] of Object.entries(this.annotations)) objMeta?.metadata.addAnnotation(k, v);
    if (this.kind === 'Deployment') {
      return {
        spec: {
          replicas: props.replicas ?? 1,
          revisionHistoryLimit: 5,
          selector: { matchLabels: { ...this.selectorLabels } },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
          template,
        },
      };
    }
    const job = props.job ?? {};
    return {
      spec: {
        activeDeadlineSeconds: job.activeDeadlineSeconds ?? 3600,
        backoffLimit: job.backoffLimit ?? 0,
        ttlSecondsAfterFinished: job.ttlSecondsAfterFinished ?? 3600,
        template,
      },
    };
  }
}
