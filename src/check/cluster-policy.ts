/**
 * Reads a legacy `kyverno.io/v1` ClusterPolicy whose rules use `validate.cel` as one
 * ValidatingPolicy per rule, so the built-in CEL evaluator can check it. Kyverno evaluates CEL
 * rules of a ClusterPolicy with the same variables (`object`, `oldObject`, `request`,
 * `namespaceObject`, `variables`) as a ValidatingPolicy, so the translation is structural:
 * match kinds → resourceRules, namespaces → a `request.namespace` match condition,
 * celPreconditions → matchConditions, `autogen-controllers: none` → autogen off.
 * Rules with `pattern`, `deny`, `foreach` or other non-CEL validation are not supported here and
 * are reported, never skipped silently.
 */
import { apiResourceOf } from '../policy/cel/kinds.ts';
import type { ValidatingPolicyDocument } from '../policy/cel/types.ts';

export interface TranslatedRule {
  readonly rule: string;
  readonly document: ValidatingPolicyDocument;
}

export interface ClusterPolicyTranslation {
  readonly rules: readonly TranslatedRule[];
  /** Why rules could not be translated, one line each. */
  readonly unsupported: readonly string[];
}

type Json = Record<string, any>;

const CORE_KINDS = new Set(['ConfigMap', 'Endpoints', 'Event', 'LimitRange', 'Namespace', 'Node', 'PersistentVolume', 'PersistentVolumeClaim', 'Pod', 'PodTemplate', 'ReplicationController', 'ResourceQuota', 'Secret', 'Service', 'ServiceAccount']);

/**
 * Kyverno `kinds` entry → resource rule: `Pod`, `Pod/ephemeralcontainers`, `apps/v1/Deployment`,
 * `v1/Pod`. A bare core kind is the core group (so Pod-only rules keep their autogen); a bare
 * other kind matches any group, as Kyverno does.
 */
export function kindToResourceRule(entry: string): { apiGroups: string[]; apiVersions: string[]; resources: string[] } {
  const parts = entry.split('/');
  const k = parts.findIndex((p) => /^[A-Z]/.test(p));
  if (k < 0 || k > 2 || parts.length > k + 2) {
    throw new Error(`ClusterPolicy kind ${JSON.stringify(entry)} is not of the form Kind, Kind/subresource, version/Kind or group/version/Kind`);
  }
  const kind = parts[k]!;
  const sub = parts[k + 1];
  let group = '*';
  let version = '*';
  if (k === 2) [group, version] = [parts[0]!, parts[1]!];
  else if (k === 1) [group, version] = ['', parts[0]!];
  else if (CORE_KINDS.has(kind)) [group, version] = ['', 'v1'];
  const resource = apiResourceOf(group === '' ? version : `${group === '*' ? 'unknown.group' : group}/${version}`, kind).resource;
  return { apiGroups: [group], apiVersions: [version], resources: [sub ? `${resource}/${sub}` : resource] };
}

export function translateClusterPolicy(doc: Json): ClusterPolicyTranslation {
  const name = String(doc.metadata?.name ?? '');
  const annotations: Record<string, string> = doc.metadata?.annotations ?? {};
  const autogenOff = annotations['pod-policies.kyverno.io/autogen-controllers'] === 'none';
  const rules: TranslatedRule[] = [];
  const unsupported: string[] = [];
  const list: Json[] = Array.isArray(doc.spec?.rules) ? doc.spec.rules : [];
  list.forEach((rule, i) => {
    const where = `ClusterPolicy ${name} rule ${rule.name ?? i}`;
    const cel = rule.validate?.cel;
    if (!cel || !Array.isArray(cel.expressions)) {
      unsupported.push(`${where}: only validate.cel rules are evaluated by lockstep check; run the Kyverno CLI for pattern, deny or foreach rules`);
      return;
    }
    const blocks: Json[] = [...(rule.match?.any ?? []), ...(rule.match?.all ?? []), ...(rule.match?.resources ? [rule.match] : [])];
    if (blocks.length !== 1 || rule.exclude) {
      unsupported.push(`${where}: only a single match.any[0].resources block without exclude is supported`);
      return;
    }
    const res: Json = blocks[0]!.resources ?? {};
    const operations: string[] = res.operations ?? ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];
    let resourceRules;
    try {
      resourceRules = (res.kinds ?? []).map((k: string) => ({ ...kindToResourceRule(k), operations, ...(res.names ? { resourceNames: res.names } : {}) }));
    } catch (error) {
      unsupported.push(`${where}: ${(error as Error).message}`);
      return;
    }
    const matchConditions = [
      ...(res.namespaces ? [{ name: 'lockstep-namespaces', expression: `request.namespace in [${(res.namespaces as string[]).map((n) => `'${n}'`).join(', ')}]` }] : []),
      ...(rule.celPreconditions ?? []),
    ];
    const enforce = /^enforce$/i.test(String(rule.validate.failureAction ?? ''));
    const spec: Json = {
      validationActions: enforce ? ['Deny'] : ['Audit'],
      failurePolicy: doc.spec?.webhookConfiguration?.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
      matchConstraints: {
        resourceRules,
        ...(res.namespaceSelector ? { namespaceSelector: res.namespaceSelector } : {}),
        ...(res.selector ? { objectSelector: res.selector } : {}),
      },
      ...(matchConditions.length > 0 ? { matchConditions } : {}),
      ...(cel.variables ? { variables: cel.variables } : {}),
      validations: cel.expressions,
      ...(autogenOff ? { autogen: { podControllers: { controllers: [] } } } : {}),
    };
    rules.push({ rule: String(rule.name), document: { apiVersion: 'policies.kyverno.io/v1', kind: 'ValidatingPolicy', metadata: { name, annotations }, spec } as ValidatingPolicyDocument });
  });
  return { rules, unsupported };
}
