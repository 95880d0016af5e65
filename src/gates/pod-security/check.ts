/**
 * Pod Security Standards (baseline, restricted) for one rendered object, Kubernetes 1.28 semantics.
 *
 * Written by hand because the reference implementation is Go (pod-security-admission) and Kyverno's
 * `podSecurity` subrule needs a cluster or its CLI; this is a direct port of the 1.28 checks that
 * reports every violation with the pointer of the field to change, instead of one line per control.
 */
import type { Problem } from '../../util/errors.ts';
import {
  ALLOWED_SELINUX_TYPES,
  ALLOWED_SYSCTLS,
  BASELINE_CAPABILITIES,
  POD_SECURITY_CONTROLS,
  RESTRICTED_VOLUME_SOURCES,
  type PodSecurityControlId,
  type PodSecurityLevel,
} from './controls.ts';
import { findPodSpec, type PodSpecLocation } from './pod-spec.ts';

export interface PodSecurityContext {
  readonly constructPath?: string;
  readonly file?: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Json => (isObject(v) ? v : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const show = (v: unknown): string => JSON.stringify(v);
const escape = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

interface ContainerRef {
  /** `container "app"`, `init container "setup"`, `ephemeral container "debug"` */
  readonly label: string;
  readonly name: string;
  readonly pointer: string;
  readonly container: Json;
  readonly securityContext: Json;
}

/** Init containers first, as they run first (and as pod-security-admission visits them). */
const CONTAINER_LISTS = [
  ['initContainers', 'init container'],
  ['containers', 'container'],
  ['ephemeralContainers', 'ephemeral container'],
] as const;

class Checker {
  readonly problems: Problem[] = [];
  readonly containers: ContainerRef[];
  readonly podSecurityContext: Json;
  readonly podSecurityContextPointer: string;
  readonly isWindows: boolean;

  constructor(
    readonly identity: string,
    readonly pod: PodSpecLocation,
    readonly context: PodSecurityContext,
  ) {
    this.podSecurityContext = obj(pod.spec.securityContext);
    this.podSecurityContextPointer = `${pod.specPointer}/securityContext`;
    // pod-security-admission (1.25+) exempts Windows pods from the Linux-only restricted checks.
    this.isWindows = obj(pod.spec.os).name === 'windows';
    this.containers = CONTAINER_LISTS.flatMap(([field, label]) =>
      list(pod.spec[field]).map((c, i) => {
        const container = obj(c);
        const name = typeof container.name === 'string' ? container.name : `#${i}`;
        return {
          label: `${label} ${show(name)}`,
          name,
          pointer: `${pod.specPointer}/${field}/${i}`,
          container,
          securityContext: obj(container.securityContext),
        };
      }),
    );
  }

  report(id: PodSecurityControlId, pointer: string, what: string, fix: string): void {
    const control = POD_SECURITY_CONTROLS.find((c) => c.id === id)!;
    this.problems.push({
      ...(this.context.constructPath ? { constructPath: this.context.constructPath } : {}),
      ...(this.context.file ? { file: this.context.file } : {}),
      pointer,
      code: control.code,
      message: `${this.identity}: ${what} (Pod Security ${control.level}: ${control.title})`,
      fix,
    });
  }

  /** Pod-level then container-level securityContexts, for controls that apply to both. */
  *securityContexts(): Generator<{ label: string; pointer: string; sc: Json }> {
    yield { label: 'the pod', pointer: this.podSecurityContextPointer, sc: this.podSecurityContext };
    for (const c of this.containers) yield { label: c.label, pointer: `${c.pointer}/securityContext`, sc: c.securityContext };
  }

  // ---- baseline ----

  hostNamespaces(): void {
    for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
      if (this.pod.spec[field] === true) {
        this.report('host-namespaces', `${this.pod.specPointer}/${field}`, `${field} is true`, `remove ${field} or set it to false`);
      }
    }
  }

  privileged(): void {
    for (const c of this.containers) {
      if (c.securityContext.privileged === true) {
        this.report('privileged', `${c.pointer}/securityContext/privileged`, `${c.label} sets privileged: true`, 'remove privileged or set it to false; grant the specific capability instead');
      }
    }
  }

  capabilitiesBaseline(): void {
    for (const c of this.containers) {
      list(obj(c.securityContext.capabilities).add).forEach((cap, i) => {
        if (typeof cap !== 'string' || !BASELINE_CAPABILITIES.includes(cap)) {
          this.report('capabilities-baseline', `${c.pointer}/securityContext/capabilities/add/${i}`, `${c.label} adds capability ${show(cap)}`,
            `remove it; baseline allows adding only ${BASELINE_CAPABILITIES.join(', ')}`);
        }
      });
    }
  }

  hostPathVolumes(): void {
    list(this.pod.spec.volumes).forEach((v, i) => {
      if (obj(v).hostPath !== undefined) {
        this.report('host-path-volumes', `${this.pod.specPointer}/volumes/${i}/hostPath`, `volume ${show(obj(v).name)} mounts a hostPath`,
          'use an emptyDir, configMap, secret or persistentVolumeClaim volume instead');
      }
    });
  }

  hostPorts(): void {
    for (const c of this.containers) {
      list(c.container.ports).forEach((p, i) => {
        const hostPort = obj(p).hostPort;
        if (hostPort !== undefined && hostPort !== 0) {
          this.report('host-ports', `${c.pointer}/ports/${i}/hostPort`, `${c.label} binds hostPort ${show(hostPort)}`,
            'remove hostPort and expose the port through a Service');
        }
      });
    }
  }

  appArmor(): void {
    const prefix = 'container.apparmor.security.beta.kubernetes.io/';
    for (const [key, value] of Object.entries(obj(this.pod.metadata.annotations))) {
      if (!key.startsWith(prefix)) continue;
      const ok = value === '' || value === 'runtime/default' || (typeof value === 'string' && value.startsWith('localhost/'));
      if (!ok) {
        this.report('apparmor', `${this.pod.metadataPointer}/annotations/${escape(key)}`, `annotation ${key} is ${show(value)}`,
          'use "runtime/default" or a "localhost/<profile>" profile');
      }
    }
    for (const { label, pointer, sc } of this.securityContexts()) {
      const type = obj(sc.appArmorProfile).type;
      if (type !== undefined && type !== 'RuntimeDefault' && type !== 'Localhost') {
        this.report('apparmor', `${pointer}/appArmorProfile/type`, `${label} sets appArmorProfile.type ${show(type)}`, 'use RuntimeDefault or Localhost');
      }
    }
  }

  seLinux(): void {
    for (const { label, pointer, sc } of this.securityContexts()) {
      const options = obj(sc.seLinuxOptions);
      if (options.type !== undefined && !ALLOWED_SELINUX_TYPES.includes(String(options.type))) {
        this.report('selinux', `${pointer}/seLinuxOptions/type`, `${label} sets seLinuxOptions.type ${show(options.type)}`,
          `remove it or use one of ${ALLOWED_SELINUX_TYPES.filter(Boolean).join(', ')}`);
      }
      for (const field of ['user', 'role']) {
        if (options[field] !== undefined && options[field] !== '') {
          this.report('selinux', `${pointer}/seLinuxOptions/${field}`, `${label} sets seLinuxOptions.${field} ${show(options[field])}`, `remove seLinuxOptions.${field}`);
        }
      }
    }
  }

  procMount(): void {
    for (const c of this.containers) {
      const value = c.securityContext.procMount;
      if (value !== undefined && value !== 'Default') {
        this.report('proc-mount', `${c.pointer}/securityContext/procMount`, `${c.label} sets procMount ${show(value)}`, 'remove procMount or set it to Default');
      }
    }
  }

  seccompBaseline(): void {
    for (const { label, pointer, sc } of this.securityContexts()) {
      const type = obj(sc.seccompProfile).type;
      if (type === 'Unconfined') {
        this.report('seccomp-baseline', `${pointer}/seccompProfile/type`, `${label} sets seccompProfile.type "Unconfined"`, 'use RuntimeDefault (or a Localhost profile)');
      }
    }
  }

  sysctls(): void {
    list(this.podSecurityContext.sysctls).forEach((s, i) => {
      const name = obj(s).name;
      if (typeof name !== 'string' || !ALLOWED_SYSCTLS.includes(name)) {
        this.report('sysctls', `${this.podSecurityContextPointer}/sysctls/${i}/name`, `sysctl ${show(name)} is not in the safe set`,
          `remove it; only ${ALLOWED_SYSCTLS.join(', ')} are allowed`);
      }
    });
  }

  windowsHostProcess(): void {
    for (const { label, pointer, sc } of this.securityContexts()) {
      if (obj(sc.windowsOptions).hostProcess === true) {
        this.report('windows-host-process', `${pointer}/windowsOptions/hostProcess`, `${label} sets windowsOptions.hostProcess: true`, 'remove hostProcess or set it to false');
      }
    }
  }

  // ---- restricted ----

  volumeTypes(): void {
    list(this.pod.spec.volumes).forEach((v, i) => {
      const volume = obj(v);
      // A volume with no source is defaulted to emptyDir by the API server before admission sees it.
      for (const field of Object.keys(volume).filter((k) => k !== 'name' && !RESTRICTED_VOLUME_SOURCES.includes(k))) {
        this.report('volume-types', `${this.pod.specPointer}/volumes/${i}/${escape(field)}`, `volume ${show(volume.name)} uses type ${show(field)}`,
          `use one of ${RESTRICTED_VOLUME_SOURCES.join(', ')}`);
      }
    });
  }

  allowPrivilegeEscalation(): void {
    if (this.isWindows) return;
    for (const c of this.containers) {
      const value = c.securityContext.allowPrivilegeEscalation;
      if (value !== false) {
        this.report('allow-privilege-escalation', `${c.pointer}/securityContext/allowPrivilegeEscalation`,
          value === undefined ? `${c.label} does not set allowPrivilegeEscalation` : `${c.label} sets allowPrivilegeEscalation ${show(value)}`,
          'set securityContext.allowPrivilegeEscalation: false');
      }
    }
  }

  runAsNonRoot(): void {
    const podValue = this.podSecurityContext.runAsNonRoot;
    const podPointer = `${this.podSecurityContextPointer}/runAsNonRoot`;
    if (podValue === false) {
      this.report('run-as-non-root', podPointer, 'the pod sets runAsNonRoot: false', 'set spec.securityContext.runAsNonRoot: true');
    }
    const implicit: string[] = [];
    for (const c of this.containers) {
      const value = c.securityContext.runAsNonRoot;
      if (value === false) {
        this.report('run-as-non-root', `${c.pointer}/securityContext/runAsNonRoot`, `${c.label} sets runAsNonRoot: false`, 'remove it or set it to true');
      } else if (value === undefined && podValue !== true) {
        implicit.push(c.name);
      }
    }
    if (implicit.length > 0 && podValue !== false) {
      this.report('run-as-non-root', podPointer,
        `neither the pod nor ${implicit.length === 1 ? 'container' : 'containers'} ${implicit.map(show).join(', ')} set runAsNonRoot: true`,
        'set spec.securityContext.runAsNonRoot: true (it covers every container)');
    }
  }

  runAsUser(): void {
    for (const { label, pointer, sc } of this.securityContexts()) {
      if (sc.runAsUser === 0) {
        this.report('run-as-user', `${pointer}/runAsUser`, `${label} sets runAsUser: 0 (root)`, 'remove runAsUser (the image or platform picks a non-root UID) or use a non-zero UID');
      }
    }
  }

  seccompRestricted(): void {
    if (this.isWindows) return;
    const valid = (t: unknown): boolean => t === 'RuntimeDefault' || t === 'Localhost';
    const podProfile = this.podSecurityContext.seccompProfile;
    const podPointer = `${this.podSecurityContextPointer}/seccompProfile/type`;
    const podType = obj(podProfile).type;
    if (podProfile !== undefined && !valid(podType)) {
      this.report('seccomp-restricted', podPointer, `the pod sets seccompProfile.type ${show(podType)}`, 'use RuntimeDefault (or a Localhost profile)');
    }
    const podSet = podProfile !== undefined && valid(podType);
    const implicit: string[] = [];
    for (const c of this.containers) {
      const profile = c.securityContext.seccompProfile;
      if (profile !== undefined) {
        const type = obj(profile).type;
        if (!valid(type)) {
          this.report('seccomp-restricted', `${c.pointer}/securityContext/seccompProfile/type`, `${c.label} sets seccompProfile.type ${show(type)}`, 'use RuntimeDefault (or a Localhost profile)');
        }
      } else if (!podSet) {
        implicit.push(c.name);
      }
    }
    if (implicit.length > 0) {
      this.report('seccomp-restricted', podPointer,
        `neither the pod nor ${implicit.length === 1 ? 'container' : 'containers'} ${implicit.map(show).join(', ')} set seccompProfile.type`,
        'set spec.securityContext.seccompProfile.type: RuntimeDefault (it covers every container)');
    }
  }

  capabilitiesRestricted(): void {
    if (this.isWindows) return;
    for (const c of this.containers) {
      const caps = obj(c.securityContext.capabilities);
      const capsPointer = `${c.pointer}/securityContext/capabilities`;
      if (!list(caps.drop).includes('ALL')) {
        this.report('capabilities-restricted', `${capsPointer}/drop`, `${c.label} does not drop ALL capabilities${caps.drop !== undefined ? ` (drop is ${show(caps.drop)})` : ''}`,
          'set securityContext.capabilities.drop: [ALL]');
      }
      list(caps.add).forEach((cap, i) => {
        if (cap !== 'NET_BIND_SERVICE') {
          this.report('capabilities-restricted', `${capsPointer}/add/${i}`, `${c.label} adds capability ${show(cap)}`, 'remove it; restricted allows adding only NET_BIND_SERVICE');
        }
      });
    }
  }
}

/** `Deployment prod/web` */
function identity(o: Json): string {
  const meta = obj(o.metadata);
  const ns = typeof meta.namespace === 'string' ? `${meta.namespace}/` : '';
  return `${String(o.kind)} ${ns}${typeof meta.name === 'string' ? meta.name : '(unnamed)'}`;
}

/**
 * Every Pod Security Standards violation of a Pod or pod controller (Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate) at `level`.
 * Other kinds, and controllers without a pod template, have no violations.
 */
export function checkPodSecurity(object: unknown, level: PodSecurityLevel, context: PodSecurityContext = {}): Problem[] {
  if (!isObject(object)) return [];
  const pod = findPodSpec(object);
  if (!pod) return [];
  const c = new Checker(identity(object), pod, context);
  c.hostNamespaces();
  c.privileged();
  c.capabilitiesBaseline();
  c.hostPathVolumes();
  c.hostPorts();
  c.appArmor();
  c.seLinux();
  c.procMount();
  c.seccompBaseline();
  c.sysctls();
  c.windowsHostProcess();
  if (level === 'restricted') {
    c.volumeTypes();
    c.allowPrivilegeEscalation();
    c.runAsNonRoot();
    c.runAsUser();
    c.seccompRestricted();
    c.capabilitiesRestricted();
  }
  return c.problems;
}
