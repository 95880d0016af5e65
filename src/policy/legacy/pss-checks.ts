/**
 * Pod Security Standards results shaped like Kyverno's fork of pod-security-admission
 * (`policy.WithFieldErrors()`): one failure per check ID, each with field errors whose `field` is
 * pod-relative (`spec.containers[0].securityContext.privileged`) and whose bad values are what
 * `validate.podSecurity.exclude[].values` is matched against.
 *
 * The violations themselves come from the shared checker (`src/gates/pod-security`); this module
 * only regroups them at Kyverno's granularity, because exclusions compare fields one by one:
 * - capabilities are one error per container (`…capabilities.add`, bad value = the sorted set of
 *   forbidden capabilities seen so far in the pod, as the fork accumulates it), not one per entry;
 * - "implicitly" unset fields (runAsNonRoot, seccompProfile, allowPrivilegeEscalation,
 *   capabilities.drop) are `Required value` errors on each container, where the checker reports
 *   runAsNonRoot/seccomp once at pod level;
 * - restricted seccomp reports explicit bad values only, and implicit containers only when nothing
 *   is explicitly bad (`seccompProfileRestrictedV1Dot19`);
 * - a volume of a restricted type is one error on its first disallowed source.
 */
import type { Problem } from '../../util/errors.ts';
import { checkPodSecurity } from '../../gates/pod-security/check.ts';
import { ALLOWED_SYSCTLS, POD_SECURITY_CONTROLS, type PodSecurityLevel } from '../../gates/pod-security/controls.ts';
import { CHECK_MINIMUM_MINOR, type PssVersion } from './pss-version.ts';

type Json = Record<string, unknown>;

export interface PssFieldError {
  readonly type: 'forbidden' | 'required';
  /** Pod-relative field path with indices, e.g. `spec.initContainers[1].securityContext.runAsUser`. */
  readonly field: string;
  /** Absent for errors without a bad value (required, or forbidden presence such as a hostPath volume). */
  readonly badValue?: string | number | boolean | readonly string[];
}

export interface PssCheckFailure {
  /** pod-security-admission check ID, e.g. `capabilities_restricted`. */
  readonly id: string;
  /** `CheckResult.ForbiddenReason`. */
  readonly reason: string;
  readonly errors: readonly PssFieldError[];
}

/** A Pod as Kyverno builds it for the checks: the template's metadata and spec. */
export interface PssPod {
  readonly metadata: Json;
  readonly spec: Json;
}

/** Check IDs in `policy.DefaultChecks()` order (registration order: the check files sorted by name). */
export const PSS_CHECK_REASONS: ReadonlyArray<readonly [string, string]> = [
  ['allowPrivilegeEscalation', 'allowPrivilegeEscalation != false'],
  ['appArmorProfile', 'forbidden AppArmor profile'],
  ['capabilities_baseline', 'non-default capabilities'],
  ['capabilities_restricted', 'unrestricted capabilities'],
  ['hostNamespaces', 'host namespaces'],
  ['hostPathVolumes', 'hostPath volumes'],
  ['hostPorts', 'hostPort'],
  ['privileged', 'privileged'],
  ['procMount', 'procMount'],
  ['restrictedVolumes', 'restricted volume types'],
  ['runAsNonRoot', 'runAsNonRoot != true'],
  ['runAsUser', 'runAsUser=0'],
  ['seLinuxOptions', 'seLinuxOptions'],
  ['seccompProfile_baseline', 'seccompProfile'],
  ['seccompProfile_restricted', 'seccompProfile'],
  ['sysctls', 'forbidden sysctls'],
  ['windowsHostProcess', 'hostProcess'],
];

const CHECK_BY_CODE = new Map(POD_SECURITY_CONTROLS.map((c) => [c.code, c.admissionCheck]));
const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;
/** The 1.0 sysctls variant, which pinned versions always run (1.27 added ip_local_reserved_ports). */
const SYSCTLS_1_0 = ALLOWED_SYSCTLS.filter((s) => s !== 'net.ipv4.ip_local_reserved_ports');
const SECCOMP_ANNOTATIONS = /^(seccomp\.security\.alpha\.kubernetes\.io\/pod|container\.seccomp\.security\.alpha\.kubernetes\.io\/.*)$/;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Json => (isObject(v) ? v : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function tokens(pointer: string): string[] {
  return pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `/spec/containers/0/ports/1/hostPort` → `spec.containers[0].ports[1].hostPort`; annotation keys as `[key]`. */
export function fieldOf(pointer: string): string {
  const ts = tokens(pointer);
  let out = '';
  ts.forEach((t, i) => {
    if (/^\d+$/.test(t) || (i > 0 && ts[i - 1] === 'annotations')) out += `[${t}]`;
    else out += out === '' ? t : `.${t}`;
  });
  return out;
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const t of tokens(pointer)) node = Array.isArray(node) ? node[Number(t)] : isObject(node) ? node[t] : undefined;
  return node;
}

/** A Go `field.Error` bad value as the fork sets it: scalars as they are, others not at all. */
function scalar(v: unknown): PssFieldError['badValue'] {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
}

function forbidden(pointer: string, badValue?: PssFieldError['badValue']): PssFieldError {
  return badValue === undefined ? { type: 'forbidden', field: fieldOf(pointer) } : { type: 'forbidden', field: fieldOf(pointer), badValue };
}

const required = (pointer: string): PssFieldError => ({ type: 'required', field: fieldOf(pointer) });

interface ContainerAt {
  readonly pointer: string;
  readonly sc: Json;
}

function containers(pod: PssPod): ContainerAt[] {
  return CONTAINER_LISTS.flatMap((f) => list(pod.spec[f]).map((c, i) => ({ pointer: `/spec/${f}/${i}`, sc: obj(obj(c).securityContext) })));
}

/** `…/containers/0/securityContext/capabilities/add/2` → `/spec/containers/0`. */
const containerOf = (pointer: string): string => tokens(pointer).slice(0, 3).reduce((p, t) => `${p}/${t}`, '');

/** Capabilities: one error per container, bad value = the forbidden set accumulated so far (sorted). */
function capabilityAddErrors(problems: readonly Problem[], pod: PssPod): PssFieldError[] {
  const seen = new Set<string>();
  const out: PssFieldError[] = [];
  const byContainer = new Map<string, string[]>();
  for (const p of problems) {
    const c = containerOf(p.pointer!);
    byContainer.set(c, [...(byContainer.get(c) ?? []), String(valueAt(pod, p.pointer!))]);
  }
  for (const [c, caps] of byContainer) {
    caps.forEach((cap) => seen.add(cap));
    out.push(forbidden(`${c}/securityContext/capabilities/add`, [...seen].sort()));
  }
  return out;
}

function capabilitiesRestricted(problems: readonly Problem[], pod: PssPod): PssFieldError[] {
  const drops = problems.filter((p) => p.pointer!.endsWith('/capabilities/drop')).map((p) => {
    const caps = valueAt(pod, p.pointer!.replace(/\/drop$/, ''));
    return caps === undefined || caps === null ? required(p.pointer!) : forbidden(p.pointer!, list(obj(caps).drop).map(String));
  });
  return [...drops, ...capabilityAddErrors(problems.filter((p) => /\/capabilities\/add\/\d+$/.test(p.pointer!)), pod)];
}

function runAsNonRoot(pod: PssPod): PssFieldError[] {
  const podValue = obj(pod.spec.securityContext).runAsNonRoot;
  const explicit: PssFieldError[] = [];
  const implicit: PssFieldError[] = [];
  if (podValue === false) explicit.push(forbidden('/spec/securityContext/runAsNonRoot', false));
  for (const c of containers(pod)) {
    const at = `${c.pointer}/securityContext/runAsNonRoot`;
    if (c.sc.runAsNonRoot === false) explicit.push(forbidden(at, false));
    else if (c.sc.runAsNonRoot === undefined && podValue !== true) implicit.push(required(at));
  }
  return [...explicit, ...implicit];
}

function seccompRestricted(pod: PssPod): PssFieldError[] {
  const valid = (t: unknown): boolean => t === 'RuntimeDefault' || t === 'Localhost';
  const podProfile = obj(pod.spec.securityContext).seccompProfile;
  const explicit: PssFieldError[] = [];
  const implicit: PssFieldError[] = [];
  const podType = obj(podProfile).type;
  if (podProfile !== undefined && !valid(podType)) explicit.push(forbidden('/spec/securityContext/seccompProfile/type', typeof podType === 'string' ? podType : ''));
  const podSet = podProfile !== undefined && valid(podType);
  for (const c of containers(pod)) {
    const at = `${c.pointer}/securityContext/seccompProfile/type`;
    if (c.sc.seccompProfile !== undefined) {
      const t = obj(c.sc.seccompProfile).type;
      if (!valid(t)) explicit.push(forbidden(at, typeof t === 'string' ? t : ''));
    } else if (!podSet) implicit.push(required(at));
  }
  return explicit.length > 0 ? explicit : implicit;
}

/** The first disallowed source of each volume (the fork reports one per volume). */
function restrictedVolumes(problems: readonly Problem[]): PssFieldError[] {
  const byVolume = new Map<string, string>();
  for (const p of problems) {
    const v = tokens(p.pointer!).slice(0, 3).join('/');
    if (!byVolume.has(v)) byVolume.set(v, p.pointer!);
  }
  return [...byVolume.values()].map((pointer) => forbidden(pointer));
}

function fieldErrors(id: string, problems: readonly Problem[], pod: PssPod): PssFieldError[] {
  switch (id) {
    case 'capabilities_baseline':
      return capabilityAddErrors(problems, pod);
    case 'capabilities_restricted':
      return capabilitiesRestricted(problems, pod);
    case 'allowPrivilegeEscalation':
      return problems.map((p) => (valueAt(pod, p.pointer!) === undefined ? required(p.pointer!) : forbidden(p.pointer!, scalar(valueAt(pod, p.pointer!)))));
    case 'runAsNonRoot':
      return runAsNonRoot(pod);
    case 'seccompProfile_restricted':
      return seccompRestricted(pod);
    case 'restrictedVolumes':
      return restrictedVolumes(problems);
    case 'hostPathVolumes':
      return problems.map((p) => forbidden(p.pointer!));
    default:
      return problems.map((p) => forbidden(p.pointer!, scalar(valueAt(pod, p.pointer!))));
  }
}

/** Pinned versions run the 1.0 sysctls variant too, which rejects ip_local_reserved_ports. */
function pinnedSysctls(pod: PssPod): Problem[] {
  return list(obj(pod.spec.securityContext).sysctls).flatMap((s, i) => {
    const name = obj(s).name;
    return typeof name === 'string' && ALLOWED_SYSCTLS.includes(name) && !SYSCTLS_1_0.includes(name)
      ? [{ code: 'pod-security/sysctls', pointer: `/spec/securityContext/sysctls/${i}/name`, message: `sysctl ${name} is not in the v1.0 safe set` }]
      : [];
  });
}

/**
 * Failing checks of `pod` at `level` and `version`, in check order, or the reason this engine cannot
 * evaluate it. `version` must have passed `unsupportedVersion`.
 */
export function evaluatePssPod(pod: PssPod, level: PodSecurityLevel, version: PssVersion): PssCheckFailure[] | { readonly unsupported: string } {
  let spec = pod.spec;
  let problems: Problem[];
  if (version.latest) {
    problems = checkPodSecurity({ kind: 'Pod', metadata: pod.metadata, spec }, level);
  } else {
    const annotation = Object.keys(obj(pod.metadata.annotations)).find((k) => SECCOMP_ANNOTATIONS.test(k));
    if (annotation !== undefined) {
      return { unsupported: `podSecurity version ${version.text} also runs the v1.0 Seccomp check of annotation ${annotation}, which is not supported by the Lockstep ClusterPolicy engine; use version latest or remove the annotation` };
    }
    // The pre-1.25 variants still run for a pinned version and do not exempt Windows pods.
    const { os: _os, ...withoutOs } = spec;
    spec = withoutOs;
    const minor = version.minor!;
    problems = [...checkPodSecurity({ kind: 'Pod', metadata: pod.metadata, spec }, level), ...pinnedSysctls({ metadata: pod.metadata, spec })].filter((p) => {
      const id = CHECK_BY_CODE.get(p.code ?? '');
      if (id === undefined || (CHECK_MINIMUM_MINOR[id] ?? 0) > minor) return false;
      // appArmorProfile fields are checked from v1.30; before that only the annotations are.
      return !(id === 'appArmorProfile' && minor < 30 && !p.pointer!.startsWith('/metadata/'));
    });
  }
  const view: PssPod = { metadata: pod.metadata, spec };
  const byId = new Map<string, Problem[]>();
  for (const p of problems) {
    const id = CHECK_BY_CODE.get(p.code ?? '');
    if (id !== undefined) byId.set(id, [...(byId.get(id) ?? []), p]);
  }
  return PSS_CHECK_REASONS.flatMap(([id, reason]) => {
    const found = byId.get(id);
    if (!found) return [];
    const errors = fieldErrors(id, found, view);
    return [{ id, reason: id === 'appArmorProfile' && errors.length > 1 ? `${reason}s` : reason, errors }];
  });
}
