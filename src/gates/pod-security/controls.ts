/**
 * The Pod Security Standards controls for Kubernetes 1.28, as pod-security-admission implements them
 * (`policy/check_*.go`, the versions in force at 1.28). Docs and reports list them from here.
 */

export type PodSecurityLevel = 'baseline' | 'restricted';

export type PodSecurityControlId =
  | 'host-namespaces'
  | 'privileged'
  | 'capabilities-baseline'
  | 'host-path-volumes'
  | 'host-ports'
  | 'apparmor'
  | 'selinux'
  | 'proc-mount'
  | 'seccomp-baseline'
  | 'sysctls'
  | 'windows-host-process'
  | 'volume-types'
  | 'allow-privilege-escalation'
  | 'run-as-non-root'
  | 'run-as-user'
  | 'seccomp-restricted'
  | 'capabilities-restricted';

export interface PodSecurityControl {
  readonly id: PodSecurityControlId;
  /** Problem code: `pod-security/<id>`. */
  readonly code: string;
  /** The lowest level that enforces it (restricted includes every baseline control). */
  readonly level: PodSecurityLevel;
  /** pod-security-admission's check ID, for cross-reference. */
  readonly admissionCheck: string;
  readonly title: string;
  /** Which fields, and what is allowed. */
  readonly description: string;
}

/** Capabilities baseline allows containers to add (the container runtime's default set). */
export const BASELINE_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
];

/** Safe sysctls at policy version 1.27 (unchanged in 1.28; 1.29 added the tcp_keepalive/fin ones). */
export const ALLOWED_SYSCTLS: readonly string[] = [
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.ping_group_range', 'net.ipv4.tcp_syncookies',
];

export const ALLOWED_SELINUX_TYPES: readonly string[] = ['', 'container_t', 'container_init_t', 'container_kvm_t'];

/** Volume sources restricted allows (1.28: `image` volumes did not exist yet). */
export const RESTRICTED_VOLUME_SOURCES: readonly string[] = [
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
];

function control(id: PodSecurityControlId, level: PodSecurityLevel, admissionCheck: string, title: string, description: string): PodSecurityControl {
  return { id, code: `pod-security/${id}`, level, admissionCheck, title, description };
}

export const POD_SECURITY_CONTROLS: readonly PodSecurityControl[] = [
  control('host-namespaces', 'baseline', 'hostNamespaces', 'Host namespaces',
    'spec.hostNetwork, spec.hostPID and spec.hostIPC must be unset or false.'),
  control('privileged', 'baseline', 'privileged', 'Privileged containers',
    'securityContext.privileged of every container, init container and ephemeral container must be unset or false.'),
  control('capabilities-baseline', 'baseline', 'capabilities_baseline', 'Capabilities',
    `securityContext.capabilities.add may only contain ${BASELINE_CAPABILITIES.join(', ')}.`),
  control('host-path-volumes', 'baseline', 'hostPathVolumes', 'HostPath volumes',
    'spec.volumes[*].hostPath must be unset.'),
  control('host-ports', 'baseline', 'hostPorts', 'Host ports',
    'ports[*].hostPort of every container must be unset or 0.'),
  control('apparmor', 'baseline', 'appArmorProfile', 'AppArmor',
    'annotations container.apparmor.security.beta.kubernetes.io/* must be unset, "runtime/default" or "localhost/*"; securityContext.appArmorProfile.type must be unset, RuntimeDefault or Localhost.'),
  control('selinux', 'baseline', 'seLinuxOptions', 'SELinux',
    `seLinuxOptions.type (pod and containers) must be one of ${ALLOWED_SELINUX_TYPES.map((t) => JSON.stringify(t)).join(', ')}; seLinuxOptions.user and .role must be unset or empty.`),
  control('proc-mount', 'baseline', 'procMount', '/proc mount type',
    'securityContext.procMount of every container must be unset or "Default".'),
  control('seccomp-baseline', 'baseline', 'seccompProfile_baseline', 'Seccomp (baseline)',
    'seccompProfile.type (pod and containers) must not be Unconfined.'),
  control('sysctls', 'baseline', 'sysctls', 'Sysctls',
    `spec.securityContext.sysctls[*].name may only be ${ALLOWED_SYSCTLS.join(', ')}.`),
  control('windows-host-process', 'baseline', 'windowsHostProcess', 'Windows HostProcess',
    'windowsOptions.hostProcess (pod and containers) must be unset or false.'),
  control('volume-types', 'restricted', 'restrictedVolumes', 'Volume types',
    `spec.volumes[*] may only use ${RESTRICTED_VOLUME_SOURCES.join(', ')}.`),
  control('allow-privilege-escalation', 'restricted', 'allowPrivilegeEscalation', 'Privilege escalation',
    'securityContext.allowPrivilegeEscalation must be set to false on every container (Windows pods exempt).'),
  control('run-as-non-root', 'restricted', 'runAsNonRoot', 'Running as non-root',
    'spec.securityContext.runAsNonRoot must be true, or every container must set it true; no container may set it false.'),
  control('run-as-user', 'restricted', 'runAsUser', 'Running as a non-root user',
    'runAsUser (pod and containers) must not be 0.'),
  control('seccomp-restricted', 'restricted', 'seccompProfile_restricted', 'Seccomp (restricted)',
    'seccompProfile.type must be RuntimeDefault or Localhost at pod level, or on every container (Windows pods exempt).'),
  control('capabilities-restricted', 'restricted', 'capabilities_restricted', 'Capabilities (restricted)',
    'every container must drop ALL capabilities and may add only NET_BIND_SERVICE (Windows pods exempt).'),
];
