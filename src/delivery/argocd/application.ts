/**
 * Applications: one per environment and cluster, each syncing `dist/<env>/manifests` of the
 * configuration repository as a plain directory.
 *
 * One Application per cluster rather than an ApplicationSet with a list generator, because
 * - each Application is a reviewed, committed file: a pull request shows exactly what every cluster
 *   will sync and from which revision, with no template to expand in one's head;
 * - `syncPolicy.automated` set on an ApplicationSet-generated Application is overwritten by the
 *   ApplicationSet controller, which would blur where production's "never automated" lives;
 * - every field is validated as the Application it is, not as a template string.
 * Environments have one to a handful of clusters, so nothing is repeated by hand: this generator
 * writes them.
 *
 * Directory source: `recurse: true` (manifests are grouped by namespace) and `include: '*.yaml'`,
 * so only the rendered objects are read, never JSON indexes, reports or signatures, even if one ends
 * up under the path. Argo CD matches the glob against the path relative to the app path with no
 * separator, so `*` also matches `_cluster/namespace_x.yaml`.
 *
 * Sync options:
 * - `ServerSideApply=true`: large CRDs exceed the 256 KiB last-applied annotation of client-side apply;
 * - `PruneLast=true`: deletions happen after every wave has been applied and is healthy;
 * - `FailOnSharedResource=true`: an Application never takes over an object another one manages.
 * No `CreateNamespace`: the rendering contains its Namespace objects (sync wave -3).
 * No resources finalizer: deleting an Application must not delete a platform.
 */
import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import type { ClusterConfig, Stage } from '../../config/types.ts';

export const SYNC_OPTIONS: readonly string[] = ['FailOnSharedResource=true', 'PruneLast=true', 'ServerSideApply=true'];

/** Retries of automated syncs: transient API errors should not leave an environment half-applied. */
const RETRY = { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } };

/** Application name for an environment's cluster: `<env>-<cluster>`. */
export function applicationName(env: string, cluster: string): string {
  return `${env}-${cluster}`;
}

/** Whether an environment of this stage syncs automatically. Production never does. */
export function isAutomated(stage: Stage): boolean {
  return stage !== 'production';
}

export interface ApplicationInput {
  readonly env: string;
  readonly stage: Stage;
  readonly project: string;
  readonly namespace: string;
  readonly cluster: ClusterConfig;
  readonly repoURL: string;
  readonly targetRevision: string;
  /** `dist/<env>/manifests` */
  readonly path: string;
  /**
   * The Application's own destination namespace. Argo CD requires it to be one the project permits;
   * every rendered namespaced object names its namespace, so it only applies to objects that do not.
   */
  readonly destinationNamespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

export function applicationFor(input: ApplicationInput): IApplication {
  const automated = isAutomated(input.stage);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: applicationName(input.env, input.cluster.name),
      namespace: input.namespace,
      labels: { ...input.labels, 'lockstep.dev/cluster': input.cluster.name },
      // Refresh this Application only when its own path changes (monorepo performance).
      annotations: { 'argocd.argoproj.io/manifest-generate-paths': '.' },
    },
    spec: {
      project: input.project,
      source: {
        repoURL: input.repoURL,
        targetRevision: input.targetRevision,
        path: input.path,
        directory: { recurse: true, include: '*.yaml' },
      },
      destination: { server: input.cluster.server, namespace: input.destinationNamespace },
      syncPolicy: {
        ...(automated ? { automated: { prune: true, selfHeal: true }, retry: RETRY } : {}),
        syncOptions: [...SYNC_OPTIONS],
      },
      revisionHistoryLimit: 10,
    },
  };
}
