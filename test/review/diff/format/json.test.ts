import { describe, expect, it } from 'vitest';
import { diffJson, formatJson } from '../../../../src/review/diff/format/json.ts';
import { fixtureReport } from './report-fixture.ts';

describe('diff JSON', () => {
  it('has a stable schema: environments with objects by change type, pointers and findings', () => {
    const json = diffJson(fixtureReport()) as any;
    expect(json).toMatchObject({ schemaVersion: 1, base: { rev: 'origin/main', commit: '0123456789abcdef0123456789abcdef01234567' }, head: { rev: 'working tree', commit: null }, changed: true });
    const staging = json.environments[0];
    expect(staging.summary).toEqual({ added: 0, removed: 1, changed: 2, kinds: { ConfigMap: { added: 0, removed: 1, changed: 0 }, Deployment: { added: 0, removed: 0, changed: 1 }, Role: { added: 0, removed: 0, changed: 1 } }, findings: { 'rbac-broadened': 1 } });
    expect(staging.objects.changed.map((o: any) => [o.kind, o.name, o.pointers])).toEqual([['Deployment', 'api', ['/spec/replicas']], ['Role', 'reader', ['/rules/0/verbs/1']]]);
    expect(staging.objects.removed[0]).toMatchObject({ kind: 'ConfigMap', namespace: 'app', constructPath: 'staging/app/old/ConfigMap', source: { file: 'src/platform/app.ts', line: 30, column: 5 } });
    expect(staging.findings).toEqual([
      { class: 'rbac-broadened', environment: 'staging', object: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', namespace: 'app', name: 'reader' }, change: 'changed', constructPath: 'staging/app/reader/Role', source: { file: 'src/platform/app.ts', line: 12, column: 5 }, pointer: '/rules/0', message: 'now grants get on secrets' },
    ]);
  });

  it('prints the same bytes for the same report', () => {
    expect(formatJson(fixtureReport())).toBe(formatJson(fixtureReport()));
  });
});
