import { describe, expect, it } from 'vitest';
import { checkPodSecurity } from '../../../src/gates/pod-security/check.ts';
import { POD_SECURITY_CONTROLS, type PodSecurityControlId } from '../../../src/gates/pod-security/controls.ts';

const secureContainer = (name: string): Record<string, any> => ({
  name,
  image: 'ghcr.io/acme/app@sha256:' + 'a'.repeat(64),
  ports: [{ containerPort: 8080 }],
  securityContext: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
});

const restrictedDeployment = (): Record<string, any> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'prod' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' }, annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' } },
      spec: {
        securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65535' }] },
        initContainers: [secureContainer('setup')],
        containers: [secureContainer('app')],
        volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'cfg', configMap: { name: 'cfg' } }, { name: 'defaulted' }],
      },
    },
  },
});

const POD = '/spec/template/spec';
const APP = `${POD}/containers/0`;
const INIT = `${POD}/initContainers/0`;

type Case = [title: string, control: PodSecurityControlId, mutate: (spec: Record<string, any>, d: Record<string, any>) => void, pointer: string, message: RegExp];

const cases: Case[] = [
  ['hostNetwork is true', 'host-namespaces', (s) => { s.hostNetwork = true; }, `${POD}/hostNetwork`, /hostNetwork is true/],
  ['hostPID is true', 'host-namespaces', (s) => { s.hostPID = true; }, `${POD}/hostPID`, /hostPID is true/],
  ['hostIPC is true', 'host-namespaces', (s) => { s.hostIPC = true; }, `${POD}/hostIPC`, /hostIPC is true/],
  ['a container is privileged', 'privileged', (s) => { s.containers[0].securityContext.privileged = true; }, `${APP}/securityContext/privileged`, /container "app" sets privileged: true/],
  ['a container adds a capability outside the baseline set', 'capabilities-baseline', (s) => { s.containers[0].securityContext.capabilities.add = ['NET_BIND_SERVICE', 'SYS_ADMIN']; }, `${APP}/securityContext/capabilities/add/1`, /adds capability "SYS_ADMIN"/],
  ['a volume is a hostPath', 'host-path-volumes', (s) => { s.volumes.push({ name: 'host', hostPath: { path: '/var/run' } }); }, `${POD}/volumes/3/hostPath`, /volume "host" mounts a hostPath/],
  ['a container binds a host port', 'host-ports', (s) => { s.containers[0].ports[0].hostPort = 80; }, `${APP}/ports/0/hostPort`, /binds hostPort 80/],
  ['an AppArmor annotation is unconfined', 'apparmor', (_s, d) => { d.spec.template.metadata.annotations['container.apparmor.security.beta.kubernetes.io/app'] = 'unconfined'; }, '/spec/template/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1app', /is "unconfined"/],
  ['an appArmorProfile is Unconfined', 'apparmor', (s) => { s.containers[0].securityContext.appArmorProfile = { type: 'Unconfined' }; }, `${APP}/securityContext/appArmorProfile/type`, /appArmorProfile.type "Unconfined"/],
  ['an SELinux type is not a container type', 'selinux', (s) => { s.securityContext.seLinuxOptions = { type: 'spc_t' }; }, `${POD}/securityContext/seLinuxOptions/type`, /the pod sets seLinuxOptions.type "spc_t"/],
  ['an SELinux user is set', 'selinux', (s) => { s.containers[0].securityContext.seLinuxOptions = { user: 'system_u' }; }, `${APP}/securityContext/seLinuxOptions/user`, /seLinuxOptions.user "system_u"/],
  ['an SELinux role is set', 'selinux', (s) => { s.containers[0].securityContext.seLinuxOptions = { role: 'sysadm_r' }; }, `${APP}/securityContext/seLinuxOptions/role`, /seLinuxOptions.role "sysadm_r"/],
  ['procMount is Unmasked', 'proc-mount', (s) => { s.containers[0].securityContext.procMount = 'Unmasked'; }, `${APP}/securityContext/procMount`, /sets procMount "Unmasked"/],
  ['seccomp is Unconfined on a container', 'seccomp-baseline', (s) => { s.containers[0].securityContext.seccompProfile = { type: 'Unconfined' }; }, `${APP}/securityContext/seccompProfile/type`, /seccompProfile.type "Unconfined"/],
  ['a sysctl is outside the safe set', 'sysctls', (s) => { s.securityContext.sysctls.push({ name: 'kernel.msgmax', value: '1' }); }, `${POD}/securityContext/sysctls/1/name`, /sysctl "kernel.msgmax" is not in the safe set/],
  ['a container is a Windows HostProcess', 'windows-host-process', (s) => { s.containers[0].securityContext.windowsOptions = { hostProcess: true }; }, `${APP}/securityContext/windowsOptions/hostProcess`, /windowsOptions.hostProcess: true/],
  ['a volume type is not allowed', 'volume-types', (s) => { s.volumes.push({ name: 'share', nfs: { server: 'nfs', path: '/' } }); }, `${POD}/volumes/3/nfs`, /volume "share" uses type "nfs"/],
  ['allowPrivilegeEscalation is not set', 'allow-privilege-escalation', (s) => { delete s.containers[0].securityContext.allowPrivilegeEscalation; }, `${APP}/securityContext/allowPrivilegeEscalation`, /container "app" does not set allowPrivilegeEscalation/],
  ['an init container allows privilege escalation', 'allow-privilege-escalation', (s) => { s.initContainers[0].securityContext.allowPrivilegeEscalation = true; }, `${INIT}/securityContext/allowPrivilegeEscalation`, /init container "setup" sets allowPrivilegeEscalation true/],
  ['neither pod nor containers set runAsNonRoot', 'run-as-non-root', (s) => { delete s.securityContext.runAsNonRoot; }, `${POD}/securityContext/runAsNonRoot`, /neither the pod nor containers "setup", "app" set runAsNonRoot: true/],
  ['a container sets runAsNonRoot: false', 'run-as-non-root', (s) => { s.containers[0].securityContext.runAsNonRoot = false; }, `${APP}/securityContext/runAsNonRoot`, /container "app" sets runAsNonRoot: false/],
  ['the pod sets runAsNonRoot: false', 'run-as-non-root', (s) => { s.securityContext.runAsNonRoot = false; s.containers[0].securityContext.runAsNonRoot = true; s.initContainers[0].securityContext.runAsNonRoot = true; }, `${POD}/securityContext/runAsNonRoot`, /the pod sets runAsNonRoot: false/],
  ['a container runs as UID 0', 'run-as-user', (s) => { s.containers[0].securityContext.runAsUser = 0; }, `${APP}/securityContext/runAsUser`, /runAsUser: 0/],
  ['the pod runs as UID 0', 'run-as-user', (s) => { s.securityContext.runAsUser = 0; }, `${POD}/securityContext/runAsUser`, /the pod sets runAsUser: 0/],
  ['no seccomp profile is set', 'seccomp-restricted', (s) => { delete s.securityContext.seccompProfile; }, `${POD}/securityContext/seccompProfile/type`, /neither the pod nor containers "setup", "app" set seccompProfile.type/],
  ['a container sets an invalid seccomp type', 'seccomp-restricted', (s) => { s.containers[0].securityContext.seccompProfile = { type: 'Unconfined' }; }, `${APP}/securityContext/seccompProfile/type`, /container "app" sets seccompProfile.type "Unconfined"/],
  ['a container does not drop ALL', 'capabilities-restricted', (s) => { s.containers[0].securityContext.capabilities.drop = ['NET_RAW']; }, `${APP}/securityContext/capabilities/drop`, /does not drop ALL capabilities \(drop is \["NET_RAW"\]\)/],
  ['a container adds a capability other than NET_BIND_SERVICE', 'capabilities-restricted', (s) => { s.containers[0].securityContext.capabilities.add = ['CHOWN']; }, `${APP}/securityContext/capabilities/add/0`, /adds capability "CHOWN"/],
];

describe('checkPodSecurity', () => {
  it('passes a Deployment that meets the restricted standard', () => {
    expect(checkPodSecurity(restrictedDeployment(), 'restricted')).toEqual([]);
  });

  it.each(cases)('fails when %s (%s)', (_title, control, mutate, pointer, message) => {
    const d = restrictedDeployment();
    mutate(d.spec.template.spec, d);
    const problems = checkPodSecurity(d, 'restricted').filter((p) => p.code === `pod-security/${control}`);
    expect(problems).toEqual([expect.objectContaining({ pointer, message: expect.stringMatching(message) })]);
    expect(problems[0]!.message).toMatch(/^Deployment prod\/web: /);
    expect(problems[0]!.fix).toBeTruthy();
  });

  it('has a failing case for every control', () => {
    expect(new Set(cases.map((c) => c[1]))).toEqual(new Set(POD_SECURITY_CONTROLS.map((c) => c.id)));
  });

  it('names the level and control in each message', () => {
    const d = restrictedDeployment();
    d.spec.template.spec.hostNetwork = true;
    expect(checkPodSecurity(d, 'baseline')).toEqual([
      {
        pointer: `${POD}/hostNetwork`,
        code: 'pod-security/host-namespaces',
        message: 'Deployment prod/web: hostNetwork is true (Pod Security baseline: Host namespaces)',
        fix: 'remove hostNetwork or set it to false',
      },
    ]);
  });

  it('checks only baseline controls at baseline level', () => {
    const d = restrictedDeployment();
    const spec = d.spec.template.spec;
    delete spec.securityContext;
    spec.containers[0].securityContext = {};
    spec.initContainers[0].securityContext = {};
    expect(checkPodSecurity(d, 'baseline')).toEqual([]);
    expect(checkPodSecurity(d, 'restricted').length).toBeGreaterThan(0);
  });

  it('reports every violation of a pod, not one per control', () => {
    const d = restrictedDeployment();
    for (const c of [...d.spec.template.spec.containers, ...d.spec.template.spec.initContainers]) delete c.securityContext.allowPrivilegeEscalation;
    expect(checkPodSecurity(d, 'restricted').map((p) => p.pointer)).toEqual([
      `${INIT}/securityContext/allowPrivilegeEscalation`,
      `${APP}/securityContext/allowPrivilegeEscalation`,
    ]);
  });

  it('accepts runAsNonRoot and seccomp set on every container instead of the pod', () => {
    const d = restrictedDeployment();
    const spec = d.spec.template.spec;
    delete spec.securityContext.runAsNonRoot;
    delete spec.securityContext.seccompProfile;
    for (const c of [...spec.containers, ...spec.initContainers]) {
      c.securityContext.runAsNonRoot = true;
      c.securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'profiles/app.json' };
    }
    expect(checkPodSecurity(d, 'restricted')).toEqual([]);
  });

  it('checks ephemeral containers too', () => {
    const d = restrictedDeployment();
    d.spec.template.spec.ephemeralContainers = [{ name: 'debug', image: 'busybox', securityContext: { privileged: true } }];
    expect(checkPodSecurity(d, 'baseline')).toEqual([
      expect.objectContaining({ pointer: `${POD}/ephemeralContainers/0/securityContext/privileged`, message: expect.stringMatching(/ephemeral container "debug" sets privileged: true/) }),
    ]);
  });

  it('exempts Windows pods from the Linux-only restricted controls', () => {
    const d = restrictedDeployment();
    const spec = d.spec.template.spec;
    spec.os = { name: 'windows' };
    delete spec.securityContext.seccompProfile;
    for (const c of [...spec.containers, ...spec.initContainers]) c.securityContext = {};
    expect(checkPodSecurity(d, 'restricted')).toEqual([]);
  });

  it('finds the pod spec of a Pod', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x', securityContext: { privileged: true } }] } };
    expect(checkPodSecurity(pod, 'baseline')[0]).toMatchObject({ pointer: '/spec/containers/0/securityContext/privileged', message: expect.stringMatching(/^Pod p: /) });
  });

  it('finds the pod spec of a Job', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { hostPID: true, containers: [] } } } };
    expect(checkPodSecurity(job, 'baseline')[0]).toMatchObject({ pointer: '/spec/template/spec/hostPID' });
  });

  it('finds the pod spec of a CronJob, through its job template', () => {
    const d = restrictedDeployment();
    const cronJob = {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'prod' },
      spec: { schedule: '@daily', jobTemplate: { spec: { template: d.spec.template } } },
    };
    cronJob.spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.allowPrivilegeEscalation = true;
    expect(checkPodSecurity(cronJob, 'restricted')).toEqual([
      expect.objectContaining({
        code: 'pod-security/allow-privilege-escalation',
        pointer: '/spec/jobTemplate/spec/template/spec/initContainers/0/securityContext/allowPrivilegeEscalation',
      }),
    ]);
  });

  it.each(['StatefulSet', 'DaemonSet', 'ReplicaSet'])('finds the pod spec of a %s', (kind) => {
    const d: Record<string, any> = { ...restrictedDeployment(), kind };
    d.spec.template.spec.hostIPC = true;
    expect(checkPodSecurity(d, 'baseline')).toEqual([expect.objectContaining({ pointer: `${POD}/hostIPC` })]);
  });

  it('has nothing to say about kinds that run no pods, or controllers without a template', () => {
    expect(checkPodSecurity({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, 'restricted')).toEqual([]);
    expect(checkPodSecurity({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: {} }, 'restricted')).toEqual([]);
    expect(checkPodSecurity('not an object', 'restricted')).toEqual([]);
  });

  it('copies the construct path and file onto every problem', () => {
    const d = restrictedDeployment();
    d.spec.template.spec.hostNetwork = true;
    expect(checkPodSecurity(d, 'baseline', { constructPath: 'prod/web', file: 'dist/prod/web.yaml' })[0]).toMatchObject({ constructPath: 'prod/web', file: 'dist/prod/web.yaml' });
  });

  it('allows NET_BIND_SERVICE and localhost AppArmor profiles under restricted', () => {
    const d = restrictedDeployment();
    d.spec.template.spec.containers[0].securityContext.capabilities.add = ['NET_BIND_SERVICE'];
    d.spec.template.metadata.annotations['container.apparmor.security.beta.kubernetes.io/app'] = 'localhost/my-profile';
    d.spec.template.spec.securityContext.seLinuxOptions = { type: 'container_t', level: 's0:c123,c456' };
    expect(checkPodSecurity(d, 'restricted')).toEqual([]);
  });
});
