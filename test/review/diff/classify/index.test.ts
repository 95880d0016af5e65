import { describe, expect, it } from 'vitest';
import { classifyChange, classifyEnvironment, sortFindings } from '../../../../src/review/diff/classify/index.ts';
import type { Finding, ObjectChange, SideObject } from '../../../../src/review/diff/types.ts';

const side = (json: Record<string, any>, constructPath: string, line: number): SideObject => ({ json, path: 'manifests/x.yaml', constructPath, source: { file: 'src/platform/x.ts', line, column: 1 } });
const roleJson = (verbs: string[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'n' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs }] });

describe('classifyChange', () => {
  it('places each note on the head object of a change', () => {
    const change: ObjectChange = { key: 'k', type: 'changed', before: side(roleJson(['get']), 'base/path', 1), after: side(roleJson(['get', 'list']), 'head/path', 2), pointers: [], diff: '' };
    expect(classifyChange('dev', change)).toEqual([
      { class: 'rbac-broadened', pointer: '/rules/0', message: 'now grants list on secrets', environment: 'dev', object: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', namespace: 'n', name: 'r' }, change: 'changed', constructPath: 'head/path', source: { file: 'src/platform/x.ts', line: 2, column: 1 } },
    ]);
  });

  it('places notes of removed objects on the base side', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gone' } };
    const [f] = classifyChange('dev', { key: 'k', type: 'removed', before: side(ns, 'base/ns', 9), pointers: [], diff: '' });
    expect(f).toMatchObject({ class: 'irreversible', constructPath: 'base/ns', source: { line: 9 } });
  });
});

describe('sortFindings and classifyEnvironment', () => {
  it('orders findings by class urgency, then object', () => {
    const f = (cls: Finding['class'], name: string): Finding => ({ class: cls, environment: 'e', object: { apiVersion: 'v1', kind: 'K', name }, message: 'm' });
    expect(sortFindings([f('image-changed', 'a'), f('rbac-broadened', 'b'), f('rbac-broadened', 'a'), f('production-touched', 'z')]).map((x) => `${x.class}:${x.object!.name}`)).toEqual([
      'production-touched:z',
      'rbac-broadened:a',
      'rbac-broadened:b',
      'image-changed:a',
    ]);
  });

  it('adds production findings to the object findings', () => {
    const change: ObjectChange = { key: 'k', type: 'added', after: side(roleJson(['get']), 'p', 1), pointers: [], diff: '' };
    expect(classifyEnvironment({ environment: 'production', stage: 'production', changes: [change] }).map((x) => x.class)).toEqual(['production-touched', 'rbac-broadened']);
  });
});
