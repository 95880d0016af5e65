/**
 * The RBAC matrix of a rendering: who (subject) may do what (verbs) to which resources, where
 * (a namespace, or the whole cluster), resolved from Roles, ClusterRoles and their bindings.
 *
 * - A RoleBinding grants its Role, or a ClusterRole, inside the binding's namespace; a
 *   ClusterRoleBinding grants a ClusterRole cluster-wide.
 * - Aggregated ClusterRoles (`aggregationRule`) get the rules of every rendered ClusterRole their
 *   selectors match, as the aggregation controller fills them in.
 * - A binding whose role is not rendered (a built-in such as `view`, or a typo) cannot be expanded;
 *   it is listed under `unresolved` rather than guessed.
 */
import type { KubeJson } from '../../k8s/objects.ts';
import { matchesSelector, type LabelSelector } from '../../k8s/selectors.ts';
import { compareStrings } from './text.ts';

export const CLUSTER_SCOPE = '(cluster)';

export interface RbacRow {
  /** `ServiceAccount ns/name`, `User alice`, `Group team`. */
  readonly subject: string;
  /** The namespace the permission holds in, or CLUSTER_SCOPE. */
  readonly scope: string;
  /** `pods`, `apps/deployments`, `secrets [a, b]` (named objects only), `url /metrics`. */
  readonly resource: string;
  readonly verbs: readonly string[];
  /** `RoleBinding ns/name → Role ns/name` for every grant, sorted. */
  readonly via: readonly string[];
  /** True when the resource, group or a verb is `*`. */
  readonly wildcard: boolean;
}

export interface UnresolvedBinding {
  readonly binding: string;
  readonly roleRef: string;
  readonly subjects: readonly string[];
}

export interface RbacMatrix {
  /** The verb columns: the usual verbs in API order, then the rest alphabetically, `*` last. */
  readonly verbs: readonly string[];
  /** Sorted by subject, scope and resource. */
  readonly rows: readonly RbacRow[];
  readonly unresolved: readonly UnresolvedBinding[];
}

const VERB_ORDER = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

function verbRank(v: string): [number, string] {
  const i = VERB_ORDER.indexOf(v);
  return [i >= 0 ? i : v === '*' ? 1000 : 100, v];
}

export function sortVerbs(verbs: Iterable<string>): string[] {
  return [...new Set(verbs)].sort((a, b) => {
    const [ra, sa] = verbRank(a);
    const [rb, sb] = verbRank(b);
    return ra - rb || compareStrings(sa, sb);
  });
}

interface PolicyRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
  readonly verbs?: readonly string[];
}

function subjectName(s: KubeJson, bindingNs: string | undefined): string {
  if (s.kind === 'ServiceAccount') return `ServiceAccount ${s.namespace ?? bindingNs ?? '?'}/${s.name}`;
  return `${s.kind} ${s.name}`;
}

function roleId(kind: string, name: string, namespace?: string): string {
  return kind === 'Role' ? `Role ${namespace}/${name}` : `ClusterRole ${name}`;
}

/** Each rule as (resource label, verbs, wildcard) entries. */
function expandRule(rule: PolicyRule): { resource: string; verbs: string[]; wildcard: boolean }[] {
  const verbs = [...(rule.verbs ?? [])];
  const verbWild = verbs.includes('*');
  const out: { resource: string; verbs: string[]; wildcard: boolean }[] = [];
  for (const url of rule.nonResourceURLs ?? []) out.push({ resource: `url ${url}`, verbs, wildcard: verbWild || url.includes('*') });
  const names = rule.resourceNames?.length ? ` [${[...rule.resourceNames].sort(compareStrings).join(', ')}]` : '';
  for (const group of rule.apiGroups ?? []) {
    for (const res of rule.resources ?? []) {
      const label = `${group === '' ? '' : `${group}/`}${res}${names}`;
      out.push({ resource: label, verbs, wildcard: verbWild || group === '*' || res === '*' });
    }
  }
  return out;
}

/** Subjects × scope × resources × verbs from every binding in `objects`. */
export function computeRbacMatrix(objects: readonly KubeJson[]): RbacMatrix {
  const roles = new Map<string, KubeJson>();
  for (const o of objects) {
    if (o.kind === 'Role' || o.kind === 'ClusterRole') roles.set(roleId(o.kind, o.metadata?.name, o.metadata?.namespace), o);
  }
  const clusterRoles = objects.filter((o) => o.kind === 'ClusterRole');

  const rulesOf = (id: string, seen: Set<string> = new Set()): PolicyRule[] => {
    const role = roles.get(id);
    if (!role || seen.has(id)) return [];
    seen.add(id);
    const rules: PolicyRule[] = [...((role.rules ?? []) as PolicyRule[])];
    const selectors = (role.aggregationRule?.clusterRoleSelectors ?? []) as LabelSelector[];
    if (selectors.length > 0) {
      for (const cr of clusterRoles) {
        if (cr === role || !selectors.some((s) => matchesSelector(cr.metadata?.labels ?? {}, s))) continue;
        rules.push(...rulesOf(roleId('ClusterRole', cr.metadata?.name), seen));
      }
    }
    return rules;
  };

  const rows = new Map<string, { subject: string; scope: string; resource: string; verbs: Set<string>; via: Set<string>; wildcard: boolean }>();
  const unresolved: UnresolvedBinding[] = [];
  const allVerbs = new Set<string>();
  const bindings = objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding');
  for (const b of bindings) {
    const ns: string | undefined = b.kind === 'RoleBinding' ? b.metadata?.namespace : undefined;
    const ref = b.roleRef ?? {};
    const rid = roleId(String(ref.kind), String(ref.name), ns);
    const bindingId = `${b.kind} ${ns ? `${ns}/` : ''}${b.metadata?.name}`;
    const subjects = ((b.subjects ?? []) as KubeJson[]).map((s) => subjectName(s, ns));
    if (!roles.has(rid)) {
      unresolved.push({ binding: bindingId, roleRef: rid, subjects: [...subjects].sort(compareStrings) });
      continue;
    }
    const scope = ns ?? CLUSTER_SCOPE;
    const via = `${bindingId} → ${rid}`;
    for (const rule of rulesOf(rid)) {
      for (const e of expandRule(rule)) {
        for (const subject of subjects) {
          const key = `${subject}\u0000${scope}\u0000${e.resource}`;
          const row = rows.get(key) ?? { subject, scope, resource: e.resource, verbs: new Set<string>(), via: new Set<string>(), wildcard: false };
          e.verbs.forEach((v) => {
            row.verbs.add(v);
            allVerbs.add(v);
          });
          row.via.add(via);
          row.wildcard ||= e.wildcard;
          rows.set(key, row);
        }
      }
    }
  }
  return {
    verbs: sortVerbs(allVerbs),
    rows: [...rows.values()]
      .sort((a, b) => compareStrings(a.subject, b.subject) || compareStrings(a.scope, b.scope) || compareStrings(a.resource, b.resource))
      .map((r) => ({ subject: r.subject, scope: r.scope, resource: r.resource, verbs: sortVerbs(r.verbs), via: [...r.via].sort(compareStrings), wildcard: r.wildcard })),
    unresolved: unresolved.sort((a, b) => compareStrings(a.binding, b.binding)),
  };
}
