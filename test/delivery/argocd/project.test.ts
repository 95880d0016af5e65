import { describe, expect, it } from 'vitest';
import { appProjectFor, productionLockWindow, renderedKinds, renderedNamespaces } from '../../../src/delivery/argocd/project.ts';
import { obj, smallRendering } from './fixtures.ts';

const base = {
  name: 'production',
  env: 'production',
  namespace: 'argocd',
  repoURL: 'https://git.example.com/platform.git',
  clusters: [{ name: 'p1', server: 'https://p1:6443', apiServerCidrs: [] }],
  objects: smallRendering(),
  manualSync: true,
  syncWindows: [],
  labels: { 'lockstep.dev/environment': 'production' },
  distPath: 'dist/production/manifests',
} as const;

describe('renderedNamespaces', () => {
  it('collects the namespaces of namespaced objects and of Namespace objects, sorted', () => {
    expect(renderedNamespaces([obj('v1', 'ConfigMap', 'c', 'zeta'), obj('v1', 'Namespace', 'alpha'), obj('v1', 'Service', 's', 'zeta')])).toEqual(['alpha', 'zeta']);
  });

  it('ignores Namespace kinds of other API groups', () => {
    expect(renderedNamespaces([obj('example.com/v1', 'Namespace', 'not-a-namespace')])).toEqual([]);
  });
});

describe('renderedKinds', () => {
  it('splits group/kinds by scope the way synth lays out dist', () => {
    const kinds = renderedKinds([obj('v1', 'Namespace', 'a'), obj('apps/v1', 'Deployment', 'd', 'a'), obj('apps/v1', 'Deployment', 'e', 'a')]);
    expect(kinds).toEqual({ cluster: [{ group: '', kind: 'Namespace' }], namespaced: [{ group: 'apps', kind: 'Deployment' }] });
  });
});

describe('appProjectFor', () => {
  it('locks production with an always-active deny window for every Application', () => {
    const project = appProjectFor({ ...base, stage: 'production' });
    expect(project.spec?.syncWindows).toEqual([productionLockWindow(true)]);
    expect(productionLockWindow(false)).toMatchObject({ kind: 'deny', schedule: '* * * * *', applications: ['*'], manualSync: false, description: expect.stringMatching(/hard freeze/) });
  });

  it('adds no window to other stages unless configured', () => {
    expect(appProjectFor({ ...base, name: 'staging', env: 'staging', stage: 'staging' }).spec?.syncWindows).toBeUndefined();
  });

  it('writes both whitelists even when a scope is empty, since a missing namespaced whitelist allows everything', () => {
    const project = appProjectFor({ ...base, stage: 'staging', objects: [obj('v1', 'Namespace', 'a')] });
    expect(project.spec?.namespaceResourceWhitelist).toEqual([]);
    expect(project.spec?.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
  });

  it('permits one destination per cluster server and namespace', () => {
    const project = appProjectFor({ ...base, stage: 'production', clusters: [{ name: 'b', server: 'https://b:6443', apiServerCidrs: [] }, { name: 'a', server: 'https://a:6443', apiServerCidrs: [] }] });
    expect(project.spec?.destinations?.map((d) => `${d.server} ${d.namespace}`)).toEqual(['https://a:6443 team-a', 'https://a:6443 team-b', 'https://b:6443 team-a', 'https://b:6443 team-b']);
  });
});
