import { describe, expect, it } from 'vitest';
import { evaluatePssPod, type PssCheckFailure, type PssPod } from '../../../src/policy/legacy/pss-checks.ts';
import { applyPssExclusions, type PssExclusion } from '../../../src/policy/legacy/pss-exclusion.ts';
import { parsePssVersion, type PssVersion } from '../../../src/policy/legacy/pss-version.ts';

const latest = parsePssVersion('latest') as PssVersion;
const evaluate = (level: 'baseline' | 'restricted') => (pod: PssPod) => evaluatePssPod(pod, level, latest) as PssCheckFailure[];
const run = (pod: PssPod, level: 'baseline' | 'restricted', excludes: PssExclusion[]) => applyPssExclusions(evaluate(level)(pod), excludes, pod, evaluate(level));
const exclusion = (controlName: string, extra: Partial<PssExclusion> = {}): PssExclusion => ({ controlName, images: [], restrictedField: '', values: [], ...extra });
const podOf = (spec: Record<string, unknown>): PssPod => ({ metadata: { name: 'p' }, spec });

const privileged = podOf({
  containers: [
    { name: 'a', image: 'nginx:1', securityContext: { privileged: true } },
    { name: 'b', image: 'busybox:1', securityContext: { privileged: true } },
  ],
});

describe('applyPssExclusions', () => {
  it('keeps every failure when no exclusion matches the failing check', () => {
    expect(run(privileged, 'baseline', [exclusion('Host Ports', { images: ['*'] })]).map((f) => f.id)).toEqual(['privileged']);
  });

  it('removes container errors only for containers whose image matches', () => {
    expect(run(privileged, 'baseline', [exclusion('Privileged Containers', { images: ['nginx*'] })])).toEqual([
      { id: 'privileged', reason: 'privileged', errors: [{ type: 'forbidden', field: 'spec.containers[1].securityContext.privileged', badValue: true }] },
    ]);
    expect(run(privileged, 'baseline', [exclusion('Privileged Containers', { images: ['nginx*', 'busy?ox:*'] })])).toEqual([]);
  });

  it('matches containers by name, not by position, across the derived pod', () => {
    // Only "b" matches, so it sits at index 0 of the derived pod but index 1 of the real one.
    expect(run(privileged, 'baseline', [exclusion('Privileged Containers', { images: ['busybox:*'] })])[0]!.errors).toEqual([
      { type: 'forbidden', field: 'spec.containers[0].securityContext.privileged', badValue: true },
    ]);
  });

  it('limits an exclusion to its restrictedField', () => {
    const pod = podOf({ containers: [{ name: 'a', image: 'x', securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, capabilities: { drop: ['NET_RAW'], add: ['NET_ADMIN'] } } }] });
    const addOnly = exclusion('Capabilities', { images: ['*'], restrictedField: 'spec.containers[*].securityContext.capabilities.add', values: ['NET_*'] });
    expect(run(pod, 'restricted', [addOnly])).toEqual([
      { id: 'capabilities_restricted', reason: 'unrestricted capabilities', errors: [{ type: 'forbidden', field: 'spec.containers[0].securityContext.capabilities.drop', badValue: ['NET_RAW'] }] },
    ]);
  });

  it('keeps an error when one of its bad values is not listed in values', () => {
    const pod = podOf({ containers: [{ name: 'a', image: 'x', securityContext: { capabilities: { add: ['SYS_ADMIN', 'BPF'] } } }] });
    const field = 'spec.containers[*].securityContext.capabilities.add';
    expect(run(pod, 'baseline', [exclusion('Capabilities', { images: ['*'], restrictedField: field, values: ['SYS_ADMIN'] })]).map((f) => f.id)).toEqual(['capabilities_baseline']);
    expect(run(pod, 'baseline', [exclusion('Capabilities', { images: ['*'], restrictedField: field, values: ['SYS_ADMIN', 'BPF'] })])).toEqual([]);
  });

  it('removes one matching container error per error of the "fake" container, as Kyverno does', () => {
    const pod = podOf({ containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] });
    const left = run(pod, 'restricted', [exclusion('Seccomp')]);
    expect(left.find((f) => f.id === 'seccompProfile_restricted')!.errors).toEqual([{ type: 'required', field: 'spec.containers[1].securityContext.seccompProfile.type' }]);
  });

  it('removes pod-level errors with an exclusion without images', () => {
    const pod = podOf({ hostNetwork: true, hostPID: true, securityContext: { sysctls: [{ name: 'kernel.msgmax' }] }, containers: [{ name: 'a' }] });
    expect(run(pod, 'baseline', [exclusion('Host Namespaces')]).map((f) => f.id)).toEqual(['sysctls']);
    expect(run(pod, 'baseline', [exclusion('Host Namespaces'), exclusion('Sysctls', { restrictedField: 'spec.securityContext.sysctls[*].name', values: ['kernel.*'] })])).toEqual([]);
  });
});
