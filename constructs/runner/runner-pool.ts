import { Construct } from 'constructs';
import { addCheck } from '../core/checks.ts';
import { Labels } from '../core/labels.ts';
import type { Resources } from '../core/quantity.ts';
import { recordSource } from '../core/source.ts';
import { TenantNamespace } from '../namespace/tenant-namespace.ts';
import { NetworkPort } from '../network/port.ts';
import { AgentWorkload, type SecretVolume } from '../workload/agent-workload.ts';
import type { EnvFrom, EnvValue } from '../workload/env.ts';
import type { Acknowledgement } from '../core/acknowledgement.ts';

/**
 * Trust tier of a CI runner pool. `untrusted` runs code from forks and outside contributors:
 * it gets no credentials and can reach only the forge and registries outside the cluster.
 */
export type TrustTier = 'trusted' | 'untrusted';

export interface ForgeAccess {
  /** Addresses of the forge and registries, outside the cluster networks. */
  readonly cidrs: readonly string[];
  /** @default [TCP 443, TCP 22] */
  readonly ports?: readonly NetworkPort[];
}

export interface RunnerPoolProps {
  /** @default the construct id */
  readonly name?: string;
  readonly trustTier: TrustTier;
  readonly image: string;
  readonly resources: Resources;
  /** Runners kept warm (Deployment replicas). */
  readonly warmReplicas: number;
  /** Upper bound for the autoscaler, recorded on the pool. */
  readonly maxReplicas: number;
  readonly forge: ForgeAccess;
  /** Credentials for trusted pools only (e.g. a registry push token). Refused for untrusted pools. */
  readonly env?: Readonly<Record<string, EnvValue>>;
  readonly envFrom?: readonly EnvFrom[];
  readonly secretVolumes?: readonly SecretVolume[];
  /** A sandboxing runtime (e.g. `gvisor`), recommended for untrusted pools. */
  readonly runtimeClassName?: string;
  /** Trusted pools only: mount the API token (needs the acknowledgement). */
  readonly serviceAccountToken?: Acknowledgement;
  /** Extra pod labels (e.g. `{ 'krate.a5c.ai/org': 'acme' }`). */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A pool of CI runners (Krate's RunnerPool made real in Kubernetes terms): warm runner pods with
 * the restricted security context, labelled with the trust tier, egress only to DNS and the forge.
 * Untrusted pools are refused any Secret reference or mount, any service-account token, and any
 * egress to the Kubernetes API or to in-cluster namespaces.
 */
export class RunnerPool extends Construct {
  readonly trustTier: TrustTier;
  readonly runners: AgentWorkload;

  constructor(scope: Construct, id: string, props: RunnerPoolProps) {
    super(scope, id);
    recordSource(this);
    const name = props.name ?? id;
    const ns = TenantNamespace.of(this);
    this.trustTier = props.trustTier;
    const where = `RunnerPool ${ns.name}/${name} (${props.trustTier})`;
    if (!Number.isInteger(props.warmReplicas) || props.warmReplicas < 0 || !Number.isInteger(props.maxReplicas) || props.maxReplicas < props.warmReplicas) {
      throw new Error(`${where}: need 0 ≤ warmReplicas ≤ maxReplicas (whole numbers), got warmReplicas ${props.warmReplicas}, maxReplicas ${props.maxReplicas}`);
    }
    if (props.trustTier === 'untrusted') {
      const secrets = [
        ...Object.keys(props.env ?? {}).filter((k) => props.env![k]!.source?.kind === 'Secret'),
        ...(props.envFrom ?? []).filter((e) => e.kind === 'Secret').map((e) => `envFrom ${e.name}`),
        ...(props.secretVolumes ?? []).map((v) => `volume ${v.name}`),
      ];
      if (secrets.length) {
        throw new Error(`${where} references Secrets (${secrets.join(', ')}); untrusted runners execute outside code and must get no credentials — move the job to a trusted pool`);
      }
      if (props.serviceAccountToken) {
        throw new Error(`${where} asks for a service-account token; untrusted runners never get Kubernetes API credentials`);
      }
    }

    this.runners = new AgentWorkload(this, 'Runners', {
      name: `runner-${name}`,
      component: 'ci-runner',
      replicas: props.warmReplicas,
      labels: { [Labels.TRUST_TIER]: props.trustTier, 'lockstep.dev/runner-pool': name, ...props.labels },
      annotations: { 'lockstep.dev/max-replicas': String(props.maxReplicas) },
      ...(props.runtimeClassName ? { runtimeClassName: props.runtimeClassName } : {}),
      ...(props.serviceAccountToken ? { serviceAccountToken: props.serviceAccountToken } : {}),
      ...(props.secretVolumes ? { secretVolumes: props.secretVolumes } : {}),
      writableDirectories: [
        { name: 'tmp', path: '/tmp', sizeLimit: '1Gi' },
        { name: 'home', path: '/home/runner', sizeLimit: '256Mi' },
        { name: 'work', path: '/home/runner/_work', sizeLimit: '10Gi' },
      ],
      container: {
        name: 'runner',
        image: props.image,
        resources: props.resources,
        ...(props.env ? { env: props.env } : {}),
        ...(props.envFrom ? { envFrom: props.envFrom } : {}),
      },
    });
    const ports = props.forge.ports ?? [NetworkPort.tcp(443), NetworkPort.tcp(22)];
    for (const cidr of props.forge.cidrs) this.runners.connections.allowExternal(ports, { cidr });

    if (props.trustTier === 'untrusted') {
      addCheck(this, () => {
        const peers = this.egressPeers();
        const internal = peers.filter((p) => !('ipBlock' in p));
        return internal.length
          ? [`${where} has egress to in-cluster peers (${internal.map((p) => JSON.stringify(p)).join(', ')}); untrusted runners may reach only the forge outside the cluster`]
          : [];
      });
    }
  }

  private egressPeers(): Record<string, unknown>[] {
    const obj = this.runners.node.tryFindChild('NetworkPolicy') as { toJson(): any } | undefined;
    if (!obj) return [];
    const spec = obj.toJson().spec as { egress?: { to: Record<string, unknown>[] }[] };
    return (spec.egress ?? []).flatMap((r) => r.to);
  }
}
