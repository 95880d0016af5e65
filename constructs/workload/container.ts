import { findAcknowledgement, type Acknowledgement } from '../core/acknowledgement.ts';
import { assertResources, resourcesJson, type Resources } from '../core/quantity.ts';
import type { EnvFrom, EnvValue } from './env.ts';
import type { Probe } from './probe.ts';

export interface ContainerPort {
  /** Port name, referenced by Services (≤ 15 characters). */
  readonly name: string;
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

export interface VolumeMount {
  readonly volume: string;
  readonly path: string;
  /** @default true */
  readonly readOnly?: boolean;
}

export interface ContainerProps {
  /** Container name, unique in the pod. */
  readonly name: string;
  /** Image reference. Outside dev it must be pinned by digest (`repo@sha256:…`); `:latest` is refused everywhere. */
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  /** Requests and limits, both required. */
  readonly resources: Resources;
  readonly ports?: readonly ContainerPort[];
  /** Environment variables, from ConfigMap or Secret references only. */
  readonly env?: Readonly<Record<string, EnvValue>>;
  readonly envFrom?: readonly EnvFrom[];
  /** Extra mounts (the workload's writable directories are mounted in every container already). */
  readonly volumeMounts?: readonly VolumeMount[];
  readonly readiness?: Probe;
  readonly liveness?: Probe;
  readonly startup?: Probe;
  /**
   * Run as this user id. Unset by default: OpenShift's restricted SCC assigns ids per namespace, and
   * a fixed id (the seeds used 65532 or 2000) makes pods fail admission there. Setting it needs an
   * acknowledgement `workload/fixed-user-id`.
   */
  readonly runAsUser?: number;
  /**
   * Exemptions: `workload/writable-root-filesystem` lets the image write outside its mounts
   * (a compromised agent can then persist tools in its filesystem).
   */
  readonly acknowledgements?: readonly Acknowledgement[];
}

/** The restricted security context every container gets (PSS restricted and OpenShift restricted-v2). */
export function restrictedContainerSecurityContext(props: ContainerProps): Record<string, unknown> {
  const writable = findAcknowledgement(props.acknowledgements, 'workload/writable-root-filesystem');
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem: !writable,
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
    ...(props.runAsUser !== undefined ? { runAsUser: props.runAsUser } : {}),
  };
}

export function validateContainer(owner: string, props: ContainerProps): void {
  const what = `${owner}: container ${JSON.stringify(props.name)}`;
  if (!props.name || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(props.name) || props.name.length > 63) {
    throw new Error(`${owner}: container name must be a DNS label, got ${JSON.stringify(props.name)}`);
  }
  if (typeof props.image !== 'string' || props.image.length === 0) {
    throw new Error(`${what} needs an image reference, got ${JSON.stringify(props.image)}`);
  }
  assertResources(`${what} resources`, props.resources);
  for (const p of props.ports ?? []) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(p.name) || p.name.length > 15) {
      throw new Error(`${what}: port name must be at most 15 lower-case letters, digits and "-", got ${JSON.stringify(p.name)}`);
    }
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) {
      throw new Error(`${what}: port ${p.name} must be an integer from 1 to 65535, got ${p.port}`);
    }
  }
  if (props.runAsUser !== undefined) {
    if (!findAcknowledgement(props.acknowledgements, 'workload/fixed-user-id')) {
      throw new Error(
        `${what} sets runAsUser ${props.runAsUser}; fixed user ids fail OpenShift's restricted SCC, leave it unset or add acknowledgements: [Acknowledgement.of('workload/fixed-user-id', '<why>')]`,
      );
    }
    if (props.runAsUser === 0) throw new Error(`${what} sets runAsUser 0 (root), which restricted Pod Security forbids; use a non-zero id or leave it unset`);
  }
}

export function containerJson(props: ContainerProps, sharedMounts: readonly VolumeMount[]): Record<string, unknown> {
  const env = Object.entries(props.env ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, v]) => ({ name, valueFrom: v.valueFrom }));
  const mounts = [...sharedMounts, ...(props.volumeMounts ?? [])].map((m) => ({ name: m.volume, mountPath: m.path, readOnly: m.readOnly ?? true }));
  return {
    name: props.name,
    image: props.image,
    imagePullPolicy: 'IfNotPresent',
    ...(props.command ? { command: [...props.command] } : {}),
    ...(props.args ? { args: [...props.args] } : {}),
    ...(env.length ? { env } : {}),
    ...(props.envFrom?.length ? { envFrom: props.envFrom.map((e) => e.toJson()) } : {}),
    ...(props.ports?.length
      ? { ports: props.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol ?? 'TCP' })) }
      : {}),
    resources: resourcesJson(props.resources),
    securityContext: restrictedContainerSecurityContext(props),
    ...(mounts.length ? { volumeMounts: mounts } : {}),
    ...(props.readiness ? { readinessProbe: props.readiness.toJson() } : {}),
    ...(props.liveness ? { livenessProbe: props.liveness.toJson() } : {}),
    ...(props.startup ? { startupProbe: props.startup.toJson() } : {}),
  };
}

/** Names of the Secrets a container reads through env or envFrom. */
export function secretReferences(props: ContainerProps): string[] {
  const names = new Set<string>();
  for (const v of Object.values(props.env ?? {})) if (v.source?.kind === 'Secret') names.add(v.source.name);
  for (const e of props.envFrom ?? []) if (e.kind === 'Secret') names.add(e.name);
  return [...names];
}
