import { describe, expect, it } from 'vitest';
import { findPodSpec, POD_KINDS } from '../../../src/gates/pod-security/pod-spec.ts';

const spec = { containers: [] };
const template = { metadata: { annotations: { a: 'b' } }, spec };

describe('findPodSpec', () => {
  it.each([
    ['Pod', { spec }, '/spec', '/metadata'],
    ['PodTemplate', { template }, '/template/spec', '/template/metadata'],
    ['Deployment', { spec: { template } }, '/spec/template/spec', '/spec/template/metadata'],
    ['StatefulSet', { spec: { template } }, '/spec/template/spec', '/spec/template/metadata'],
    ['DaemonSet', { spec: { template } }, '/spec/template/spec', '/spec/template/metadata'],
    ['ReplicaSet', { spec: { template } }, '/spec/template/spec', '/spec/template/metadata'],
    ['ReplicationController', { spec: { template } }, '/spec/template/spec', '/spec/template/metadata'],
    ['Job', { spec: { template } }, '/spec/template/spec', '/spec/template/metadata'],
    ['CronJob', { spec: { jobTemplate: { spec: { template } } } }, '/spec/jobTemplate/spec/template/spec', '/spec/jobTemplate/spec/template/metadata'],
  ])('finds the pod spec of a %s', (kind, body, specPointer, metadataPointer) => {
    const found = findPodSpec({ kind, ...body });
    expect(found).toMatchObject({ specPointer, metadataPointer, spec });
  });

  it('covers every pod kind', () => {
    expect([...POD_KINDS].sort()).toEqual(['CronJob', 'DaemonSet', 'Deployment', 'Job', 'Pod', 'PodTemplate', 'ReplicaSet', 'ReplicationController', 'StatefulSet']);
  });

  it('returns undefined for other kinds and for a missing template', () => {
    expect(findPodSpec({ kind: 'Service', spec: {} })).toBeUndefined();
    expect(findPodSpec({ kind: 'Deployment', spec: {} })).toBeUndefined();
    expect(findPodSpec({ spec })).toBeUndefined();
  });

  it('gives empty metadata when the template has none', () => {
    expect(findPodSpec({ kind: 'Deployment', spec: { template: { spec } } })!.metadata).toEqual({});
  });
});
