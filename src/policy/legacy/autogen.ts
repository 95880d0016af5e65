/**
 * Autogen for ClusterPolicy rules, a port of Kyverno's `pkg/autogen/v1` (`autogen.go`, `rule.go`):
 * a policy whose rules match Pods (without names, selectors or annotations) gets, per rule,
 * - `autogen-<rule>` for DaemonSet, Deployment, Job, StatefulSet, ReplicaSet and
 *   ReplicationController, with patterns wrapped under `spec.template`, and
 * - `autogen-cronjob-<rule>` for CronJob, wrapped under `spec.jobTemplate.spec.template`;
 * then `request.object.spec`/`metadata` (and `oldObject`) are rewritten textually in the rule.
 * The annotation `pod-policies.kyverno.io/autogen-controllers` narrows the controllers (`none`
 * disables autogen).
 */
import { containsKind } from './match.ts';

export const AUTOGEN_ANNOTATION = 'pod-policies.kyverno.io/autogen-controllers';

type Json = Record<string, unknown>;

const POD_CONTROLLERS = ['DaemonSet', 'Deployment', 'Job', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'CronJob'];
const GVK: Readonly<Record<string, string>> = {
  DaemonSet: 'apps/v1/DaemonSet',
  Deployment: 'apps/v1/Deployment',
  Job: 'batch/v1/Job',
  StatefulSet: 'apps/v1/StatefulSet',
  ReplicaSet: 'apps/v1/ReplicaSet',
  ReplicationController: 'v1/ReplicationController',
  CronJob: 'batch/v1/CronJob',
  Pod: 'v1/Pod',
};
const NON_CRON = new Set(POD_CONTROLLERS.filter((c) => c !== 'CronJob'));

const toGvk = (kinds: readonly string[]): string[] => kinds.map((k) => GVK[k] ?? k);
const clone = <T>(v: T): T => structuredClone(v);

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function descriptions(block: unknown): Json[] {
  if (!isObject(block)) return [];
  const out: Json[] = [];
  if (isObject(block.resources)) out.push(block.resources);
  for (const key of ['any', 'all']) {
    const list = block[key];
    if (Array.isArray(list)) for (const f of list) if (isObject(f)) out.push(isObject(f.resources) ? f.resources : {});
  }
  return out;
}

function kindsOf(block: unknown): string[] {
  return descriptions(block).flatMap((d) => (Array.isArray(d.kinds) ? (d.kinds as string[]) : []));
}

/** `CanAutoGen`: whether the policy's rules allow generating controller rules. */
export function canAutogen(rules: readonly Json[]): boolean {
  let needed = false;
  for (const rule of rules) {
    if (rule.generate !== undefined) return false;
    const mutate = rule.mutate;
    if (isObject(mutate)) {
      if (mutate.patchesJson6902) return false;
      if (Array.isArray(mutate.foreach) && mutate.foreach.some((f) => isObject(f) && f.patchesJson6902)) return false;
    }
    const blocks = [rule.match, ...(rule.exclude !== undefined ? [rule.exclude] : [])];
    for (const d of blocks.flatMap(descriptions)) {
      const kinds = Array.isArray(d.kinds) ? (d.kinds as string[]) : [];
      if (d.name || (Array.isArray(d.names) && d.names.length > 0) || d.selector !== undefined || d.annotations !== undefined) return false;
      if (kinds.length > 1 && containsKind(kinds, 'Pod')) return false;
      if (kinds.some((k) => k === 'Pod' || POD_CONTROLLERS.includes(k))) needed = true;
    }
  }
  return needed;
}

function replaceKinds(filters: unknown, kinds: readonly string[], onlyPod: boolean): unknown {
  if (!Array.isArray(filters)) return filters;
  return filters.map((f) => {
    if (!isObject(f)) return f;
    const res = isObject(f.resources) ? f.resources : {};
    const k = Array.isArray(res.kinds) ? (res.kinds as string[]) : [];
    if (onlyPod && !containsKind(k, 'Pod')) return f;
    return { ...f, resources: { ...res, kinds: toGvk(kinds) } };
  });
}

function retarget(block: unknown, kinds: readonly string[], onlyPod: boolean, isExclude: boolean): unknown {
  if (!isObject(block)) return block;
  if (Array.isArray(block.any) && block.any.length > 0) return { ...block, any: replaceKinds(block.any, kinds, onlyPod) };
  if (Array.isArray(block.all) && block.all.length > 0) return { ...block, all: replaceKinds(block.all, kinds, onlyPod) };
  const res = isObject(block.resources) ? block.resources : {};
  if (isExclude && !(Array.isArray(res.kinds) && res.kinds.length > 0)) return block;
  return { ...block, resources: { ...res, kinds: toGvk(kinds) } };
}

const wrap = (tplKey: string, pattern: unknown): Json => ({ spec: { [tplKey]: pattern } });

/** `generateRule`: the rule retargeted to `kinds`, its validation wrapped under `spec.<tplKey>`. */
function generateRule(name: string, rule: Json | undefined, tplKey: string, kinds: readonly string[], onlyPod: boolean): Json | undefined {
  if (!rule) return undefined;
  const out: Json = clone(rule);
  out.name = name;
  out.match = retarget(out.match, kinds, onlyPod, false);
  if (out.exclude !== undefined) out.exclude = retarget(out.exclude, kinds, onlyPod, true);
  const mutate = out.mutate;
  if (isObject(mutate)) {
    if (mutate.patchStrategicMerge !== undefined) {
      out.mutate = { patchStrategicMerge: wrap(tplKey, mutate.patchStrategicMerge) };
      return out;
    }
    if (Array.isArray(mutate.foreach) && mutate.foreach.length > 0) {
      out.mutate = {
        foreach: mutate.foreach.map((f: Json) => ({ list: f.list, context: f.context, preconditions: f.preconditions, patchStrategicMerge: wrap(tplKey, f.patchStrategicMerge) })),
      };
      return out;
    }
  }
  const v = out.validate;
  if (isObject(v)) {
    const common = (extra: Json): Json => {
      const base: Json = { ...extra };
      for (const k of ['message', 'failureAction', 'failureActionOverrides', 'allowExistingViolations']) if (v[k] !== undefined) base[k] = v[k];
      return base;
    };
    if (v.pattern !== undefined) return { ...out, validate: common({ pattern: wrap(tplKey, v.pattern) }) };
    if (v.deny !== undefined) return { ...out, validate: common({ deny: v.deny }) };
    if (v.podSecurity !== undefined) return { ...out, validate: common({ podSecurity: v.podSecurity }) };
    if (v.anyPattern !== undefined) {
      const list = Array.isArray(v.anyPattern) ? v.anyPattern : [];
      return { ...out, validate: common({ anyPattern: list.map((p) => wrap(tplKey, p)) }) };
    }
    if (Array.isArray(v.foreach) && v.foreach.length > 0) return { ...out, validate: common({ foreach: v.foreach }) };
    if (v.cel !== undefined || v.assert !== undefined) return out;
  }
  if (out.verifyImages !== undefined) return out;
  return undefined;
}

/** `generateRuleForControllers`: the `autogen-` rule (before the text rewrite), if the rule targets Pods. */
function forControllers(rule: Json, controllers: string): Json | undefined {
  const name = String(rule.name ?? '');
  if (name.startsWith('autogen-') || controllers === '') return undefined;
  const matchKinds = kindsOf(rule.match);
  const excludeKinds = kindsOf(rule.exclude);
  if (!containsKind(matchKinds, 'Pod') || (excludeKinds.length > 0 && !containsKind(excludeKinds, 'Pod'))) return undefined;
  let list = controllers.split(',').sort();
  if (controllers === 'all') list = [...NON_CRON].sort();
  else {
    const validated = list.filter((c) => NON_CRON.has(c));
    if (validated.length > 0) list = validated;
  }
  return generateRule(ruleName('autogen', name), rule, 'template', list, true);
}

function ruleName(prefix: string, name: string): string {
  return `${prefix}-${name}`.slice(0, 63);
}

const REWRITES: Readonly<Record<'Pod' | 'CronJob', readonly (readonly [string, string])[]>> = {
  Pod: [
    ['request.object.spec', 'request.object.spec.template.spec'],
    ['request.oldObject.spec', 'request.oldObject.spec.template.spec'],
    ['request.object.metadata', 'request.object.spec.template.metadata'],
    ['request.oldObject.metadata', 'request.oldObject.spec.template.metadata'],
  ],
  CronJob: [
    ['request.object.spec', 'request.object.spec.jobTemplate.spec.template.spec'],
    ['request.oldObject.spec', 'request.oldObject.spec.jobTemplate.spec.template.spec'],
    ['request.object.metadata', 'request.object.spec.jobTemplate.spec.template.metadata'],
    ['request.oldObject.metadata', 'request.oldObject.spec.jobTemplate.spec.template.metadata'],
  ],
};

/** `convertRule`: Kyverno rewrites the serialised rule text, so every string in the rule is affected. */
function rewrite(rule: Json, kind: 'Pod' | 'CronJob'): Json {
  let text = JSON.stringify(rule);
  for (const [from, to] of REWRITES[kind]) text = text.replaceAll(from, to);
  return JSON.parse(text) as Json;
}

/** `ComputeRules`: the policy's rules followed by the generated controller rules. */
export function computeRules(rules: readonly Json[], annotations: Readonly<Record<string, string>> | undefined): Json[] {
  const apply = canAutogen(rules);
  if (!apply) return [...rules];
  const requested = annotations?.[AUTOGEN_ANNOTATION];
  const controllers = requested !== undefined ? requested.split(',') : POD_CONTROLLERS;
  const kind = controllers.join(',');
  if (kind === 'none') return [...rules];
  const generated: Json[] = [];
  const stripped = controllers.filter((c) => c !== 'CronJob').join(',');
  for (const rule of rules) {
    const pod = forControllers(rule, stripped);
    if (pod) generated.push(rewrite(pod, 'Pod'));
    if (kind.includes('CronJob') || kind.includes('all')) {
      const base = forControllers(rule, kind);
      const cron = generateRule(ruleName('autogen-cronjob', String(rule.name ?? '')), base, 'jobTemplate', ['CronJob'], false);
      if (cron) generated.push(rewrite(cron, 'CronJob'));
    }
  }
  if (generated.length === 0) return [...rules];
  return [...rules.filter((r) => !String(r.name ?? '').startsWith('autogen-')), ...generated];
}
