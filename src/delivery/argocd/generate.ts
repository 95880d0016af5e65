/**
 * `generateArgoCd`: the Argo CD objects that deliver each environment's rendering.
 *
 * Per environment: one AppProject (project.ts) and one Application per cluster (application.ts).
 *
 * | stage      | sync                               | targetRevision                  | lock                     |
 * |------------|------------------------------------|---------------------------------|--------------------------|
 * | dev        | automated, prune, selfHeal, retry  | `main`                          | none                     |
 * | staging    | automated, prune, selfHeal, retry  | `main`                          | none                     |
 * | production | manual only                        | `release/<env>-<12 hex>` (pin)  | always-active deny window|
 *
 * Every object is validated against the Argo CD schemas; every problem of every environment is
 * collected and thrown once. Output is deterministic: keys sorted, lists sorted, no timestamps.
 */
import { sortKeysDeep } from '../../../constructs/core/sort.ts';
import type { EnvironmentConfig } from '../../config/types.ts';
import type { KubeJson } from '../../k8s/objects.ts';
import { LockstepError, type Problem } from '../../util/errors.ts';
import { applicationFor, applicationName, isAutomated } from './application.ts';
import { appProjectFor, productionLockWindow, renderedNamespaces } from './project.ts';
import { checkPinned, chooseRevision, type ManifestObject, type RevisionChoice } from './revision.ts';
import { readDeliverySettings } from './settings.ts';
import { validateArgoCdObject } from './validate.ts';

/** The configuration repository Argo CD reads, unless told otherwise. */
export const DEFAULT_REPO_URL = 'https://github.com/acme/platform-config.git';

/** Where the generated objects are written, relative to the repository root. */
export const ARGOCD_DIR = 'argocd';

/** The parts of an environment the generator reads; `delivery` is read defensively (settings.ts). */
export type DeliveryEnvironment = Pick<EnvironmentConfig, 'name' | 'stage' | 'clusters'> & { readonly delivery?: unknown };

export interface ArgoCdEnvironmentInput {
  readonly config: DeliveryEnvironment;
  /** The rendered objects, as `Rendering.objects` holds them (json and path under `dist/<env>/`). */
  readonly objects: readonly ManifestObject[];
  /** Repository-relative environment file, for problem locations. @default `environments/<name>.yaml` */
  readonly file?: string;
}

export interface GenerateArgoCdOptions {
  readonly environments: readonly ArgoCdEnvironmentInput[];
  /** @default DEFAULT_REPO_URL */
  readonly repoURL?: string;
  /** Environment name → revision, overriding `delivery.targetRevision` (the promotion step passes it). */
  readonly revisions?: Readonly<Record<string, string>>;
  /** Folder of the renderings in the repository. @default 'dist' */
  readonly distDir?: string;
}

/** One generated object and where it is written, relative to `argocd/`. */
export interface ArgoCdObject {
  readonly environment: string;
  /** `<env>/<kind>_<name>.yaml` */
  readonly path: string;
  readonly json: KubeJson;
}

export interface ArgoCdApplicationSummary {
  readonly name: string;
  readonly cluster: string;
  readonly server: string;
  readonly targetRevision: string;
  readonly revisionSource: RevisionChoice['source'];
  readonly automated: boolean;
}

export interface ArgoCdEnvironmentSummary {
  readonly environment: string;
  readonly stage: string;
  readonly project: string;
  readonly path: string;
  readonly namespaces: readonly string[];
  readonly clusterKinds: number;
  readonly namespacedKinds: number;
  /** The production lock, when there is one. */
  readonly lock?: { readonly manualSync: boolean };
  readonly applications: readonly ArgoCdApplicationSummary[];
}

export interface ArgoCdOutput {
  readonly environments: readonly ArgoCdEnvironmentSummary[];
  /** Sorted by path. */
  readonly objects: readonly ArgoCdObject[];
}

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `<kind>_<name>.yaml`, as synth names manifests. */
export function objectFileName(json: KubeJson): string {
  return `${String(json.kind).toLowerCase()}_${json.metadata?.name}.yaml`;
}

export function generateArgoCd(options: GenerateArgoCdOptions): ArgoCdOutput {
  const repoURL = options.repoURL ?? DEFAULT_REPO_URL;
  const distDir = options.distDir ?? 'dist';
  const problems: Problem[] = [];
  const objects: ArgoCdObject[] = [];
  const summaries: ArgoCdEnvironmentSummary[] = [];
  const appOwners = new Map<string, string>();

  if (repoURL.trim() === '' || /\s/.test(repoURL)) {
    problems.push({ message: `the repository URL must be a Git URL without spaces, got ${JSON.stringify(repoURL)}`, fix: `e.g. ${DEFAULT_REPO_URL}`, code: 'argocd/repo-url' });
  }
  const known = new Set(options.environments.map((e) => e.config.name));
  for (const name of Object.keys(options.revisions ?? {}).sort()) {
    if (!known.has(name)) problems.push({ message: `a revision was given for environment ${JSON.stringify(name)}, which is not generated`, fix: `use one of: ${[...known].sort().join(', ')}`, code: 'argocd/unknown-environment' });
  }

  for (const input of [...options.environments].sort((a, b) => (a.config.name < b.config.name ? -1 : a.config.name > b.config.name ? 1 : 0))) {
    const { config } = input;
    const env = config.name;
    const file = input.file ?? `environments/${env}.yaml`;
    const { settings, problems: settingProblems } = readDeliverySettings(config, file);
    problems.push(...settingProblems);
    const path = `${distDir}/${env}/manifests`;
    if (input.objects.length === 0) {
      problems.push({ file, message: `environment ${env} renders no objects, so ${path} would not exist and Argo CD would have nothing to sync`, fix: 'render at least one object, or remove the environment', code: 'argocd/empty-environment' });
      continue;
    }
    if (config.clusters.length === 0) {
      problems.push({ file, pointer: '/clusters', message: `environment ${env} has no clusters, so no Application can deliver it`, fix: 'add a cluster with name and server', code: 'argocd/no-clusters' });
      continue;
    }
    const parameter = options.revisions?.[env];
    const choice = chooseRevision({ env, stage: config.stage, objects: input.objects, ...(parameter !== undefined ? { parameter } : {}), ...(settings.targetRevision !== undefined ? { setting: settings.targetRevision } : {}) });
    problems.push(...checkPinned(choice, config.stage, file));

    const lockKey = config.stage === 'production' ? windowKey(productionLockWindow(settings.manualSync)) : undefined;
    const seenWindows = new Set(lockKey ? [lockKey] : []);
    settings.syncWindows.forEach((w, i) => {
      const key = windowKey(w);
      if (seenWindows.has(key)) {
        problems.push({ file, pointer: `/delivery/syncWindows/${i}`, message: `repeats the ${w.kind} window "${w.schedule}" for ${w.duration}${key === lockKey ? ', which is the production lock' : ''}; Argo CD refuses a project with two windows of the same kind, schedule and duration`, fix: 'change its schedule or duration, or remove it', code: 'argocd/duplicate-window' });
      }
      seenWindows.add(key);
    });

    const labels = { 'app.kubernetes.io/managed-by': 'lockstep', 'lockstep.dev/environment': env, 'lockstep.dev/stage': config.stage };
    const project = appProjectFor({
      name: env,
      env,
      stage: config.stage,
      namespace: settings.argocdNamespace,
      repoURL,
      clusters: config.clusters,
      objects: input.objects,
      manualSync: settings.manualSync,
      syncWindows: settings.syncWindows,
      labels,
      distPath: path,
    });
    const namespaces = renderedNamespaces(input.objects);
    const destinationNamespace = namespaces[0];
    const envObjects: KubeJson[] = [project];
    const applications: ArgoCdApplicationSummary[] = [];
    if (destinationNamespace === undefined) {
      problems.push({ file, message: `environment ${env} renders no namespace, and an Application's destination must name one its project permits`, fix: 'render at least one Namespace', code: 'argocd/no-namespace' });
    } else {
      config.clusters.forEach((cluster, i) => {
        const name = applicationName(env, cluster.name);
        if (name.length > 63 || !LABEL.test(name)) {
          problems.push({ file, pointer: `/clusters/${i}/name`, message: `gives the Application name ${JSON.stringify(name)} (<env>-<cluster>), which is not a DNS label of at most 63 characters; Argo CD puts the name in the app.kubernetes.io/instance label`, fix: 'shorten the environment or cluster name', code: 'argocd/application-name' });
        }
        const owner = appOwners.get(name);
        if (owner !== undefined) {
          problems.push({ file, pointer: `/clusters/${i}/name`, message: `gives the Application name ${JSON.stringify(name)}, which ${owner} already gives`, fix: 'rename the cluster so <env>-<cluster> is unique', code: 'argocd/application-name' });
        }
        appOwners.set(name, `${file} (cluster ${cluster.name})`);
        envObjects.push(applicationFor({ env, stage: config.stage, project: env, namespace: settings.argocdNamespace, cluster, repoURL, targetRevision: choice.revision, path, destinationNamespace, labels }));
        applications.push({ name, cluster: cluster.name, server: cluster.server, targetRevision: choice.revision, revisionSource: choice.source, automated: isAutomated(config.stage) });
      });
    }
    for (const json of envObjects) {
      const rel = `${env}/${objectFileName(json)}`;
      problems.push(...validateArgoCdObject(json, `${ARGOCD_DIR}/${rel}`));
      objects.push({ environment: env, path: rel, json: sortKeysDeep(json) as KubeJson });
    }
    const kinds = { cluster: project.spec?.clusterResourceWhitelist?.length ?? 0, namespaced: project.spec?.namespaceResourceWhitelist?.length ?? 0 };
    summaries.push({
      environment: env,
      stage: config.stage,
      project: env,
      path,
      namespaces,
      clusterKinds: kinds.cluster,
      namespacedKinds: kinds.namespaced,
      ...(config.stage === 'production' ? { lock: { manualSync: settings.manualSync } } : {}),
      applications,
    });
  }
  if (problems.length) throw new LockstepError(problems);
  objects.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { environments: summaries, objects };
}

function windowKey(w: { kind?: string; schedule?: string; duration?: string }): string {
  return `${w.kind}|${w.schedule}|${w.duration}`;
}
