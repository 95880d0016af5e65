import { describe, expect, it } from 'vitest';
import { changedPointers, jsonEqual, matchObjects, pointerToken } from '../../../src/review/diff/match.ts';
import type { SideObject } from '../../../src/review/diff/types.ts';

function obj(json: Record<string, any>, constructPath = 'env/x'): SideObject {
  return { json, path: `manifests/${json.metadata.namespace ?? '_cluster'}/${String(json.kind).toLowerCase()}_${json.metadata.name}.yaml`, constructPath };
}

const deploy = (replicas: number, apiVersion = 'apps/v1') => obj({ apiVersion, kind: 'Deployment', metadata: { name: 'api', namespace: 'app' }, spec: { replicas, template: { spec: { containers: [{ name: 'c', image: 'i' }] } } } });

describe('jsonEqual', () => {
  it('ignores the order of map keys but not of lists', () => {
    expect(jsonEqual({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 })).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: undefined }, {})).toBe(false);
  });
});

describe('changedPointers', () => {
  it('names each changed scalar, added or removed key and list element, escaped per RFC 6901', () => {
    expect(changedPointers({ spec: { replicas: 1, a: 1 }, m: { 'x/y~z': 1 } }, { spec: { replicas: 2, b: 1 }, m: { 'x/y~z': 2 } })).toEqual(['/m/x~1y~0z', '/spec/a', '/spec/b', '/spec/replicas']);
    expect(changedPointers({ l: [1, 2] }, { l: [1, 3, 4] })).toEqual(['/l/1', '/l/2']);
    expect(pointerToken('a/b')).toBe('a~1b');
  });
});

describe('matchObjects', () => {
  it('reports added, removed and changed objects with pointers and a YAML diff', () => {
    const cm = obj({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'old', namespace: 'app' } });
    const sa = obj({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'new', namespace: 'app' } });
    const changes = matchObjects([deploy(1), cm], [deploy(3), sa]);
    expect(changes.map((c) => [c.type, c.key])).toEqual([
      ['removed', '/ConfigMap/app/old'],
      ['changed', 'apps/Deployment/app/api'],
      ['added', '/ServiceAccount/app/new'],
    ]);
    const changed = changes[1]!;
    expect(changed.pointers).toEqual(['/spec/replicas']);
    expect(changed.diff).toContain('-  replicas: 1\n+  replicas: 3\n');
    expect(changes[0]!.diff).toMatch(/^--- base\/manifests\/app\/configmap_old\.yaml\n\+\+\+ \/dev\/null/);
  });

  it('treats an apiVersion bump within one group as a change and pure key reordering as no change', () => {
    expect(matchObjects([deploy(1, 'apps/v1beta1')], [deploy(1)]).map((c) => [c.type, c.pointers])).toEqual([['changed', ['/apiVersion']]]);
    const a = deploy(1);
    const reordered = obj({ spec: a.json.spec, metadata: { namespace: 'app', name: 'api' }, kind: 'Deployment', apiVersion: 'apps/v1' });
    expect(matchObjects([a], [reordered])).toEqual([]);
  });
});
