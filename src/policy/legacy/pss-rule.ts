/**
 * Kyverno's `validate.podSecurity` subrule (`pkg/engine/handlers/validation/validate_pss.go`):
 * the Pod Security Standards at a level and version, minus `exclude` entries, on a Pod or on the
 * pod template of a controller (the same block serves the `autogen-` rules unchanged).
 */
import { LockstepError } from '../../util/errors.ts';
import type { PodSecurityLevel } from '../../gates/pod-security/controls.ts';
import { evaluatePssPod, type PssCheckFailure, type PssFieldError, type PssPod } from './pss-checks.ts';
import { applyPssExclusions, PSS_CONTAINER_LEVEL_CONTROLS, PSS_CONTROL_CHECKS, PSS_POD_LEVEL_CONTROLS, type PssExclusion } from './pss-exclusion.ts';
import { parsePssVersion, unsupportedVersion, type PssVersion } from './pss-version.ts';

type Json = Record<string, unknown>;

export interface CompiledPodSecurity {
  /** `level` and `version` as written (version may be empty), for messages. */
  readonly levelText: string;
  readonly versionText: string;
  /** An error every evaluation reports instead of a result (unparsable or unsupported version or level). */
  readonly error: string | undefined;
  readonly level: PodSecurityLevel;
  readonly version: PssVersion | undefined;
  readonly exclude: readonly PssExclusion[];
}

export interface PssOutcome {
  readonly status: 'pass' | 'fail' | 'error';
  readonly message: string;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const LEVELS = ['privileged', 'baseline', 'restricted'];

function fail(file: string, pointer: string, message: string, fix: string): never {
  throw new LockstepError({ file, pointer, message, fix });
}

function strings(file: string, pointer: string, v: unknown): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) fail(file, pointer, `must be a list of strings, got ${JSON.stringify(v)}`, 'write it as a YAML list of strings');
  return v;
}

function compileExclusion(raw: unknown, file: string, pointer: string): PssExclusion {
  if (!isObject(raw)) fail(file, pointer, `a podSecurity exclusion must be an object, got ${JSON.stringify(raw)}`, 'use {controlName: …, images: […]}');
  const controlName = raw.controlName;
  if (typeof controlName !== 'string' || PSS_CONTROL_CHECKS[controlName] === undefined) {
    fail(file, `${pointer}/controlName`, `unknown Pod Security Standards control ${JSON.stringify(controlName)}`, `use one of ${Object.keys(PSS_CONTROL_CHECKS).map((c) => JSON.stringify(c)).join(', ')}`);
  }
  const images = strings(file, `${pointer}/images`, raw.images);
  const values = strings(file, `${pointer}/values`, raw.values);
  if (raw.restrictedField !== undefined && typeof raw.restrictedField !== 'string') {
    fail(file, `${pointer}/restrictedField`, `must be a string, got ${JSON.stringify(raw.restrictedField)}`, 'use a field path such as spec.containers[*].securityContext.capabilities.add');
  }
  const restrictedField = (raw.restrictedField as string | undefined) ?? '';
  // Kyverno rejects these when the policy is created (`PodSecurityStandard.Validate`).
  if (PSS_CONTAINER_LEVEL_CONTROLS.includes(controlName) && images.length === 0) {
    fail(file, `${pointer}/controlName`, `exclude.images must be specified for the container level control ${JSON.stringify(controlName)}`, 'list the images (wildcards allowed) whose containers are exempt');
  }
  if (PSS_POD_LEVEL_CONTROLS.includes(controlName) && images.length > 0) {
    fail(file, `${pointer}/controlName`, `exclude.images must not be specified for the pod level control ${JSON.stringify(controlName)}`, 'remove images');
  }
  if (restrictedField !== '' && values.length === 0) fail(file, `${pointer}/values`, 'values is required when restrictedField is set', 'list the allowed bad values (wildcards allowed)');
  if (restrictedField === '' && values.length > 0) fail(file, `${pointer}/restrictedField`, 'restrictedField is required when values are set', 'name the field, e.g. spec.containers[*].securityContext.capabilities.add');
  return { controlName, images, restrictedField, values };
}

/** Compiles a `validate.podSecurity` block; throws a LockstepError for a malformed one. */
export function compilePodSecurity(raw: unknown, file: string, pointer: string): CompiledPodSecurity {
  if (!isObject(raw)) fail(file, pointer, `podSecurity must be an object, got ${JSON.stringify(raw)}`, 'use {level: baseline|restricted, version: latest}');
  const level = raw.level;
  if (typeof level !== 'string' || !LEVELS.includes(level)) {
    fail(file, `${pointer}/level`, `level must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(level)}`, 'use level: baseline or level: restricted');
  }
  if (raw.version !== undefined && typeof raw.version !== 'string') fail(file, `${pointer}/version`, `version must be a string, got ${JSON.stringify(raw.version)}`, 'use "latest" or "v1.x"');
  const versionText = (raw.version as string | undefined) ?? '';
  if (raw.exclude !== undefined && !Array.isArray(raw.exclude)) fail(file, `${pointer}/exclude`, `exclude must be a list, got ${JSON.stringify(raw.exclude)}`, 'use a list of {controlName, images} entries');
  const exclude = ((raw.exclude as unknown[] | undefined) ?? []).map((e, i) => compileExclusion(e, file, `${pointer}/exclude/${i}`));
  const parsed = parsePssVersion(versionText);
  let error: string | undefined;
  let version: PssVersion | undefined;
  if ('error' in parsed) error = `failed to parse pod security api version: ${parsed.error}`;
  else {
    version = parsed;
    error = unsupportedVersion(parsed);
  }
  // Kyverno's evaluatePSS filters checks only for baseline, so "privileged" would run every check.
  if (level === 'privileged') error = 'podSecurity level privileged (Kyverno runs every restricted check for it) is not supported by the Lockstep ClusterPolicy engine; remove the rule or use baseline';
  return { levelText: level, versionText, error, level: level === 'restricted' ? 'restricted' : 'baseline', version, exclude };
}

const TEMPLATE: Readonly<Record<string, { readonly spec: readonly string[]; readonly metadata: readonly string[] }>> = {
  Pod: { spec: ['spec'], metadata: ['metadata'] },
  ...Object.fromEntries(['DaemonSet', 'Deployment', 'Job', 'StatefulSet', 'ReplicaSet', 'ReplicationController'].map((k) => [k, { spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'] }])),
  // Kyverno's getSpec reads a CronJob's metadata from the job template, not the pod template.
  CronJob: { spec: ['spec', 'jobTemplate', 'spec', 'template', 'spec'], metadata: ['spec', 'jobTemplate', 'metadata'] },
};

function at(root: unknown, path: readonly string[]): Json {
  let node = root;
  for (const k of path) node = isObject(node) ? node[k] : undefined;
  return isObject(node) ? node : {};
}

/** A field error as `field.Error` prints it, with the field relative to the resource. */
function formatError(e: PssFieldError, prefix: { spec: string; metadata: string }): string {
  const field = e.field.startsWith('metadata') ? prefix.metadata + e.field.slice('metadata'.length) : prefix.spec + e.field.slice('spec'.length);
  if (e.type === 'required') return `${field}: Required value`;
  const v = e.badValue;
  if (v === undefined || v === '') return `${field}: Forbidden`;
  return `${field} is forbidden, forbidden values found: ${Array.isArray(v) ? `[${v.join(' ')}]` : String(v)}`;
}

/** `pss.FormatChecksPrint`. */
function formatChecks(failures: readonly PssCheckFailure[], kind: string): string {
  const t = TEMPLATE[kind]!;
  const prefix = { spec: t.spec.join('.'), metadata: t.metadata.join('.') };
  return failures.map((f) => `(Forbidden reason: ${f.reason}, field error list: [${f.errors.map((e) => formatError(e, prefix)).join(', ')}])`).join('');
}

class Unsupported extends Error {}

/** Evaluates the subrule on `resource`; DELETE requests are skipped by the caller. */
export function evaluatePodSecurity(rule: CompiledPodSecurity, ruleName: string, resource: Json): PssOutcome {
  if (rule.error !== undefined) return { status: 'error', message: rule.error };
  const kind = typeof resource.kind === 'string' ? resource.kind : '';
  const template = TEMPLATE[kind];
  if (!template) return { status: 'error', message: 'Error while getting new resource: could not find correct resource type' };
  const pod: PssPod = { metadata: at(resource, template.metadata), spec: at(resource, template.spec) };
  const evaluate = (p: PssPod): PssCheckFailure[] => {
    const r = evaluatePssPod(p, rule.level, rule.version!);
    if ('unsupported' in r) throw new Unsupported(r.unsupported);
    return r;
  };
  let failures: PssCheckFailure[];
  try {
    failures = applyPssExclusions(evaluate(pod), rule.exclude, pod, evaluate);
  } catch (e) {
    if (e instanceof Unsupported) return { status: 'error', message: e.message };
    throw e;
  }
  if (failures.length === 0) return { status: 'pass', message: `Validation rule '${ruleName}' passed.` };
  return { status: 'fail', message: `Validation rule '${ruleName}' failed. It violates PodSecurity "${rule.levelText}:${rule.versionText}": ${formatChecks(failures, kind)}` };
}
