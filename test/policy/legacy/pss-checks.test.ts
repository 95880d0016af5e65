import { describe, expect, it } from 'vitest';
import { evaluatePssPod, fieldOf, type PssCheckFailure, type PssPod } from '../../../src/policy/legacy/pss-checks.ts';
import { parsePssVersion, type PssVersion } from '../../../src/policy/legacy/pss-version.ts';

const version = (text: string): PssVersion => parsePssVersion(text) as PssVersion;
const latest = version('latest');
const podOf = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): PssPod => ({ metadata: { name: 'p', ...metadata }, spec });
const failures = (pod: PssPod, level: 'baseline' | 'restricted', v = latest): PssCheckFailure[] => evaluatePssPod(pod, level, v) as PssCheckFailure[];
const byId = (fs: PssCheckFailure[], id: string) => fs.find((f) => f.id === id)?.errors;
const hardened = { allowPrivilegeEscalation: false, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, capabilities: { drop: ['ALL'] } };

describe('fieldOf', () => {
  it('turns JSON pointers into pod-relative field paths with indices and annotation keys', () => {
    expect(fieldOf('/spec/containers/0/ports/1/hostPort')).toBe('spec.containers[0].ports[1].hostPort');
    expect(fieldOf('/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1app')).toBe('metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]');
  });
});

describe('evaluatePssPod', () => {
  it('returns no failures for a hardened pod', () => {
    expect(failures(podOf({ containers: [{ name: 'a', securityContext: hardened }] }), 'restricted')).toEqual([]);
  });

  it('reports added capabilities once per container, accumulating the forbidden set like the fork', () => {
    const pod = podOf({
      containers: [
        { name: 'a', securityContext: { capabilities: { add: ['SYS_ADMIN', 'CHOWN', 'NET_RAW'] } } },
        { name: 'b', securityContext: { capabilities: { add: ['BPF'] } } },
      ],
    });
    expect(byId(failures(pod, 'baseline'), 'capabilities_baseline')).toEqual([
      { type: 'forbidden', field: 'spec.containers[0].securityContext.capabilities.add', badValue: ['NET_RAW', 'SYS_ADMIN'] },
      { type: 'forbidden', field: 'spec.containers[1].securityContext.capabilities.add', badValue: ['BPF', 'NET_RAW', 'SYS_ADMIN'] },
    ]);
  });

  it('reports a missing capabilities block as required and a drop list without ALL as forbidden', () => {
    const pod = podOf({ initContainers: [{ name: 'i' }], containers: [{ name: 'a', securityContext: { ...hardened, capabilities: { drop: ['NET_RAW'] } } }] });
    expect(byId(failures(pod, 'restricted'), 'capabilities_restricted')).toEqual([
      { type: 'required', field: 'spec.initContainers[0].securityContext.capabilities.drop' },
      { type: 'forbidden', field: 'spec.containers[0].securityContext.capabilities.drop', badValue: ['NET_RAW'] },
    ]);
  });

  it('reports runAsNonRoot set false as forbidden and unset containers as required, even when the pod sets false', () => {
    const pod = podOf({ securityContext: { runAsNonRoot: false }, containers: [{ name: 'a' }, { name: 'b', securityContext: { runAsNonRoot: false } }] });
    expect(byId(failures(pod, 'restricted'), 'runAsNonRoot')).toEqual([
      { type: 'forbidden', field: 'spec.securityContext.runAsNonRoot', badValue: false },
      { type: 'forbidden', field: 'spec.containers[1].securityContext.runAsNonRoot', badValue: false },
      { type: 'required', field: 'spec.containers[0].securityContext.runAsNonRoot' },
    ]);
  });

  it('reports only explicit restricted seccomp values when any exists, else unset containers', () => {
    const explicit = podOf({ securityContext: { seccompProfile: { type: 'Unconfined' } }, containers: [{ name: 'a' }] });
    expect(byId(failures(explicit, 'restricted'), 'seccompProfile_restricted')).toEqual([{ type: 'forbidden', field: 'spec.securityContext.seccompProfile.type', badValue: 'Unconfined' }]);
    const implicit = podOf({ containers: [{ name: 'a' }, { name: 'b', securityContext: { seccompProfile: { type: 'Localhost' } } }] });
    expect(byId(failures(implicit, 'restricted'), 'seccompProfile_restricted')).toEqual([{ type: 'required', field: 'spec.containers[0].securityContext.seccompProfile.type' }]);
  });

  it('reports a restricted volume once, on its source, without a bad value', () => {
    const pod = podOf({ containers: [{ name: 'a', securityContext: hardened }], volumes: [{ name: 'c', configMap: {} }, { name: 'h', hostPath: { path: '/' } }] });
    const fs = failures(pod, 'restricted');
    expect(byId(fs, 'restrictedVolumes')).toEqual([{ type: 'forbidden', field: 'spec.volumes[1].hostPath' }]);
    expect(byId(fs, 'hostPathVolumes')).toEqual([{ type: 'forbidden', field: 'spec.volumes[1].hostPath' }]);
  });

  it('lists failing checks in pod-security-admission order with their reasons', () => {
    const pod = podOf({ hostPID: true, containers: [{ name: 'a', securityContext: { privileged: true, runAsUser: 0 } }] });
    expect(failures(pod, 'restricted').map((f) => [f.id, f.reason])).toEqual([
      ['allowPrivilegeEscalation', 'allowPrivilegeEscalation != false'],
      ['capabilities_restricted', 'unrestricted capabilities'],
      ['hostNamespaces', 'host namespaces'],
      ['privileged', 'privileged'],
      ['runAsNonRoot', 'runAsNonRoot != true'],
      ['runAsUser', 'runAsUser=0'],
      ['seccompProfile_restricted', 'seccompProfile'],
    ]);
  });
});

describe('evaluatePssPod: pinned versions', () => {
  it('leaves out checks newer than the version', () => {
    const pod = podOf({ containers: [{ name: 'a', securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } } }] });
    expect(failures(pod, 'restricted').map((f) => f.id)).toEqual(['capabilities_restricted', 'runAsUser']);
    expect(failures(pod, 'restricted', version('v1.21'))).toEqual([]);
  });

  it('rejects net.ipv4.ip_local_reserved_ports, which the v1.0 sysctls variant does not allow', () => {
    const pod = podOf({ securityContext: { sysctls: [{ name: 'net.ipv4.ip_local_reserved_ports', value: '1' }] }, containers: [{ name: 'a' }] });
    expect(failures(pod, 'baseline')).toEqual([]);
    expect(byId(failures(pod, 'baseline', version('v1.27')), 'sysctls')).toEqual([
      { type: 'forbidden', field: 'spec.securityContext.sysctls[0].name', badValue: 'net.ipv4.ip_local_reserved_ports' },
    ]);
  });

  it('ignores appArmorProfile fields before v1.30 but still checks the annotations', () => {
    const pod = podOf({ securityContext: { appArmorProfile: { type: 'Unconfined' } }, containers: [{ name: 'a' }] }, { annotations: { 'container.apparmor.security.beta.kubernetes.io/a': 'unconfined' } });
    expect(byId(failures(pod, 'baseline'), 'appArmorProfile')).toHaveLength(2);
    expect(byId(failures(pod, 'baseline', version('v1.29')), 'appArmorProfile')).toEqual([
      { type: 'forbidden', field: 'metadata.annotations[container.apparmor.security.beta.kubernetes.io/a]', badValue: 'unconfined' },
    ]);
  });

  it('fails when a pinned version meets seccomp alpha annotations, naming the v1.0 check', () => {
    const pod = podOf({ containers: [{ name: 'a' }] }, { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } });
    expect(evaluatePssPod(pod, 'baseline', latest)).toEqual([]);
    expect(evaluatePssPod(pod, 'baseline', version('v1.25'))).toEqual({
      unsupported:
        'podSecurity version v1.25 also runs the v1.0 Seccomp check of annotation seccomp.security.alpha.kubernetes.io/pod, which is not supported by the Lockstep ClusterPolicy engine; use version latest or remove the annotation',
    });
  });
});
