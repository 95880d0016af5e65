import { describe, expect, it } from 'vitest';
import { classifyIrreversible } from '../../../../src/review/diff/classify/irreversible.ts';

const dep = (selector: object, kind = 'Deployment') => ({ apiVersion: 'apps/v1', kind, metadata: { name: 'a', namespace: 'n' }, spec: { selector: { matchLabels: selector }, replicas: 1 } });
const svc = (clusterIP?: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec: { ...(clusterIP ? { clusterIP } : {}), ports: [{ port: 80 }] } });
const crd = (versions: [string, boolean][]) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'x.g' }, spec: { scope: 'Namespaced', versions: versions.map(([name, storage]) => ({ name, storage, served: true })) } });

describe('classifyIrreversible', () => {
  it('flags a changed workload selector but not a replica change', () => {
    expect(classifyIrreversible(dep({ app: 'a' }), dep({ app: 'b' }))).toEqual([
      { class: 'irreversible', pointer: '/spec/selector', message: 'Deployment spec.selector changed: the API server rejects the update; the object must be deleted and recreated' },
    ]);
    expect(classifyIrreversible(dep({ app: 'a' }), { ...dep({ app: 'a' }), spec: { selector: { matchLabels: { app: 'a' } }, replicas: 3 } })).toEqual([]);
  });

  it('flags a changed Job template', () => {
    const job = (image: string) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { containers: [{ name: 'c', image }] } } } });
    expect(classifyIrreversible(job('a'), job('b'))[0]!.pointer).toBe('/spec/template');
  });

  it('flags Service clusterIP changes and headless switches', () => {
    expect(classifyIrreversible(svc('10.0.0.1'), svc('10.0.0.2'))[0]!.message).toMatch(/^Service spec.clusterIP changed/);
    expect(classifyIrreversible(svc(), svc('None'))[0]!.message).toMatch(/^Service becomes headless/);
    expect(classifyIrreversible(svc('None'), svc())[0]!.message).toMatch(/^Service is no longer headless/);
  });

  it('flags a removed CRD version and a moved storage version', () => {
    expect(classifyIrreversible(crd([['v1', true], ['v1beta1', false]]), crd([['v1', true]]))[0]!.message).toMatch(/^version v1beta1 removed/);
    expect(classifyIrreversible(crd([['v1', true], ['v2', false]]), crd([['v1', false], ['v2', true]]))[0]!.message).toMatch(/^storage version v1 → v2/);
  });

  it('flags PersistentVolumeClaim changes and deletions, and Namespace deletion', () => {
    const pvc = (size: string) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'd', namespace: 'n' }, spec: { resources: { requests: { storage: size } } } });
    expect(classifyIrreversible(pvc('1Gi'), pvc('2Gi'))).toHaveLength(1);
    expect(classifyIrreversible(pvc('1Gi'), undefined)[0]!.message).toMatch(/^PersistentVolumeClaim deleted/);
    expect(classifyIrreversible({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app' } }, undefined)[0]!.message).toBe('Namespace app deleted: everything in it is deleted with it');
  });

  it('flags a binding roleRef change and immutable ConfigMap data', () => {
    const rb = (name: string) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b' }, roleRef: { kind: 'Role', name } });
    expect(classifyIrreversible(rb('a'), rb('b'))[0]!.pointer).toBe('/roleRef');
    const cm = (v: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, immutable: true, data: { k: v } });
    expect(classifyIrreversible(cm('a'), cm('b'))[0]!.message).toMatch(/^immutable ConfigMap data changed/);
  });

  it('is silent for added objects', () => {
    expect(classifyIrreversible(undefined, dep({ app: 'a' }))).toEqual([]);
  });
});
