import { describe, expect, it } from 'vitest';
import { applicationFor, applicationName, isAutomated, SYNC_OPTIONS } from '../../../src/delivery/argocd/application.ts';

const input = {
  env: 'staging',
  project: 'staging',
  namespace: 'argocd',
  cluster: { name: 'eu-1', server: 'https://eu-1:6443', apiServerCidrs: [] },
  repoURL: 'https://git.example.com/platform.git',
  targetRevision: 'main',
  path: 'dist/staging/manifests',
  destinationNamespace: 'team-a',
  labels: { 'lockstep.dev/environment': 'staging' },
} as const;

describe('applicationFor', () => {
  it('syncs staging automatically with prune, selfHeal and retries', () => {
    const app = applicationFor({ ...input, stage: 'staging' });
    expect(app.spec.syncPolicy).toEqual({ automated: { prune: true, selfHeal: true }, retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } }, syncOptions: [...SYNC_OPTIONS] });
    expect(app.metadata.labels).toMatchObject({ 'lockstep.dev/cluster': 'eu-1', 'lockstep.dev/environment': 'staging' });
  });

  it('leaves production without automated sync or retries', () => {
    const app = applicationFor({ ...input, env: 'production', project: 'production', stage: 'production' });
    expect(app.spec.syncPolicy).toEqual({ syncOptions: [...SYNC_OPTIONS] });
    expect(isAutomated('production')).toBe(false);
    expect(isAutomated('dev')).toBe(true);
  });

  it('reads only *.yaml files, recursively, and creates no namespaces itself', () => {
    const app = applicationFor({ ...input, stage: 'dev' });
    expect(app.spec.source?.directory).toEqual({ recurse: true, include: '*.yaml' });
    expect(app.spec.syncPolicy?.syncOptions).not.toContain('CreateNamespace=true');
    expect(app.metadata.finalizers).toBeUndefined();
  });

  it('is named <env>-<cluster>', () => {
    expect(applicationName('production', 'eu-1')).toBe('production-eu-1');
  });
});
