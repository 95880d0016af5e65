/**
 * `rbac-broadened`: what a Role, ClusterRole or binding grants on the head side that the base side
 * did not — new verbs, resources, API groups, wildcards, a lifted `resourceNames` restriction, new
 * subjects, a new ClusterRoleBinding.
 */
import type { KubeJson } from '../../../k8s/objects.ts';
import type { RiskNote } from '../types.ts';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** One permission atom: a verb on one resource of one group, for one name (`*` = any name). */
interface Grant {
  readonly group: string;
  readonly resource: string;
  readonly verb: string;
  readonly name: string;
}

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

/** Expands rules into atoms; non-resource URLs become grants of the pseudo-resource `url:<path>`. */
export function grantsOf(rules: readonly KubeJson[]): Grant[][] {
  return rules.map((r) => {
    const out: Grant[] = [];
    const names = list(r.resourceNames);
    for (const verb of list(r.verbs)) {
      for (const group of list(r.apiGroups)) {
        for (const resource of list(r.resources)) {
          for (const name of names.length ? names : ['*']) out.push({ group, resource, verb, name });
        }
      }
      for (const url of list(r.nonResourceURLs)) out.push({ group: '', resource: `url:${url}`, verb, name: '*' });
    }
    return out;
  });
}

function matches(have: string, want: string): boolean {
  return have === '*' || have === want || (have.endsWith('*') && have.startsWith('url:') && want.startsWith(have.slice(0, -1)));
}

function covered(g: Grant, by: readonly Grant[]): boolean {
  return by.some((b) => matches(b.group, g.group) && matches(b.resource, g.resource) && matches(b.verb, g.verb) && (b.name === '*' || b.name === g.name));
}

function describeResource(group: string, resource: string): string {
  if (resource.startsWith('url:')) return `non-resource URL ${resource.slice(4)}`;
  return group === '' ? resource : `${resource}.${group}`;
}

/** New grants of a Role or ClusterRole, one note per rule that adds any. */
export function roleBroadening(before: KubeJson | undefined, after: KubeJson): RiskNote[] {
  const old = grantsOf((before?.rules as KubeJson[] | undefined) ?? []).flat();
  const notes: RiskNote[] = [];
  grantsOf((after.rules as KubeJson[] | undefined) ?? []).forEach((grants, i) => {
    const fresh = grants.filter((g) => !covered(g, old));
    if (fresh.length === 0) return;
    // Group by what is granted on, listing the verbs.
    const byTarget = new Map<string, { group: string; resource: string; name: string; verbs: string[] }>();
    for (const g of fresh) {
      const k = `${g.group}\u0000${g.resource}\u0000${g.name}`;
      const t = byTarget.get(k) ?? { group: g.group, resource: g.resource, name: g.name, verbs: [] };
      if (!t.verbs.includes(g.verb)) t.verbs.push(g.verb);
      byTarget.set(k, t);
    }
    const parts = [...byTarget.values()].map((t) => {
      const lifted = t.name === '*' && old.some((o) => o.group === t.group && o.resource === t.resource && o.name !== '*');
      const names = t.name === '*' ? (lifted ? ' (any name: the resourceNames restriction was removed)' : '') : ` named ${t.name}`;
      return `${t.verbs.join(', ')} on ${describeResource(t.group, t.resource)}${names}`;
    });
    const wildcard = fresh.some((g) => g.group === '*' || g.resource === '*' || g.verb === '*' || g.resource.endsWith('*')) ? 'wildcard ' : '';
    notes.push({ class: 'rbac-broadened', pointer: `/rules/${i}`, message: `${before ? 'now grants' : 'grants'} ${wildcard}${parts.join('; ')}` });
  });
  const selectorsBefore = before?.aggregationRule?.clusterRoleSelectors as unknown[] | undefined;
  const selectorsAfter = after.aggregationRule?.clusterRoleSelectors as unknown[] | undefined;
  if (selectorsAfter && JSON.stringify(selectorsAfter) !== JSON.stringify(selectorsBefore ?? null)) {
    notes.push({ class: 'rbac-broadened', pointer: '/aggregationRule', message: 'aggregates the rules of other ClusterRoles by label; the grants depend on every ClusterRole carrying those labels' });
  }
  return notes;
}

function subjectKey(s: KubeJson): string {
  return `${s.kind}/${s.namespace ?? ''}/${s.name}`;
}

function describeSubject(s: KubeJson): string {
  return `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`;
}

/** New subjects, a new ClusterRoleBinding, or a binding pointing at another role. */
export function bindingBroadening(before: KubeJson | undefined, after: KubeJson): RiskNote[] {
  const notes: RiskNote[] = [];
  const role = `${after.roleRef?.kind} ${after.roleRef?.name}`;
  const oldSubjects = new Set(((before?.subjects as KubeJson[] | undefined) ?? []).map(subjectKey));
  const fresh = ((after.subjects as KubeJson[] | undefined) ?? []).filter((s) => !oldSubjects.has(subjectKey(s)));
  if (!before && after.kind === 'ClusterRoleBinding') {
    notes.push({ class: 'rbac-broadened', pointer: '/roleRef', message: `new ClusterRoleBinding grants ${role} cluster-wide to ${fresh.map(describeSubject).join(', ') || 'no subjects yet'}` });
    return notes;
  }
  if (before && (before.roleRef?.kind !== after.roleRef?.kind || before.roleRef?.name !== after.roleRef?.name)) {
    notes.push({ class: 'rbac-broadened', pointer: '/roleRef', message: `now binds ${role} instead of ${before.roleRef?.kind} ${before.roleRef?.name}` });
  }
  if (fresh.length) {
    notes.push({ class: 'rbac-broadened', pointer: '/subjects', message: `binds ${role} to new subject${fresh.length > 1 ? 's' : ''} ${fresh.map(describeSubject).join(', ')}` });
  }
  return notes;
}

/** The RBAC classifier: Roles, ClusterRoles and their bindings. Removals never broaden. */
export function classifyRbac(before: KubeJson | undefined, after: KubeJson | undefined): RiskNote[] {
  if (!after || String(after.apiVersion).split('/')[0] !== RBAC_GROUP) return [];
  switch (after.kind) {
    case 'Role':
    case 'ClusterRole':
      return roleBroadening(before, after);
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      return bindingBroadening(before, after);
    default:
      return [];
  }
}
