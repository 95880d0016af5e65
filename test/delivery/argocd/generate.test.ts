import { describe, expect, it } from 'vitest';
import { AppProject, Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { DEFAULT_REPO_URL, generateArgoCd, objectFileName, type ArgoCdObject } from '../../../src/delivery/argocd/generate.ts';
import { releaseTag } from '../../../src/delivery/argocd/revision.ts';
import { LockstepError } from '../../../src/util/errors.ts';
import { env, obj, smallRendering, threeEnvironments } from './fixtures.ts';

const generate = (environments = threeEnvironments(), extra: Partial<Parameters<typeof generateArgoCd>[0]> = {}) => generateArgoCd({ environments, ...extra });

function find(objects: readonly ArgoCdObject[], kind: string, environment: string): ArgoCdObject[] {
  return objects.filter((o) => o.json.kind === kind && o.environment === environment);
}

function problemsOf(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof LockstepError) return e.message.split('\n');
    throw e;
  }
  throw new Error('expected a LockstepError');
}

describe('generateArgoCd', () => {
  it('writes one AppProject and one Application per cluster for every environment', () => {
    const out = generate();
    expect(out.objects.map((o) => o.path)).toEqual([
      'dev/application_dev-dev-1.yaml',
      'dev/appproject_dev.yaml',
      'production/application_production-production-1.yaml',
      'production/appproject_production.yaml',
      'staging/application_staging-staging-1.yaml',
      'staging/appproject_staging.yaml',
    ]);
  });

  it('never lets an AppProject allow every group or kind', () => {
    for (const o of generate().objects.filter((x) => x.json.kind === 'AppProject')) {
      for (const list of [o.json.spec.clusterResourceWhitelist, o.json.spec.namespaceResourceWhitelist]) {
        expect(list.length).toBeGreaterThan(0);
        for (const item of list) {
          expect(item.group).not.toContain('*');
          expect(item.kind).not.toContain('*');
        }
      }
      expect(o.json.spec.sourceRepos).toEqual([DEFAULT_REPO_URL]);
      for (const d of o.json.spec.destinations) expect(d.namespace).not.toContain('*');
    }
  });

  it('permits exactly the rendered namespaces on every cluster of the environment', () => {
    const config = env('staging', 'staging', {
      clusters: [
        { name: 'eu-1', server: 'https://eu-1.example.internal:6443', apiServerCidrs: [] },
        { name: 'us-1', server: 'https://us-1.example.internal:6443', apiServerCidrs: [] },
      ],
    });
    const out = generate([{ config, objects: smallRendering() }]);
    const [project] = find(out.objects, 'AppProject', 'staging');
    expect(project!.json.spec.destinations).toEqual([
      { namespace: 'team-a', server: 'https://eu-1.example.internal:6443' },
      { namespace: 'team-b', server: 'https://eu-1.example.internal:6443' },
      { namespace: 'team-a', server: 'https://us-1.example.internal:6443' },
      { namespace: 'team-b', server: 'https://us-1.example.internal:6443' },
    ]);
    const apps = find(out.objects, 'Application', 'staging');
    expect(apps.map((a) => [a.json.metadata.name, a.json.spec.destination.server])).toEqual([
      ['staging-eu-1', 'https://eu-1.example.internal:6443'],
      ['staging-us-1', 'https://us-1.example.internal:6443'],
    ]);
    // The Application's own destination must be one the project permits.
    for (const a of apps) expect(project!.json.spec.destinations).toContainEqual(a.json.spec.destination);
  });

  it('whitelists exactly the rendered group/kinds, split by scope', () => {
    const [project] = find(generate().objects, 'AppProject', 'dev');
    expect(project!.json.spec.clusterResourceWhitelist).toEqual([
      { group: '', kind: 'Namespace' },
      { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
    ]);
    expect(project!.json.spec.namespaceResourceWhitelist).toEqual([
      { group: '', kind: 'ConfigMap' },
      { group: '', kind: 'Service' },
      { group: 'apps', kind: 'Deployment' },
      { group: 'example.com', kind: 'Widget' },
      { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
    ]);
    expect(project!.json.spec.orphanedResources).toEqual({ warn: true });
  });

  it('never syncs production automatically, pins it to its release tag and locks its project with a deny window', () => {
    const out = generate();
    const [app] = find(out.objects, 'Application', 'production');
    expect(app!.json.spec.syncPolicy.automated).toBeUndefined();
    expect(app!.json.spec.source.targetRevision).toBe(releaseTag('production', smallRendering()));
    expect(app!.json.spec.source.targetRevision).toMatch(/^release\/production-[0-9a-f]{12}$/);
    const [project] = find(out.objects, 'AppProject', 'production');
    expect(project!.json.spec.syncWindows).toEqual([
      expect.objectContaining({ kind: 'deny', schedule: '* * * * *', duration: '24h', applications: ['*'], manualSync: true, timeZone: 'UTC' }),
    ]);
    expect(out.environments.find((e) => e.environment === 'production')?.lock).toEqual({ manualSync: true });
  });

  it('makes the production lock a hard freeze when the environment says manualSync: false', () => {
    const out = generate([{ config: env('production', 'production', { delivery: { manualSync: false } }), objects: smallRendering() }]);
    const [project] = find(out.objects, 'AppProject', 'production');
    expect(project!.json.spec.syncWindows[0]).toMatchObject({ kind: 'deny', manualSync: false });
  });

  it('syncs staging and dev from main automatically, with prune and selfHeal, and no sync window', () => {
    const out = generate();
    for (const environment of ['staging', 'dev']) {
      const [app] = find(out.objects, 'Application', environment);
      expect(app!.json.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
      expect(app!.json.spec.syncPolicy.retry).toMatchObject({ limit: 5 });
      expect(app!.json.spec.source.targetRevision).toBe('main');
      const [project] = find(out.objects, 'AppProject', environment);
      expect(project!.json.spec.syncWindows).toBeUndefined();
    }
  });

  it('points every Application at dist/<env>/manifests as a recursive directory of *.yaml only', () => {
    for (const o of generate().objects.filter((x) => x.json.kind === 'Application')) {
      expect(o.json.spec.source).toMatchObject({
        repoURL: DEFAULT_REPO_URL,
        path: `dist/${o.environment}/manifests`,
        directory: { recurse: true, include: '*.yaml' },
      });
      expect(o.json.spec.project).toBe(o.environment);
      expect(o.json.metadata.namespace).toBe('argocd');
      expect(o.json.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
    }
  });

  it('produces objects that pass the Argo CD schemas of @kubernetes-models/argo-cd', () => {
    for (const o of generate().objects) {
      const Model = o.json.kind === 'Application' ? Application : AppProject;
      expect(() => new Model(o.json as any).validate()).not.toThrow();
    }
  });

  it('is deterministic: the same inputs in any order give the same objects, keys sorted', () => {
    const a = generate();
    const b = generate([...threeEnvironments()].reverse());
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    for (const o of a.objects) expect(Object.keys(o.json)).toEqual([...Object.keys(o.json)].sort());
  });

  it('takes the repository URL and a revision per environment as parameters', () => {
    const out = generate(threeEnvironments(), { repoURL: 'https://git.example.com/platform.git', revisions: { production: 'release/production-0123456789ab' } });
    const [app] = find(out.objects, 'Application', 'production');
    expect(app!.json.spec.source).toMatchObject({ repoURL: 'https://git.example.com/platform.git', targetRevision: 'release/production-0123456789ab' });
    expect(out.environments.find((e) => e.environment === 'production')?.applications[0]).toMatchObject({ revisionSource: 'parameter', automated: false });
  });

  it('adds configured sync windows after the production lock', () => {
    const delivery = { syncWindows: [{ kind: 'deny', schedule: '0 18 * * 5', duration: '60h', timeZone: 'Europe/Berlin' }] };
    const out = generate([{ config: env('staging', 'staging', { delivery }), objects: smallRendering() }]);
    const [project] = find(out.objects, 'AppProject', 'staging');
    expect(project!.json.spec.syncWindows).toEqual([{ kind: 'deny', schedule: '0 18 * * 5', duration: '60h', timeZone: 'Europe/Berlin', manualSync: false, applications: ['*'] }]);
  });

  it('names files <kind>_<name>.yaml like synth', () => {
    expect(objectFileName({ kind: 'AppProject', metadata: { name: 'dev' } })).toBe('appproject_dev.yaml');
  });

  it('fails when production would follow a branch', () => {
    expect(problemsOf(() => generate([{ config: env('production', 'production', { delivery: { targetRevision: 'main' } }), objects: smallRendering() }]))).toEqual([
      'environments/production.yaml: /delivery/targetRevision: targetRevision must pin a release (a tag or a commit), got "main", which moves with every push; remove it to use the release tag (release/<env>-<12 hex>), or name a tag or commit SHA',
    ]);
    expect(problemsOf(() => generate(threeEnvironments(), { revisions: { production: 'HEAD' } }))[0]).toMatch(/the revision passed for production must pin a release .* got "HEAD"/);
  });

  it('fails when a revision names an environment that is not generated', () => {
    expect(problemsOf(() => generate(threeEnvironments(), { revisions: { qa: 'main' } }))).toEqual([
      'a revision was given for environment "qa", which is not generated; use one of: dev, production, staging',
    ]);
  });

  it('fails when the repository URL is empty or has spaces', () => {
    expect(problemsOf(() => generate(threeEnvironments(), { repoURL: ' ' }))[0]).toMatch(/the repository URL must be a Git URL without spaces, got " "/);
  });

  it('fails when an environment renders nothing', () => {
    expect(problemsOf(() => generate([{ config: env('dev', 'dev'), objects: [] }]))).toEqual([
      'environments/dev.yaml: environment dev renders no objects, so dist/dev/manifests would not exist and Argo CD would have nothing to sync; render at least one object, or remove the environment',
    ]);
  });

  it('fails when an environment has no clusters', () => {
    expect(problemsOf(() => generate([{ config: env('dev', 'dev', { clusters: [] }), objects: smallRendering() }]))[0]).toMatch(/^environments\/dev.yaml: \/clusters: environment dev has no clusters/);
  });

  it('fails when an environment renders only cluster-scoped objects outside any namespace', () => {
    const objects = [obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader')];
    expect(problemsOf(() => generate([{ config: env('dev', 'dev'), objects }]))[0]).toMatch(/environment dev renders no namespace, and an Application's destination must name one its project permits/);
  });

  it('fails when two clusters give the same Application name, or a name longer than a DNS label', () => {
    const twice = env('dev', 'dev', { clusters: [{ name: 'a', server: 'https://a:6443', apiServerCidrs: [] }, { name: 'a', server: 'https://b:6443', apiServerCidrs: [] }] });
    expect(problemsOf(() => generate([{ config: twice, objects: smallRendering() }]))).toEqual([
      'environments/dev.yaml: /clusters/1/name: gives the Application name "dev-a", which environments/dev.yaml (cluster a) already gives; rename the cluster so <env>-<cluster> is unique',
    ]);
    const long = env('dev', 'dev', { clusters: [{ name: 'c'.repeat(63), server: 'https://a:6443', apiServerCidrs: [] }] });
    expect(problemsOf(() => generate([{ config: long, objects: smallRendering() }]))[0]).toMatch(/is not a DNS label of at most 63 characters; Argo CD puts the name in the app.kubernetes.io\/instance label/);
  });

  it('fails when a configured window repeats the production lock', () => {
    const delivery = { syncWindows: [{ kind: 'deny', schedule: '* * * * *', duration: '24h' }] };
    expect(problemsOf(() => generate([{ config: env('production', 'production', { delivery }), objects: smallRendering() }]))).toEqual([
      'environments/production.yaml: /delivery/syncWindows/0: repeats the deny window "* * * * *" for 24h, which is the production lock; Argo CD refuses a project with two windows of the same kind, schedule and duration; change its schedule or duration, or remove it',
    ]);
  });

  it('fails with every problem of every environment at once', () => {
    const lines = problemsOf(() => generate([
      { config: env('dev', 'dev', { delivery: { manualSync: 'yes' } }), objects: smallRendering() },
      { config: env('production', 'production', { delivery: { targetRevision: 'master' } }), objects: smallRendering() },
    ]));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^environments\/dev.yaml: \/delivery\/manualSync: must be true or false, got "yes"/);
    expect(lines[1]).toMatch(/^environments\/production.yaml: \/delivery\/targetRevision: .*got "master"/);
  });
});
