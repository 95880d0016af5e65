/**
 * `validate.podSecurity.exclude`, a port of Kyverno's `ApplyPodSecurityExclusion` /
 * `exemptExclusions` (`pkg/pss/evaluate.go`), quirks included, because whether an exclusion
 * applies decides pass or fail:
 * - an entry without `images` is pod-level: the checks are re-run on the pod with its containers
 *   replaced by one empty container named "fake", and each field error found there removes the
 *   first remaining error of the same check whose field matches with every index read as `*`
 *   (so it can also remove one container's error);
 * - an entry with `images` is container-level: the checks are re-run on a pod holding only the
 *   containers whose image matches (no pod-level fields, no annotations); an error on a container
 *   field removes the error on the same field of the container with the same name;
 * - `restrictedField` (indices as `*`) limits the entry to that field, and `values` to errors all of
 *   whose bad values match one of the patterns (errors without a bad value always match);
 * - one removal per error found, and a check whose errors are all removed passes.
 */
import { wildcardMatch } from '../json/functions/wildcard.ts';
import type { PssCheckFailure, PssFieldError, PssPod } from './pss-checks.ts';

type Json = Record<string, unknown>;

export interface PssExclusion {
  readonly controlName: string;
  readonly images: readonly string[];
  readonly restrictedField: string;
  readonly values: readonly string[];
}

/** Kyverno's `PSS_controls_to_check_id`: control names (as written in policies) → check IDs. */
export const PSS_CONTROL_CHECKS: Readonly<Record<string, readonly string[]>> = {
  Capabilities: ['capabilities_baseline', 'capabilities_restricted'],
  Seccomp: ['seccompProfile_baseline', 'seccompProfile_restricted'],
  'Privileged Containers': ['privileged'],
  'Host Ports': ['hostPorts'],
  '/proc Mount Type': ['procMount'],
  'Host Probes / Lifecycle Hooks': ['hostProbesAndHostLifecycle'],
  HostProcess: ['windowsHostProcess'],
  SELinux: ['seLinuxOptions'],
  'Host Namespaces': ['hostNamespaces'],
  'HostPath Volumes': ['hostPathVolumes'],
  Sysctls: ['sysctls'],
  AppArmor: ['appArmorProfile'],
  'Privilege Escalation': ['allowPrivilegeEscalation'],
  'Running as Non-root': ['runAsNonRoot'],
  'Running as Non-root user': ['runAsUser'],
  'Volume Types': ['restrictedVolumes'],
};

/** Controls whose exclusions must name images, and those that must not (`PodSecurityStandard.Validate`). */
export const PSS_CONTAINER_LEVEL_CONTROLS: readonly string[] = ['Capabilities', 'Privileged Containers', 'Host Ports', '/proc Mount Type', 'Privilege Escalation', 'Host Probes / Lifecycle Hooks'];
export const PSS_POD_LEVEL_CONTROLS: readonly string[] = ['Host Namespaces', 'HostPath Volumes', 'Sysctls', 'Volume Types'];

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
const anyMatch = (patterns: readonly string[], value: string): boolean => patterns.some((p) => wildcardMatch(p, value));

/** `regexIndex.ReplaceAllString(field, "*")`: every digit run, even inside names. */
const wildcardIndices = (field: string): string => field.replace(/\d+/g, '*');

interface ParsedField {
  readonly field: string;
  /** Set when the field belongs to a container: its list and index. */
  readonly container?: { readonly list: string; readonly index: number };
}

/** Kyverno's `parseField`: the second word of the path says whether it is a container field. */
function parseField(field: string): ParsedField {
  const words = field.match(/[a-zA-Z]+/g) ?? [];
  const index = field.match(/\d+/);
  const type = words[1];
  if (type !== undefined && (CONTAINER_LISTS as readonly string[]).includes(type) && index) {
    return { field: wildcardIndices(field), container: { list: type, index: Number(index[0]) } };
  }
  return { field: wildcardIndices(field) };
}

function containerName(pod: PssPod, at: ParsedField['container']): string {
  if (!at) return '';
  const c = list(pod.spec[at.list])[at.index];
  return c && typeof c.name === 'string' ? c.name : '';
}

/** `extractBadValues`: strings (non-empty), booleans, integers and string lists. */
function badValues(e: PssFieldError): string[] {
  const v = e.badValue;
  if (typeof v === 'string') return v === '' ? [] : [v];
  if (typeof v === 'boolean' || typeof v === 'number') return [String(v)];
  if (Array.isArray(v)) return [...v];
  return [];
}

/** `GetPodWithMatchingContainers`: the pod-level view (no images) or the matching containers. */
function exclusionPod(exclude: PssExclusion, pod: PssPod): { readonly pod: PssPod; readonly containerLevel: boolean } {
  if (exclude.images.length === 0) {
    const { initContainers: _i, ephemeralContainers: _e, ...spec } = pod.spec;
    return { pod: { metadata: pod.metadata, spec: { ...spec, containers: [{ name: 'fake' }] } }, containerLevel: false };
  }
  const metadata: Json = {};
  if (pod.metadata.name !== undefined) metadata.name = pod.metadata.name;
  if (pod.metadata.namespace !== undefined) metadata.namespace = pod.metadata.namespace;
  const spec: Json = {};
  for (const l of CONTAINER_LISTS) {
    const matching = list(pod.spec[l]).filter((c) => anyMatch(exclude.images, typeof c.image === 'string' ? c.image : ''));
    if (matching.length > 0) spec[l] = matching;
  }
  return { pod: { metadata, spec }, containerLevel: true };
}

function exempt(
  remaining: Map<string, PssFieldError[]>,
  found: readonly PssCheckFailure[],
  exclude: PssExclusion,
  pod: PssPod,
  matching: PssPod,
  containerLevel: boolean,
): void {
  const ids = PSS_CONTROL_CHECKS[exclude.controlName] ?? [];
  for (const result of found) {
    if (!ids.includes(result.id)) continue;
    for (const excludeErr of result.errors) {
      const ex = containerLevel ? parseField(excludeErr.field) : { field: wildcardIndices(excludeErr.field) };
      const exName = containerLevel ? containerName(matching, ex.container) : '';
      if (exclude.restrictedField !== '' && ex.field !== exclude.restrictedField) continue;
      if (exclude.values.length > 0 && !badValues(excludeErr).every((v) => anyMatch(exclude.values, v))) continue;
      const errors = remaining.get(result.id);
      if (!errors) continue;
      const idx = errors.findIndex((d) => {
        const def = containerLevel ? parseField(d.field) : { field: wildcardIndices(d.field) };
        if (def.field !== ex.field) return false;
        return !def.container || containerName(pod, def.container) === exName;
      });
      if (idx >= 0) {
        // Go's `remove`: the last error takes the removed one's place.
        errors[idx] = errors[errors.length - 1]!;
        errors.pop();
      }
      if (errors.length === 0) remaining.delete(result.id);
    }
  }
}

/**
 * The checks still failing after `excludes`; `evaluate` re-runs the checks (same level and version)
 * on the derived pods.
 */
export function applyPssExclusions(
  failures: readonly PssCheckFailure[],
  excludes: readonly PssExclusion[],
  pod: PssPod,
  evaluate: (pod: PssPod) => readonly PssCheckFailure[],
): PssCheckFailure[] {
  const remaining = new Map(failures.map((f) => [f.id, [...f.errors]]));
  for (const exclude of excludes) {
    const view = exclusionPod(exclude, pod);
    exempt(remaining, evaluate(view.pod), exclude, pod, view.pod, view.containerLevel);
  }
  return failures.filter((f) => remaining.has(f.id)).map((f) => ({ ...f, errors: remaining.get(f.id)! }));
}
