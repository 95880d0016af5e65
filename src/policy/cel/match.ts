/**
 * `matchConstraints` matching, ported from Kubernetes admission policy matching
 * (`k8s.io/apiserver/pkg/admission/plugin/policy/matching`), which Kyverno's matcher reuses:
 * namespaceSelector, objectSelector, resourceRules, then excludeResourceRules.
 */
import { matchesSelector } from '../../k8s/selectors.ts';
import type { ApiResource } from './kinds.ts';
import type { LabelSelector, MatchResources, Operation, ResourceRule } from './types.ts';

export interface MatchAttributes {
  readonly resource: ApiResource;
  readonly subresource: string;
  readonly operation: Operation;
  readonly name: string;
  readonly namespace: string;
  readonly objectLabels: Readonly<Record<string, string>> | undefined;
  readonly oldObjectLabels: Readonly<Record<string, string>> | undefined;
  /** Labels of the object's namespace; undefined when the namespace is unknown. */
  readonly namespaceLabels: Readonly<Record<string, string>> | undefined;
}

/** Kubernetes label selector semantics; an empty selector matches everything. */
export function matchesLabelSelector(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  return matchesSelector(labels ?? {}, selector);
}

function isEmptySelector(s: LabelSelector | undefined): boolean {
  return !s || (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0);
}

function listMatches(list: readonly string[] | undefined, value: string): boolean {
  return (list ?? []).some((x) => x === '*' || x === value);
}

function resourceMatches(patterns: readonly string[] | undefined, resource: string, subresource: string): boolean {
  for (const p of patterns ?? []) {
    if (p === '*/*') return true;
    if (p === '*') {
      if (subresource === '') return true;
      continue;
    }
    const [res = '', sub] = p.split('/', 2);
    const resOk = res === '*' || res === resource;
    const subOk = sub === undefined ? subresource === '' : sub === '*' || sub === subresource;
    if (resOk && subOk) return true;
  }
  return false;
}

export function matchesResourceRule(rule: ResourceRule, a: MatchAttributes): boolean {
  if (!listMatches(rule.operations, a.operation)) return false;
  if (!listMatches(rule.apiGroups, a.resource.group)) return false;
  if (!listMatches(rule.apiVersions, a.resource.version)) return false;
  if (!resourceMatches(rule.resources, a.resource.resource, a.subresource)) return false;
  const scope = rule.scope ?? '*';
  if (scope === 'Cluster' && a.resource.namespaced) return false;
  if (scope === 'Namespaced' && !a.resource.namespaced) return false;
  if (rule.resourceNames && rule.resourceNames.length > 0 && !rule.resourceNames.includes(a.name)) return false;
  return true;
}

function matchesNamespace(m: MatchResources, a: MatchAttributes): boolean {
  if (isEmptySelector(m.namespaceSelector)) return true;
  // A Namespace is matched on its own labels; other cluster-scoped objects ignore the selector.
  if (a.resource.group === '' && a.resource.resource === 'namespaces') return matchesLabelSelector(m.namespaceSelector, a.objectLabels ?? a.oldObjectLabels);
  if (!a.resource.namespaced || a.namespace === '') return true;
  return matchesLabelSelector(m.namespaceSelector, a.namespaceLabels);
}

function matchesObject(m: MatchResources, a: MatchAttributes): boolean {
  if (isEmptySelector(m.objectSelector)) return true;
  return (
    (a.objectLabels !== undefined && matchesLabelSelector(m.objectSelector, a.objectLabels)) ||
    (a.oldObjectLabels !== undefined && matchesLabelSelector(m.objectSelector, a.oldObjectLabels))
  );
}

/** Whether a request with these attributes is selected by `constraints` (absent → never). */
export function matchesConstraints(constraints: MatchResources | undefined, a: MatchAttributes): boolean {
  if (!constraints) return false;
  if (!matchesNamespace(constraints, a)) return false;
  if (!matchesObject(constraints, a)) return false;
  if ((constraints.excludeResourceRules ?? []).some((r) => matchesResourceRule(r, a))) return false;
  return (constraints.resourceRules ?? []).some((r) => matchesResourceRule(r, a));
}
