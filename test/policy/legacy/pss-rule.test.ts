import { describe, expect, it } from 'vitest';
import { compileClusterPolicy } from '../../../src/policy/legacy/policy.ts';
import { compilePodSecurity } from '../../../src/policy/legacy/pss-rule.ts';

const pods = { any: [{ resources: { kinds: ['Pod'] } }] };
const policy = (podSecurity: unknown) =>
  compileClusterPolicy(
    { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'pss' }, spec: { rules: [{ name: 'pss', match: pods, validate: { podSecurity } }] } },
    'pss.yaml',
  );
const pod = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', ...metadata }, spec });

const hardened = { allowPrivilegeEscalation: false, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, capabilities: { drop: ['ALL'] } };
const restrictedPod = pod({ containers: [{ name: 'app', image: 'ghcr.io/acme/app:1', securityContext: hardened }] });
const sysAdmin = (image: string) => pod({ containers: [{ name: 'app', image, securityContext: { ...hardened, capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } } }] });

describe('validate.podSecurity: levels', () => {
  it('passes a hardened pod at level restricted with Kyverno’s pass message', () => {
    expect(policy({ level: 'restricted', version: 'latest' }).evaluate({ resource: restrictedPod })).toEqual([
      { rule: 'pss', status: 'pass', message: "Validation rule 'pss' passed." },
    ]);
  });

  it('fails a default pod at level restricted, listing each failing check with its field errors', () => {
    const [r] = policy({ level: 'restricted', version: 'latest' }).evaluate({ resource: pod({ containers: [{ name: 'app', image: 'busybox' }] }) });
    expect(r).toMatchObject({ rule: 'pss', status: 'fail' });
    expect(r!.message).toBe(
      `Validation rule 'pss' failed. It violates PodSecurity "restricted:latest": ` +
        '(Forbidden reason: allowPrivilegeEscalation != false, field error list: [spec.containers[0].securityContext.allowPrivilegeEscalation: Required value])' +
        '(Forbidden reason: unrestricted capabilities, field error list: [spec.containers[0].securityContext.capabilities.drop: Required value])' +
        '(Forbidden reason: runAsNonRoot != true, field error list: [spec.containers[0].securityContext.runAsNonRoot: Required value])' +
        '(Forbidden reason: seccompProfile, field error list: [spec.containers[0].securityContext.seccompProfile.type: Required value])',
    );
  });

  it('checks only baseline controls at level baseline', () => {
    const p = policy({ level: 'baseline' });
    expect(p.evaluate({ resource: pod({ containers: [{ name: 'app', image: 'busybox' }] }) })).toMatchObject([{ status: 'pass' }]);
    const [r] = p.evaluate({ resource: pod({ hostIPC: true, containers: [{ name: 'app', image: 'busybox' }] }) });
    expect(r).toMatchObject({ status: 'fail', message: `Validation rule 'pss' failed. It violates PodSecurity "baseline:": (Forbidden reason: host namespaces, field error list: [spec.hostIPC is forbidden, forbidden values found: true])` });
  });

  it('evaluates the pod template of autogen controller rules, naming fields from the resource root', () => {
    const p = policy({ level: 'baseline', version: 'latest' });
    expect(p.ruleNames).toEqual(['pss', 'autogen-pss', 'autogen-cronjob-pss']);
    const spec = { containers: [{ name: 'app', image: 'busybox', securityContext: { privileged: true } }] };
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec } } };
    const cronJob = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a' }] } } } } } };
    expect(p.evaluate({ resource: deployment })).toEqual([
      {
        rule: 'autogen-pss',
        status: 'fail',
        message: `Validation rule 'autogen-pss' failed. It violates PodSecurity "baseline:latest": (Forbidden reason: privileged, field error list: [spec.template.spec.containers[0].securityContext.privileged is forbidden, forbidden values found: true])`,
      },
    ]);
    expect(p.evaluate({ resource: cronJob })).toMatchObject([{ rule: 'autogen-cronjob-pss', status: 'pass' }]);
  });

  it('reads AppArmor annotations from the pod template metadata', () => {
    const bad = pod({ containers: [{ name: 'app' }] }, { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' } });
    expect(policy({ level: 'baseline' }).evaluate({ resource: bad })[0]!.message).toContain(
      '(Forbidden reason: forbidden AppArmor profile, field error list: [metadata.annotations[container.apparmor.security.beta.kubernetes.io/app] is forbidden, forbidden values found: unconfined])',
    );
  });

  it('skips DELETE requests, as Kyverno does', () => {
    expect(policy({ level: 'restricted' }).evaluate({ resource: pod({ hostPID: true, containers: [{ name: 'a' }] }), operation: 'DELETE' })).toEqual([]);
  });

  it('fails when the rule matches a kind without a pod template, with Kyverno’s error', () => {
    const p = compileClusterPolicy(
      { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'pss' }, spec: { rules: [{ name: 'svc', match: { any: [{ resources: { kinds: ['Service'] } }] }, validate: { podSecurity: { level: 'baseline' } } }] } },
      'pss.yaml',
    );
    expect(p.evaluate({ resource: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } } })).toEqual([
      { rule: 'svc', status: 'error', message: 'Error while getting new resource: could not find correct resource type' },
    ]);
  });
});

describe('validate.podSecurity: exclude', () => {
  const exempt = { level: 'restricted', version: 'latest', exclude: [{ controlName: 'Capabilities', images: ['ghcr.io/kyverno/test-nginx*', 'redis*'] }] };

  it('passes a failing pod when its container image matches a control exclusion', () => {
    const p = policy({ level: 'restricted', version: 'latest' });
    expect(p.evaluate({ resource: sysAdmin('ghcr.io/kyverno/test-nginx:latest') })).toMatchObject([{ status: 'fail' }]);
    expect(policy(exempt).evaluate({ resource: sysAdmin('ghcr.io/kyverno/test-nginx:latest') })).toMatchObject([{ status: 'pass' }]);
  });

  it('fails when the exclusion names another image', () => {
    const [r] = policy(exempt).evaluate({ resource: sysAdmin('busybox:1.28') });
    expect(r).toMatchObject({ status: 'fail' });
    expect(r!.message).toContain('(Forbidden reason: non-default capabilities, field error list: [spec.containers[0].securityContext.capabilities.add is forbidden, forbidden values found: [SYS_ADMIN]])');
  });

  it('exempts only the matching container of a pod with two', () => {
    const two = pod({
      containers: [
        { name: 'ok', image: 'redis:7', securityContext: { ...hardened, capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } } },
        { name: 'bad', image: 'busybox', securityContext: { ...hardened, capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } } },
      ],
    });
    const [r] = policy(exempt).evaluate({ resource: two });
    expect(r!.status).toBe('fail');
    expect(r!.message).toContain('spec.containers[1].securityContext.capabilities.add');
    expect(r!.message).not.toContain('spec.containers[0]');
  });

  it('applies restrictedField and values: only listed bad values are exempt', () => {
    const narrow = (values: string[]) =>
      policy({ level: 'baseline', exclude: [{ controlName: 'Capabilities', images: ['*'], restrictedField: 'spec.containers[*].securityContext.capabilities.add', values }] });
    expect(narrow(['SYS_ADMIN']).evaluate({ resource: sysAdmin('busybox') })).toMatchObject([{ status: 'pass' }]);
    expect(narrow(['NET_*']).evaluate({ resource: sysAdmin('busybox') })).toMatchObject([{ status: 'fail' }]);
  });

  it('exempts pod-level fields with an exclusion without images', () => {
    const hostIpc = pod({ hostIPC: true, containers: [{ name: 'a' }] });
    expect(policy({ level: 'baseline', exclude: [{ controlName: 'Host Namespaces' }] }).evaluate({ resource: hostIpc })).toMatchObject([{ status: 'pass' }]);
  });

  it('exempts a pod-level Unconfined seccomp profile but still fails another control', () => {
    const exclude = [{ controlName: 'Seccomp' }, { controlName: 'Seccomp', images: ['*'] }];
    const unconfined = (nonRoot: boolean) =>
      pod({
        securityContext: { seccompProfile: { type: 'Unconfined' } },
        containers: [{ name: 'a', image: 'busybox', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, ...(nonRoot ? { runAsNonRoot: true } : {}) } }],
      });
    expect(policy({ level: 'restricted', exclude }).evaluate({ resource: unconfined(true) })).toMatchObject([{ status: 'pass' }]);
    expect(policy({ level: 'restricted', exclude }).evaluate({ resource: unconfined(false) })[0]!.message).toMatch(/\(Forbidden reason: runAsNonRoot != true, [^)]*\)$/);
  });
});

describe('validate.podSecurity: versions', () => {
  it('accepts pinned versions, which do not exempt Windows pods as latest does', () => {
    const windows = pod({ os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'a' }] });
    expect(policy({ level: 'restricted', version: 'latest' }).evaluate({ resource: windows })).toMatchObject([{ status: 'pass' }]);
    expect(policy({ level: 'restricted', version: 'v1.28' }).evaluate({ resource: windows })).toMatchObject([{ status: 'fail' }]);
  });

  it('fails when the version’s control set cannot be expressed by the checker, naming the version', () => {
    expect(policy({ level: 'restricted', version: 'v1.18' }).evaluate({ resource: restrictedPod })).toEqual([
      {
        rule: 'pss',
        status: 'error',
        message:
          'podSecurity version v1.18 is not supported by the Lockstep ClusterPolicy engine: before v1.19 the Seccomp control reads the seccomp.security.alpha.kubernetes.io annotations, a check variant this engine does not implement; use v1.19–v1.29 or latest',
      },
    ]);
    expect(policy({ level: 'baseline', version: 'v1.31' }).evaluate({ resource: restrictedPod })[0]!.message).toMatch(/^podSecurity version v1\.31 is not supported by the Lockstep ClusterPolicy engine: later versions change/);
  });

  it('fails when the version is malformed, with Kyverno’s parse error', () => {
    expect(policy({ level: 'baseline', version: '1.27' }).evaluate({ resource: restrictedPod })).toEqual([
      { rule: 'pss', status: 'error', message: 'failed to parse pod security api version: must be "latest" or "v1.x"' },
    ]);
  });

  it('fails when the level is privileged', () => {
    expect(policy({ level: 'privileged' }).evaluate({ resource: restrictedPod })[0]).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/^podSecurity level privileged \(Kyverno runs every restricted check for it\) is not supported/),
    });
  });
});

describe('compilePodSecurity', () => {
  const compile = (raw: unknown) => () => compilePodSecurity(raw, 'pss.yaml', '/spec/rules/0/validate/podSecurity');

  it('fails when podSecurity is not an object', () => {
    expect(compile('baseline')).toThrow(/pss\.yaml: \/spec\/rules\/0\/validate\/podSecurity: podSecurity must be an object, got "baseline"/);
  });

  it('fails when the level is missing or unknown', () => {
    expect(compile({ version: 'latest' })).toThrow(/\/podSecurity\/level: level must be one of privileged, baseline, restricted, got undefined/);
  });

  it('fails when the version is not a string', () => {
    expect(compile({ level: 'baseline', version: 1.27 })).toThrow(/\/podSecurity\/version: version must be a string, got 1\.27/);
  });

  it('fails when exclude is not a list of objects', () => {
    expect(compile({ level: 'baseline', exclude: { controlName: 'Sysctls' } })).toThrow(/\/podSecurity\/exclude: exclude must be a list/);
    expect(compile({ level: 'baseline', exclude: ['Sysctls'] })).toThrow(/\/exclude\/0: a podSecurity exclusion must be an object, got "Sysctls"/);
  });

  it('fails when an exclusion names an unknown control', () => {
    expect(compile({ level: 'baseline', exclude: [{ controlName: 'Privileged' }] })).toThrow(/\/exclude\/0\/controlName: unknown Pod Security Standards control "Privileged"; use one of "Capabilities"/);
  });

  it('fails when images or values are not string lists, or restrictedField is not a string', () => {
    expect(compile({ level: 'baseline', exclude: [{ controlName: 'Seccomp', images: 'nginx' }] })).toThrow(/\/exclude\/0\/images: must be a list of strings, got "nginx"/);
    expect(compile({ level: 'baseline', exclude: [{ controlName: 'Seccomp', restrictedField: 3, values: ['x'] }] })).toThrow(/\/exclude\/0\/restrictedField: must be a string, got 3/);
  });

  it('fails when a container-level control has no images or a pod-level control has some', () => {
    expect(compile({ level: 'baseline', exclude: [{ controlName: 'Capabilities' }] })).toThrow(/exclude\.images must be specified for the container level control "Capabilities"/);
    expect(compile({ level: 'baseline', exclude: [{ controlName: 'Sysctls', images: ['*'] }] })).toThrow(/exclude\.images must not be specified for the pod level control "Sysctls"/);
  });

  it('fails when restrictedField and values are not given together', () => {
    expect(compile({ level: 'baseline', exclude: [{ controlName: 'Sysctls', restrictedField: 'spec.securityContext.sysctls[*].name' }] })).toThrow(/\/exclude\/0\/values: values is required when restrictedField is set/);
    expect(compile({ level: 'baseline', exclude: [{ controlName: 'Sysctls', values: ['kernel.*'] }] })).toThrow(/\/exclude\/0\/restrictedField: restrictedField is required when values are set/);
  });
});
