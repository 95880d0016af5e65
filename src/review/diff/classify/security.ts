/**
 * `security-weakened`: a pod setting that the restricted Pod Security profile forbids appears on the
 * head side where the base side did not have it, a namespace's PSA `enforce` level drops, or a
 * service account starts mounting its token.
 *
 * Each object's weaknesses are computed as a set keyed by container name and field (not by list
 * index, so reordering containers is not a finding); the finding is the set difference head − base.
 */
import { containersOf, podTemplateOf, type KubeJson } from '../../../k8s/objects.ts';
import type { RiskNote } from '../types.ts';

interface Weakness {
  readonly key: string;
  readonly pointer: string;
  readonly message: string;
}

const PSA_LEVELS = ['privileged', 'baseline', 'restricted'] as const;
const PSA_ENFORCE = 'pod-security.kubernetes.io/enforce';

function containerWeaknesses(pod: KubeJson, c: KubeJson, pointer: string): Weakness[] {
  const sc = (c.securityContext ?? {}) as KubeJson;
  const psc = (pod.securityContext ?? {}) as KubeJson;
  const who = `container ${c.name}`;
  const out: Weakness[] = [];
  const add = (field: string, message: string, at = `${pointer}/securityContext/${field}`) => out.push({ key: `${c.name}:${field}`, pointer: at, message: `${who}: ${message}` });
  if (sc.privileged === true) add('privileged', 'privileged: true (full access to the node)');
  if (sc.allowPrivilegeEscalation !== false) add('allowPrivilegeEscalation', `allowPrivilegeEscalation is ${JSON.stringify(sc.allowPrivilegeEscalation ?? 'unset')}, not false`);
  if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) add('runAsNonRoot', 'may run as root (runAsNonRoot is not true)');
  if ((sc.runAsUser ?? psc.runAsUser) === 0) add('runAsUser', 'runs as user 0 (root)');
  if (sc.readOnlyRootFilesystem !== true) add('readOnlyRootFilesystem', 'root filesystem is writable (readOnlyRootFilesystem is not true)');
  const drop = ((sc.capabilities?.drop as string[] | undefined) ?? []).map((x) => x.toUpperCase());
  if (!drop.includes('ALL')) add('capabilities/drop', 'does not drop ALL capabilities');
  for (const cap of (sc.capabilities?.add as string[] | undefined) ?? []) {
    out.push({ key: `${c.name}:capabilities/add/${cap}`, pointer: `${pointer}/securityContext/capabilities/add`, message: `${who}: adds capability ${cap}` });
  }
  const seccomp = (sc.seccompProfile?.type ?? psc.seccompProfile?.type) as string | undefined;
  if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') add('seccompProfile', `seccomp profile is ${JSON.stringify(seccomp ?? 'unset')}, not RuntimeDefault or Localhost`);
  for (const [i, p] of ((c.ports as KubeJson[] | undefined) ?? []).entries()) {
    if (p.hostPort) out.push({ key: `${c.name}:hostPort/${p.hostPort}`, pointer: `${pointer}/ports/${i}/hostPort`, message: `${who}: binds host port ${p.hostPort}` });
  }
  return out;
}

/** What a pod spec allows beyond the restricted profile. */
export function podWeaknesses(spec: KubeJson, pointer: string): Weakness[] {
  const out: Weakness[] = [];
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[field] === true) out.push({ key: field, pointer: `${pointer}/${field}`, message: `${field}: true (shares the node's ${field.slice(4)} namespace)` });
  }
  for (const [i, v] of ((spec.volumes as KubeJson[] | undefined) ?? []).entries()) {
    if (v.hostPath) out.push({ key: `hostPath/${v.name}`, pointer: `${pointer}/volumes/${i}/hostPath`, message: `volume ${v.name} mounts host path ${v.hostPath.path}` });
  }
  if (spec.automountServiceAccountToken !== false) {
    out.push({ key: 'automountServiceAccountToken', pointer: `${pointer}/automountServiceAccountToken`, message: 'mounts a service account token (automountServiceAccountToken is not false)' });
  }
  for (const { container, pointer: at } of containersOf(spec, pointer)) out.push(...containerWeaknesses(spec, container, at));
  return out;
}

function psaLevel(ns: KubeJson): number {
  const level = ns.metadata?.labels?.[PSA_ENFORCE] as string | undefined;
  const i = PSA_LEVELS.indexOf((level ?? 'privileged') as (typeof PSA_LEVELS)[number]);
  return i < 0 ? 0 : i;
}

/** Weaknesses of any object kind this classifier understands. */
export function weaknessesOf(obj: KubeJson): Weakness[] {
  const tpl = podTemplateOf(obj);
  if (tpl) return podWeaknesses(tpl.spec, tpl.pointer);
  if (obj.kind === 'ServiceAccount' && obj.apiVersion === 'v1' && obj.automountServiceAccountToken !== false) {
    return [{ key: 'automountServiceAccountToken', pointer: '/automountServiceAccountToken', message: 'pods using it mount its token unless they opt out (automountServiceAccountToken is not false)' }];
  }
  return [];
}

/** The security classifier: pod templates, ServiceAccounts and Namespace PSA labels. */
export function classifySecurity(before: KubeJson | undefined, after: KubeJson | undefined): RiskNote[] {
  if (!after) return [];
  if (after.kind === 'Namespace' && after.apiVersion === 'v1') {
    const now = psaLevel(after);
    const was = before ? psaLevel(before) : PSA_LEVELS.length - 1;
    if (now >= was) return [];
    const label = (ns: KubeJson | undefined) => JSON.stringify(ns?.metadata?.labels?.[PSA_ENFORCE] ?? 'unset');
    return [
      {
        class: 'security-weakened',
        pointer: `/metadata/labels/${PSA_ENFORCE.replace(/\//g, '~1')}`,
        message: before ? `Pod Security enforce level lowered from ${label(before)} to ${label(after)}` : `new namespace enforces Pod Security level ${label(after)}, not "restricted"`,
      },
    ];
  }
  const had = new Set((before ? weaknessesOf(before) : []).map((w) => w.key));
  return weaknessesOf(after)
    .filter((w) => !had.has(w.key))
    .map((w) => ({ class: 'security-weakened' as const, pointer: w.pointer, message: w.message }));
}
