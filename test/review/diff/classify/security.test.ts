import { describe, expect, it } from 'vitest';
import { classifySecurity } from '../../../../src/review/diff/classify/security.ts';

const restricted = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
function deployment(sc: object = restricted, pod: object = {}, containers?: object[]) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'app' },
    spec: { template: { metadata: { labels: { app: 'api' } }, spec: { automountServiceAccountToken: false, ...pod, containers: containers ?? [{ name: 'main', image: 'i', securityContext: sc }] } } },
  };
}
const ns = (level?: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app', labels: level ? { 'pod-security.kubernetes.io/enforce': level } : {} } });

describe('classifySecurity', () => {
  it('is silent for a restricted pod', () => {
    expect(classifySecurity(undefined, deployment())).toEqual([]);
  });

  it('flags privileged: true with its pointer', () => {
    expect(classifySecurity(deployment(), deployment({ ...restricted, privileged: true }))).toEqual([
      { class: 'security-weakened', pointer: '/spec/template/spec/containers/0/securityContext/privileged', message: 'container main: privileged: true (full access to the node)' },
    ]);
  });

  it('flags each loosened restricted field', () => {
    const loose = { ...restricted, allowPrivilegeEscalation: true, readOnlyRootFilesystem: false, runAsNonRoot: false, capabilities: { add: ['NET_ADMIN'] }, seccompProfile: { type: 'Unconfined' } };
    expect(classifySecurity(deployment(), deployment(loose)).map((n) => n.message)).toEqual([
      'container main: allowPrivilegeEscalation is true, not false',
      'container main: may run as root (runAsNonRoot is not true)',
      'container main: root filesystem is writable (readOnlyRootFilesystem is not true)',
      'container main: does not drop ALL capabilities',
      'container main: adds capability NET_ADMIN',
      'container main: seccomp profile is "Unconfined", not RuntimeDefault or Localhost',
    ]);
  });

  it('flags host namespaces, hostPath volumes and a mounted service account token', () => {
    const pod = { hostNetwork: true, hostPID: true, automountServiceAccountToken: true, volumes: [{ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }] };
    expect(classifySecurity(deployment(), deployment(restricted, pod)).map((n) => n.message)).toEqual([
      "hostNetwork: true (shares the node's Network namespace)",
      "hostPID: true (shares the node's PID namespace)",
      'volume docker mounts host path /var/run/docker.sock',
      'mounts a service account token (automountServiceAccountToken is not false)',
    ]);
  });

  it('matches containers by name, so reordering them is not a finding', () => {
    const two = [{ name: 'a', image: 'i', securityContext: restricted }, { name: 'b', image: 'i', securityContext: { ...restricted, readOnlyRootFilesystem: false } }];
    expect(classifySecurity(deployment(restricted, {}, two), deployment(restricted, {}, [two[1]!, two[0]!]))).toEqual([]);
  });

  it('flags a lowered Pod Security enforce level and a new namespace below restricted', () => {
    expect(classifySecurity(ns('restricted'), ns('baseline'))[0]!.message).toBe('Pod Security enforce level lowered from "restricted" to "baseline"');
    expect(classifySecurity(ns('baseline'), ns())[0]!.message).toBe('Pod Security enforce level lowered from "baseline" to "unset"');
    expect(classifySecurity(undefined, ns('privileged'))[0]!.message).toBe('new namespace enforces Pod Security level "privileged", not "restricted"');
    expect(classifySecurity(ns('baseline'), ns('restricted'))).toEqual([]);
  });

  it('flags a ServiceAccount that starts mounting its token', () => {
    const sa = (automount?: boolean) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 's' }, ...(automount === undefined ? {} : { automountServiceAccountToken: automount }) });
    expect(classifySecurity(sa(false), sa())).toHaveLength(1);
    expect(classifySecurity(sa(false), sa(false))).toEqual([]);
  });
});
