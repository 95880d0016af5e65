/**
 * `match` / `exclude` resource filters of a ClusterPolicy rule, ported from Kyverno's
 * `pkg/engine/utils/match.go` and `pkg/utils/match` (kinds, name(s), namespaces, annotations,
 * selector, namespaceSelector, operations). Offline there is no admission user, so — like
 * `kyverno test` without a userinfo file — user filters (`subjects`, `roles`, `clusterRoles`) are
 * ignored in `match` and never match in `exclude`.
 */
import type { LabelSelector } from '../cel/types.ts';
import { matchesLabelSelector } from '../cel/match.ts';
import { splitApiVersion } from '../cel/kinds.ts';
import { wildcardMatch } from '../json/functions/wildcard.ts';

export interface ResourceDescription {
  readonly kinds?: readonly string[];
  readonly name?: string;
  readonly names?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly annotations?: Readonly<Record<string, string>>;
  readonly selector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly operations?: readonly string[];
}

export interface UserInfo {
  readonly roles?: readonly string[];
  readonly clusterRoles?: readonly string[];
  readonly subjects?: readonly unknown[];
}

export interface ResourceFilter extends UserInfo {
  readonly resources?: ResourceDescription;
}

export interface MatchResources extends UserInfo {
  readonly any?: readonly ResourceFilter[];
  readonly all?: readonly ResourceFilter[];
  readonly resources?: ResourceDescription;
}

export interface MatchTarget {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly namespaceLabels: Readonly<Record<string, string>>;
  readonly operation: string;
}

const VERSION = /^(v\d+((alpha|beta)\d+)?|\*)$/;

/** `kubeutils.ParseKindSelector`: group, version, kind, subresource. */
export function parseKindSelector(input: string): [string, string, string, string] {
  let parts = input.split('/');
  parts = [...parts.slice(0, -1), ...parts[parts.length - 1]!.split('.')];
  switch (parts.length) {
    case 1:
      return ['*', '*', parts[0]!, ''];
    case 2:
      if (parts[0] === '*' && parts[1] === '*') return ['*', '*', '*', '*'];
      if (parts[0] === '*' && parts[1]!.toLowerCase() === parts[1]) return ['*', '*', parts[0], parts[1]!];
      if (VERSION.test(parts[0]!)) return ['*', parts[0]!, parts[1]!, ''];
      return ['*', '*', parts[0]!, parts[1]!];
    case 3:
      if (VERSION.test(parts[0]!)) return ['*', parts[0]!, parts[1]!, parts[2]!];
      return [parts[0]!, parts[1]!, parts[2]!, ''];
    case 4:
      return [parts[0]!, parts[1]!, parts[2]!, parts[3]!];
    default:
      return ['', '', '', ''];
  }
}

/** `kubeutils.ContainsKind`: whether any selector in `list` names `kind` (group/version ignored). */
export function containsKind(list: readonly string[], kind: string): boolean {
  return list.some((e) => {
    const parts = e.split('/');
    let k: string;
    if (parts.length === 1) k = e.replace('.', '/');
    else if (parts.length === 2) k = parts[0] === '*' && parts[1] === '*' ? '*/*' : VERSION.test(parts[0]!) ? parts[1]!.replace('.', '/') : `${parts[0]}/${parts[1]}`;
    else if (parts.length === 3) k = VERSION.test(parts[0]!) ? `${parts[1]}/${parts[2]}` : parts[2]!.replace('.', '/');
    else if (parts.length === 4) k = `${parts[2]}/${parts[3]}`;
    else k = '';
    const kindOnly = k.split('/').length === 2 ? k.split('/')[0] : k;
    return kindOnly === kind;
  });
}

function checkKind(kinds: readonly string[], t: MatchTarget): boolean {
  const { group, version } = splitApiVersion(t.apiVersion);
  return kinds.some((k) => {
    const [g, v, kind, sub] = parseKindSelector(k);
    // Resources under test are never subresources: a selector naming one does not match.
    return wildcardMatch(g, group) && wildcardMatch(v, version) && wildcardMatch(kind, t.kind) && (sub === '' || wildcardMatch(sub, ''));
  });
}

const hasWildcard = (s: string): boolean => s.includes('*') || s.includes('?');

/** `wildcards.ReplaceInSelector`: wildcard matchLabels take the first matching label, else `*`/`?` → `0`. */
function expandSelector(selector: LabelSelector, labels: Readonly<Record<string, string>>): LabelSelector {
  if (!selector.matchLabels) return selector;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(selector.matchLabels)) {
    if (!hasWildcard(k) && !hasWildcard(v)) {
      out[k] = v;
      continue;
    }
    const hit = Object.keys(labels).sort().find((lk) => wildcardMatch(k, lk) && wildcardMatch(v, labels[lk]!));
    if (hit !== undefined) out[hit] = labels[hit]!;
    else out[k.replace(/[*?]/g, '0')] = v.replace(/[*?]/g, '0');
  }
  return { ...selector, matchLabels: out };
}

function checkAnnotations(expected: Readonly<Record<string, string>>, actual: Readonly<Record<string, string>>): boolean {
  return Object.entries(expected).every(([k, v]) => Object.entries(actual).some(([ak, av]) => wildcardMatch(k, ak) && wildcardMatch(v, av)));
}

/** `doesResourceMatchConditionBlock` without user info: the list of reasons it does not match. */
function descriptionErrors(d: ResourceDescription, t: MatchTarget): string[] {
  if (d.operations && d.operations.length > 0 && !d.operations.includes(t.operation)) return ['operation does not match'];
  const errs: string[] = [];
  if (d.kinds && d.kinds.length > 0 && !checkKind(d.kinds, t)) errs.push(`kind does not match ${JSON.stringify(d.kinds)}`);
  if (d.name && !wildcardMatch(d.name, t.name)) errs.push('name does not match');
  if (d.names && d.names.length > 0 && !d.names.some((n) => wildcardMatch(n, t.name))) errs.push('none of the names match');
  if (d.namespaces && d.namespaces.length > 0) {
    const ns = t.kind === 'Namespace' ? t.name : t.namespace;
    if (!d.namespaces.some((n) => wildcardMatch(n, ns))) errs.push('namespace does not match');
  }
  if (d.annotations && Object.keys(d.annotations).length > 0 && !checkAnnotations(d.annotations, t.annotations)) errs.push('annotations does not match');
  if (d.selector && !matchesLabelSelector(expandSelector(d.selector, t.labels), t.labels)) errs.push('selector does not match');
  if (d.namespaceSelector) {
    if (t.kind === 'Namespace') errs.push('namespace selector is not applicable for namespace resource');
    else if (!matchesLabelSelector(expandSelector(d.namespaceSelector, t.namespaceLabels), t.namespaceLabels)) errs.push('namespace selector does not match labels');
  }
  return errs;
}

const isEmptyDescription = (d: ResourceDescription | undefined): boolean => !d || Object.values(d).every((v) => v === undefined || (Array.isArray(v) && v.length === 0));
const hasUserInfo = (u: UserInfo): boolean => (u.roles?.length ?? 0) > 0 || (u.clusterRoles?.length ?? 0) > 0 || (u.subjects?.length ?? 0) > 0;

function matchFilterErrors(f: ResourceFilter, t: MatchTarget): string[] {
  // Without an admission user Kyverno clears user filters in match blocks.
  if (isEmptyDescription(f.resources)) return ['match cannot be empty'];
  return descriptionErrors(f.resources!, t);
}

/** True when the filter excludes the resource. User filters never match without an admission user. */
function excludes(f: ResourceFilter, t: MatchTarget): boolean {
  if (isEmptyDescription(f.resources) && !hasUserInfo(f)) return false;
  if (hasUserInfo(f)) return false;
  return descriptionErrors(f.resources!, t).length === 0;
}

/** `MatchesResourceDescription`: whether the rule applies (matched and not excluded). */
export function ruleApplies(match: MatchResources | undefined, exclude: MatchResources | undefined, t: MatchTarget): boolean {
  const m = match ?? {};
  let ok: boolean;
  if (m.any && m.any.length > 0) ok = m.any.some((f) => matchFilterErrors(f, t).length === 0);
  else if (m.all && m.all.length > 0) ok = m.all.every((f) => matchFilterErrors(f, t).length === 0);
  else ok = matchFilterErrors({ resources: m.resources ?? {} }, t).length === 0;
  if (!ok) return false;
  const x = exclude ?? {};
  if (x.any && x.any.length > 0) return !x.any.some((f) => excludes(f, t));
  if (x.all && x.all.length > 0) return !x.all.every((f) => excludes(f, t));
  return !excludes({ ...x, resources: x.resources ?? {} }, t);
}
