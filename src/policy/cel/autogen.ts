/**
 * Autogen for ValidatingPolicies: a policy that matches only Pods is also applied to pod
 * controllers, by rewriting its expressions to point at the pod template. This is a port of
 * Kyverno's `pkg/cel/autogen` (support.go, config.go, replacement.go) and
 * `pkg/cel/policies/vpol/autogen`:
 * - eligibility (`canAutoGen`): exactly one resource rule on `""/v1/pods` without resource names,
 *   no namespace/object selector labels and no exclude rules;
 * - targets: daemonsets, deployments, jobs, replicasets, statefulsets (config "defaults") and
 *   cronjobs (config "cronjobs"), or `spec.autogen.podControllers.controllers` when set;
 * - the whole spec is serialised to JSON and `object.spec`/`object.metadata` (and the `oldObject.`
 *   forms) are rewritten textually, except when followed by `.namespace` or `.name`, which stay
 *   anchored to the controller's own metadata.
 */
import type { MatchResources, ValidatingPolicySpec } from './types.ts';

export type AutogenConfig = 'defaults' | 'cronjobs';

export interface AutogenTarget {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
}

export interface AutogenVariant {
  readonly config: AutogenConfig;
  readonly targets: readonly AutogenTarget[];
  readonly spec: ValidatingPolicySpec;
}

const CONTROLLERS: Readonly<Record<string, { target: AutogenTarget; config: AutogenConfig }>> = {
  daemonsets: { target: { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet' }, config: 'defaults' },
  deployments: { target: { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment' }, config: 'defaults' },
  replicasets: { target: { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet' }, config: 'defaults' },
  statefulsets: { target: { group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet' }, config: 'defaults' },
  jobs: { target: { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job' }, config: 'defaults' },
  cronjobs: { target: { group: 'batch', version: 'v1', resource: 'cronjobs', kind: 'CronJob' }, config: 'cronjobs' },
};

const REPLACEMENTS: Readonly<Record<AutogenConfig, readonly (readonly [from: string, to: string])[]>> = {
  defaults: [
    ['spec', 'spec.template.spec'],
    ['metadata', 'spec.template.metadata'],
  ],
  cronjobs: [
    ['spec', 'spec.jobTemplate.spec.template.spec'],
    ['metadata', 'spec.jobTemplate.spec.template.metadata'],
  ],
};

const PROTECTED_SUFFIXES = ['.namespace', '.name'];

function hasLabels(s: { matchLabels?: object; matchExpressions?: readonly unknown[] } | undefined): boolean {
  return !!s && (Object.keys(s.matchLabels ?? {}).length > 0 || (s.matchExpressions ?? []).length > 0);
}

/** Kyverno's `CanAutoGen`: whether the policy's match constraints target exactly core/v1 pods. */
export function canAutogen(match: MatchResources | undefined): boolean {
  if (!match) return false;
  if (hasLabels(match.namespaceSelector) || hasLabels(match.objectSelector)) return false;
  if ((match.excludeResourceRules ?? []).length > 0) return false;
  const rules = match.resourceRules ?? [];
  if (rules.length !== 1) return false;
  const rule = rules[0]!;
  if ((rule.resourceNames ?? []).length > 0) return false;
  const only = (xs: readonly string[] | undefined, v: string) => xs !== undefined && xs.length === 1 && xs[0] === v;
  return only(rule.apiGroups, '') && only(rule.apiVersions, 'v1') && only(rule.resources, 'pods');
}

function isIdentifierChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_]/.test(c);
}

function isProtected(rest: string): boolean {
  return PROTECTED_SUFFIXES.some((s) => rest.startsWith(s) && !isIdentifierChar(rest[s.length]));
}

/** Replaces every `from` with `to` unless a protected suffix follows (Kyverno's `replace`). */
export function replaceUnprotected(data: string, from: string, to: string): string {
  if (from === '' || from === to) return data;
  let out = '';
  let rest = data;
  let idx = rest.indexOf(from);
  while (idx >= 0) {
    out += rest.slice(0, idx);
    const after = rest.slice(idx + from.length);
    out += isProtected(after) ? from : to;
    rest = after;
    idx = rest.indexOf(from);
  }
  return out + rest;
}

/** Rewrites expression text for one autogen config, as Kyverno does on the serialised spec. */
export function rewriteForAutogen(text: string, config: AutogenConfig): string {
  let out = text;
  for (const [from, to] of REPLACEMENTS[config]) {
    out = replaceUnprotected(out, `object.${from}`, `object.${to}`);
    out = replaceUnprotected(out, `oldObject.${from}`, `oldObject.${to}`);
  }
  return out;
}

function compareTargets(a: AutogenTarget, b: AutogenTarget): number {
  for (const k of ['group', 'version', 'resource', 'kind'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  return 0;
}

/** Kyverno's `createMatchConstraints`: one rule per group/version, resources sorted. */
function matchConstraintsFor(targets: readonly AutogenTarget[], operations: readonly string[] | undefined): MatchResources {
  const byGv = new Map<string, { group: string; version: string; resources: Set<string> }>();
  for (const t of targets) {
    const key = `${t.group}/${t.version}`;
    const entry = byGv.get(key) ?? { group: t.group, version: t.version, resources: new Set<string>() };
    entry.resources.add(t.resource);
    byGv.set(key, entry);
  }
  const entries = [...byGv.values()].sort((a, b) => (a.group === b.group ? (a.version < b.version ? -1 : 1) : a.group < b.group ? -1 : 1));
  return {
    resourceRules: entries.map((e) => ({
      apiGroups: [e.group],
      apiVersions: [e.version],
      resources: [...e.resources].sort(),
      ...(operations ? { operations: [...operations] } : {}),
    })),
  };
}

/** The autogen variants of a policy spec, sorted by config name (empty when not eligible). */
export function autogenVariants(spec: ValidatingPolicySpec): AutogenVariant[] {
  if (!canAutogen(spec.matchConstraints)) return [];
  const controllers = spec.autogen?.podControllers?.controllers ?? Object.keys(CONTROLLERS);
  const byConfig = new Map<AutogenConfig, AutogenTarget[]>();
  for (const name of new Set(controllers)) {
    const c = CONTROLLERS[name];
    if (!c) continue;
    byConfig.set(c.config, [...(byConfig.get(c.config) ?? []), c.target]);
  }
  const operations = spec.matchConstraints?.resourceRules?.[0]?.operations;
  return [...byConfig.keys()].sort().map((config) => {
    const targets = [...byConfig.get(config)!].sort(compareTargets);
    const withMatch = { ...spec, matchConstraints: matchConstraintsFor(targets, operations) };
    const rewritten = JSON.parse(rewriteForAutogen(JSON.stringify(withMatch), config)) as ValidatingPolicySpec;
    return { config, targets, spec: rewritten };
  });
}
