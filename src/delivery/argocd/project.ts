/**
 * One AppProject per environment: the fence around what its Applications may do, derived from what
 * the environment actually renders, so the fence is as tight as the rendering.
 *
 * - sourceRepos: the one configuration repository;
 * - destinations: exactly the namespaces the environment renders, on each of its clusters;
 * - clusterResourceWhitelist / namespaceResourceWhitelist: exactly the group/kinds it renders,
 *   never `*` (TK8S whitelisted every cluster-scoped kind with `*`/`*`). Argo CD treats an empty
 *   namespaced whitelist as "nothing" and a missing one as "everything", so both are always written;
 * - orphanedResources.warn: objects in those namespaces that no Application tracks are flagged;
 * - syncWindows: for production the lock (an always-active deny window), plus configured windows.
 *
 * Scope follows the dist layout: an object with `metadata.namespace` is namespaced, one without is
 * cluster-scoped (synth writes it under `manifests/_cluster/`).
 */
import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import type { ClusterConfig, Stage } from '../../config/types.ts';
import type { KubeJson } from '../../k8s/objects.ts';
import type { SyncWindowSetting } from './settings.ts';

export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function groupOf(apiVersion: unknown): string {
  const v = String(apiVersion ?? '');
  return v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
}

/**
 * The namespaces an environment renders: every namespace a namespaced object lives in, and every
 * Namespace object it creates. Sorted.
 */
export function renderedNamespaces(objects: readonly { readonly json: KubeJson }[]): string[] {
  const out = new Set<string>();
  for (const { json } of objects) {
    const ns = json.metadata?.namespace;
    if (typeof ns === 'string' && ns !== '') out.add(ns);
    if (json.kind === 'Namespace' && groupOf(json.apiVersion) === '' && typeof json.metadata?.name === 'string') out.add(json.metadata.name);
  }
  return [...out].sort(compare);
}

/** The group/kinds an environment renders, split by scope, each sorted by group then kind. */
export function renderedKinds(objects: readonly { readonly json: KubeJson }[]): { cluster: GroupKind[]; namespaced: GroupKind[] } {
  const cluster = new Map<string, GroupKind>();
  const namespaced = new Map<string, GroupKind>();
  for (const { json } of objects) {
    const gk = { group: groupOf(json.apiVersion), kind: String(json.kind) };
    const target = json.metadata?.namespace ? namespaced : cluster;
    target.set(`${gk.group}/${gk.kind}`, gk);
  }
  const sorted = (m: Map<string, GroupKind>): GroupKind[] => [...m.values()].sort((a, b) => compare(a.group, b.group) || compare(a.kind, b.kind));
  return { cluster: sorted(cluster), namespaced: sorted(namespaced) };
}

/**
 * The production lock as Argo CD sees it: a deny window that is always active (it opens every
 * minute and lasts a day), for every Application of the project. Automated syncs never run while it
 * is active; `manualSync` decides whether an operator may still sync by hand.
 */
export function productionLockWindow(manualSync: boolean): NonNullable<NonNullable<IAppProject['spec']>['syncWindows']>[number] {
  return {
    kind: 'deny',
    schedule: '* * * * *',
    duration: '24h',
    timeZone: 'UTC',
    applications: ['*'],
    manualSync,
    description: manualSync
      ? 'Lockstep production lock: never synced automatically; an operator syncs a promoted release by hand'
      : 'Lockstep production lock: hard freeze; no sync until the AppProject lock is changed',
  };
}

export interface AppProjectInput {
  readonly name: string;
  readonly env: string;
  readonly stage: Stage;
  readonly namespace: string;
  readonly repoURL: string;
  readonly clusters: readonly ClusterConfig[];
  readonly objects: readonly { readonly json: KubeJson }[];
  readonly manualSync: boolean;
  readonly syncWindows: readonly SyncWindowSetting[];
  readonly labels: Readonly<Record<string, string>>;
  readonly distPath: string;
}

export function appProjectFor(input: AppProjectInput): IAppProject {
  const namespaces = renderedNamespaces(input.objects);
  const kinds = renderedKinds(input.objects);
  const servers = [...new Set(input.clusters.map((c) => c.server))].sort(compare);
  const windows = [
    ...(input.stage === 'production' ? [productionLockWindow(input.manualSync)] : []),
    ...input.syncWindows.map((w) => ({
      kind: w.kind,
      schedule: w.schedule,
      duration: w.duration,
      timeZone: w.timeZone,
      manualSync: w.manualSync,
      ...(w.applications.length ? { applications: [...w.applications] } : {}),
      ...(w.namespaces.length ? { namespaces: [...w.namespaces] } : {}),
      ...(w.clusters.length ? { clusters: [...w.clusters] } : {}),
      ...(w.description !== undefined ? { description: w.description } : {}),
    })),
  ];
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: input.name, namespace: input.namespace, labels: { ...input.labels } },
    spec: {
      description: `Lockstep environment ${input.env} (stage ${input.stage}): ${input.distPath} only`,
      sourceRepos: [input.repoURL],
      destinations: servers.flatMap((server) => namespaces.map((namespace) => ({ server, namespace }))),
      clusterResourceWhitelist: kinds.cluster.map((k) => ({ ...k })),
      namespaceResourceWhitelist: kinds.namespaced.map((k) => ({ ...k })),
      orphanedResources: { warn: true },
      ...(windows.length ? { syncWindows: windows } : {}),
    },
  };
}
