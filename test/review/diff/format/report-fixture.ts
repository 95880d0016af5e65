import { classifyEnvironment } from '../../../../src/review/diff/classify/index.ts';
import { matchObjects } from '../../../../src/review/diff/match.ts';
import type { DiffReport, SideObject } from '../../../../src/review/diff/types.ts';

/** A small two-sided report: a Role gains `get` on secrets, a Deployment scales, a ConfigMap goes. */
export function fixtureReport(): DiffReport {
  const o = (json: Record<string, any>, line: number): SideObject => ({
    json,
    path: `manifests/${json.metadata.namespace}/${String(json.kind).toLowerCase()}_${json.metadata.name}.yaml`,
    constructPath: `staging/app/${json.metadata.name}/${json.kind}`,
    source: { file: 'src/platform/app.ts', line, column: 5 },
  });
  const role = (verbs: string[]) => o({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader', namespace: 'app' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs }] }, 12);
  const deploy = (replicas: number) => o({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'app' }, spec: { replicas } }, 20);
  const cm = o({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'old', namespace: 'app' }, data: { k: 'v' } }, 30);
  const base = [role(['list']), deploy(1), cm];
  const head = [role(['list', 'get']), deploy(2)];
  const changes = matchObjects(base, head);
  return {
    base: { rev: 'origin/main', commit: '0123456789abcdef0123456789abcdef01234567' },
    head: { rev: 'working tree' },
    environments: [
      { name: 'staging', stage: 'staging', changes, findings: classifyEnvironment({ environment: 'staging', stage: 'staging', changes }), headObjects: head },
      { name: 'dev', stage: 'dev', changes: [], findings: [], headObjects: [] },
    ],
  };
}
