/**
 * Compiling and evaluating Kyverno `ClusterPolicy`/`Policy` (`kyverno.io/v1`) validate rules, the
 * flow of Kyverno's `pkg/engine/handlers/validation/validate_resource.go`:
 * match/exclude → context (`variable` entries) → preconditions (false: skip) → `deny` conditions,
 * else `pattern`/`anyPattern`, else `foreach`. Rules are expanded with autogen at compile time and
 * patterns without variables are compiled once.
 *
 * Features this evaluator does not implement produce an `error` response naming the feature
 * (never a guessed pass/fail): `validate.cel`, `validate.manifests`,
 * `validate.assert`, `mutate`, `generate`, `verifyImages`, context `apiCall`/`configMap`/
 * `imageRegistry`/`globalReference`, `images.*` variables, `{{@}}` and `$(…)` references.
 */
import { LockstepError } from '../../util/errors.ts';
import type { KubernetesObject } from '../cel/types.ts';
import { computeRules } from './autogen.ts';
import { compileConditions, evaluateConditions, type CompiledConditions } from './conditions.ts';
import { compileKyvernoJp, queryContext } from './jmespath.ts';
import { ruleApplies, type MatchResources, type MatchTarget } from './match.ts';
import { compilePattern, matchPattern, type PatternNode, type PatternResult } from './pattern.ts';
import { compilePodSecurity, evaluatePodSecurity, type CompiledPodSecurity } from './pss-rule.ts';
import type { EvaluationRequest, RuleResponse, RuleStatus } from './types.ts';
import { hasVariables, substituteAll, substituteString, type SubstitutionContext } from './variables.ts';

type Json = Record<string, unknown>;

interface PreparedPattern {
  readonly raw: unknown;
  /** Present when the pattern has no variables: compiled once for every resource. */
  readonly compiled: PatternNode | undefined;
}

interface ContextVariable {
  readonly name: string;
  readonly value: unknown;
  readonly jmesPath: string | undefined;
  readonly default: unknown;
}

type Body =
  | { readonly t: 'unsupported'; readonly feature: string }
  | { readonly t: 'none' }
  | { readonly t: 'deny'; readonly conditions: CompiledConditions }
  | { readonly t: 'pattern'; readonly pattern: PreparedPattern }
  | { readonly t: 'anyPattern'; readonly patterns: readonly PreparedPattern[] }
  | { readonly t: 'foreach'; readonly items: readonly CompiledForeach[] }
  | { readonly t: 'podSecurity'; readonly podSecurity: CompiledPodSecurity };

interface CompiledForeach {
  readonly list: string;
  readonly elementScope: boolean | undefined;
  readonly context: readonly ContextVariable[] | { readonly unsupported: string };
  readonly preconditions: CompiledConditions | undefined;
  readonly body: Body;
}

interface CompiledRule {
  readonly name: string;
  readonly match: MatchResources | undefined;
  readonly exclude: MatchResources | undefined;
  readonly context: readonly ContextVariable[] | { readonly unsupported: string };
  readonly preconditions: CompiledConditions | undefined;
  readonly message: string | undefined;
  readonly body: Body;
}

export interface CompiledClusterPolicy {
  readonly name: string;
  /** Set for namespaced `Policy` documents, which only apply in their namespace. */
  readonly namespace: string | undefined;
  readonly kind: string;
  /** Rule names after autogen, in evaluation order. */
  readonly ruleNames: readonly string[];
  evaluate(request: EvaluationRequest): RuleResponse[];
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(file: string, pointer: string, message: string, fix?: string): never {
  throw new LockstepError({ file, pointer, message, ...(fix ? { fix } : {}) });
}

/** Every `{{ … }}` body in the document, to check their syntax and features once at compile time. */
function variableBodies(doc: unknown, out: string[] = []): string[] {
  if (typeof doc === 'string') {
    for (const m of doc.matchAll(/\{\{((?:\{[^{}]*\}|[^{}])*)\}\}/g)) out.push(m[1]!.trim());
  } else if (Array.isArray(doc)) doc.forEach((d) => variableBodies(d, out));
  else if (isObject(doc)) for (const [k, v] of Object.entries(doc)) {
    variableBodies(k, out);
    variableBodies(v, out);
  }
  return out;
}

const IMAGES = /(^|[^\w.])images(\.|\s|$|\[)/;

/** A reason the rule's expressions cannot be evaluated here, or undefined. */
function expressionProblem(rule: Json): string | undefined {
  const lists: string[] = [];
  const collectLists = (foreach: unknown): void => {
    if (!Array.isArray(foreach)) return;
    for (const f of foreach) if (isObject(f)) {
      if (typeof f.list === 'string') lists.push(f.list);
      collectLists(f.foreach);
    }
  };
  collectLists(isObject(rule.validate) ? rule.validate.foreach : undefined);
  for (const expr of [...variableBodies(rule), ...lists]) {
    if (expr === '@') continue;
    if (IMAGES.test(expr)) return `the images.* context variables (in ${JSON.stringify(expr)})`;
    try {
      compileKyvernoJp(expr);
    } catch (e) {
      return (e as Error).message;
    }
  }
  return undefined;
}

function compileContext(raw: unknown): readonly ContextVariable[] | { readonly unsupported: string } {
  if (!Array.isArray(raw)) return [];
  const out: ContextVariable[] = [];
  for (const entry of raw) {
    if (!isObject(entry)) continue;
    for (const kind of ['apiCall', 'configMap', 'imageRegistry', 'globalReference']) {
      if (entry[kind] !== undefined) return { unsupported: `context.${kind} (entry ${JSON.stringify(entry.name)})` };
    }
    if (!isObject(entry.variable)) return { unsupported: `context entry ${JSON.stringify(entry.name)} without a variable` };
    const v = entry.variable;
    out.push({ name: String(entry.name ?? ''), value: v.value, jmesPath: typeof v.jmesPath === 'string' ? v.jmesPath : undefined, default: v.default });
  }
  return out;
}

function preparePattern(raw: unknown): PreparedPattern {
  return { raw, compiled: hasVariables(raw) ? undefined : compilePattern(raw) };
}

function compileBody(v: Json, file: string, pointer: string): Body {
  if (v.deny !== undefined) {
    const deny = isObject(v.deny) ? v.deny : {};
    return { t: 'deny', conditions: compileConditions(deny.conditions ?? { all: [] }, `${pointer}/deny/conditions`) };
  }
  if (v.pattern !== undefined) return { t: 'pattern', pattern: preparePattern(v.pattern) };
  if (v.anyPattern !== undefined) {
    if (!Array.isArray(v.anyPattern)) fail(file, `${pointer}/anyPattern`, `anyPattern must be a list of patterns, got ${JSON.stringify(v.anyPattern)}`);
    return { t: 'anyPattern', patterns: v.anyPattern.map(preparePattern) };
  }
  if (Array.isArray(v.foreach)) {
    return { t: 'foreach', items: v.foreach.map((f, i) => compileForeach(f, file, `${pointer}/foreach/${i}`)) };
  }
  if (v.podSecurity !== undefined) return { t: 'podSecurity', podSecurity: compilePodSecurity(v.podSecurity, file, `${pointer}/podSecurity`) };
  return { t: 'none' };
}

function compileForeach(raw: unknown, file: string, pointer: string): CompiledForeach {
  if (!isObject(raw) || typeof raw.list !== 'string') fail(file, pointer, 'a foreach entry needs a list (a JMESPath expression)', 'add list: request.object.spec.containers');
  return {
    list: raw.list,
    elementScope: typeof raw.elementScope === 'boolean' ? raw.elementScope : undefined,
    context: compileContext(raw.context),
    preconditions: raw.preconditions !== undefined ? compileConditions(raw.preconditions, `${pointer}/preconditions`) : undefined,
    body: compileBody(raw, file, pointer),
  };
}

function unsupportedFeature(rule: Json): string | undefined {
  const v = isObject(rule.validate) ? rule.validate : undefined;
  if (v) {
    if (v.cel !== undefined) return 'validate.cel';
    if (v.manifests !== undefined) return 'validate.manifests (signed manifests)';
    if (v.assert !== undefined) return 'validate.assert (kyverno-json assertion trees)';
    return undefined;
  }
  if (rule.mutate !== undefined) return 'mutate rules';
  if (rule.generate !== undefined) return 'generate rules';
  if (rule.verifyImages !== undefined) return 'verifyImages rules';
  return undefined;
}

function compileRule(rule: Json, file: string, pointer: string): CompiledRule {
  if (typeof rule.name !== 'string' || rule.name === '') fail(file, `${pointer}/name`, 'every rule needs a name');
  if (!isObject(rule.match)) fail(file, `${pointer}/match`, `rule ${rule.name} has no match block`, 'add match.any[].resources.kinds');
  const feature = unsupportedFeature(rule) ?? expressionProblem(rule);
  const v = isObject(rule.validate) ? rule.validate : undefined;
  const body: Body = feature !== undefined ? { t: 'unsupported', feature } : v ? compileBody(v, file, `${pointer}/validate`) : { t: 'none' };
  return {
    name: rule.name,
    match: rule.match as MatchResources,
    exclude: isObject(rule.exclude) ? (rule.exclude as MatchResources) : undefined,
    context: compileContext(rule.context),
    preconditions: rule.preconditions !== undefined ? compileConditions(rule.preconditions, `${pointer}/preconditions`) : undefined,
    message: v && typeof v.message === 'string' ? v.message : undefined,
    body,
  };
}

/** Compiles a ClusterPolicy or Policy; throws a LockstepError naming the file and field when malformed. */
export function compileClusterPolicy(doc: unknown, file: string): CompiledClusterPolicy {
  if (!isObject(doc)) fail(file, '', `expected a ClusterPolicy object, got ${JSON.stringify(doc)}`);
  const kind = String(doc.kind ?? '');
  const metadata = isObject(doc.metadata) ? doc.metadata : {};
  if (typeof metadata.name !== 'string' || metadata.name === '') fail(file, '/metadata/name', `${kind} has no metadata.name`);
  const spec = isObject(doc.spec) ? doc.spec : undefined;
  if (!spec || !Array.isArray(spec.rules)) fail(file, '/spec/rules', `${kind} ${metadata.name} has no spec.rules list`);
  spec.rules.forEach((r, i) => {
    if (!isObject(r)) fail(file, `/spec/rules/${i}`, `rule must be an object, got ${JSON.stringify(r)}`);
  });
  const annotations = isObject(metadata.annotations) ? (metadata.annotations as Record<string, string>) : undefined;
  const expanded = computeRules(spec.rules as Json[], annotations);
  const rules = expanded.map((r, i) => compileRule(r, file, `/spec/rules/${i}`));
  const namespace = kind === 'Policy' && typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  return {
    name: metadata.name,
    namespace,
    kind,
    ruleNames: rules.map((r) => r.name),
    evaluate: (request) => evaluatePolicy(rules, namespace, request),
  };
}

// ---------------------------------------------------------------------------------------------
// Evaluation

function setPath(target: Json, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (!isObject(node[key])) node[key] = {};
    node = node[key] as Json;
  }
  node[path[path.length - 1]!] = value;
}

function baseContext(request: EvaluationRequest): Json {
  const operation = request.operation ?? 'CREATE';
  const resource = request.resource;
  const isDelete = operation === 'DELETE';
  const data: Json = {
    request: {
      operation,
      object: isDelete ? null : resource,
      oldObject: isDelete ? resource : null,
      namespace: resource.metadata?.namespace ?? '',
      userInfo: { username: '', groups: null },
      roles: null,
      clusterRoles: null,
    },
    serviceAccountName: '',
    serviceAccountNamespace: '',
  };
  for (const [k, v] of Object.entries(request.values ?? {})) setPath(data, k.split('.'), structuredClone(v));
  return data;
}

interface Scope {
  readonly data: Json;
  readonly isDelete: boolean;
  readonly resource: KubernetesObject;
  /** The foreach element patterns apply to, when element-scoped. */
  readonly element: Json | undefined;
}

const sub = (scope: Scope): SubstitutionContext => ({ data: scope.data, isDelete: scope.isDelete });

function loadContext(entries: readonly ContextVariable[], scope: Scope): void {
  for (const e of entries) {
    const s = sub(scope);
    const path = e.jmesPath !== undefined ? substituteString(e.jmesPath, s, `context/${e.name}/variable/jmesPath`) : undefined;
    const fallback = e.default !== undefined ? substituteAll(e.default, s, `context/${e.name}/variable/default`) : undefined;
    let output: unknown = fallback;
    if (e.value !== undefined) {
      const value = substituteAll(e.value, s, `context/${e.name}/variable/value`);
      if (typeof path === 'string' && path !== '') {
        try {
          const r = queryContext(path, value);
          output = r ?? output;
        } catch (err) {
          if (fallback === undefined) throw err;
        }
      } else output = value;
    } else if (typeof path === 'string' && path !== '') {
      try {
        const r = queryContext(path, scope.data);
        if (r !== null && r !== undefined) output = r;
      } catch (err) {
        if (fallback === undefined) throw err;
      }
    }
    if (output === null || output === undefined) throw new Error(`unable to add context entry for variable ${e.name} since it evaluated to nil`);
    setPath(scope.data, e.name.split('.'), output);
  }
}

interface Outcome {
  readonly status: RuleStatus;
  readonly message: string;
}

function substitutedMessage(message: string | undefined, scope: Scope): string | undefined {
  if (message === undefined || message === '') return undefined;
  try {
    const m = substituteString(message, sub(scope), 'validate/message');
    return typeof m === 'string' ? m : "the produced message didn't resolve to a string, check your policy definition.";
  } catch {
    return message;
  }
}

function patternMessage(rule: CompiledRule, scope: Scope, r: PatternResult): string {
  const msg = substitutedMessage(rule.message, scope);
  const detail = r.status === 'fail' ? `failed at path ${r.path}` : `execution error: ${r.status === 'error' ? r.message : ''}`;
  if (msg === undefined) return `validation error: rule ${rule.name} ${detail}`;
  return `validation error: ${msg.endsWith('.') ? msg : `${msg}.`} rule ${rule.name} ${detail}`;
}

function runPattern(p: PreparedPattern, target: unknown, scope: Scope): PatternResult {
  const compiled = p.compiled ?? compilePattern(substituteAll(p.raw, sub(scope), '/validate/pattern'));
  return matchPattern(target, compiled);
}

/** `validateResourceWithRule`: patterns apply to the foreach element when scoped, else the resource. */
function patternTarget(scope: Scope): unknown | undefined {
  if (scope.element) return scope.element;
  if (scope.isDelete) return undefined;
  return scope.resource;
}

function evaluatePatterns(rule: CompiledRule, body: Extract<Body, { t: 'pattern' | 'anyPattern' }>, scope: Scope): Outcome | undefined {
  const target = patternTarget(scope);
  if (target === undefined) return undefined;
  if (body.t === 'pattern') {
    const r = runPattern(body.pattern, target, scope);
    if (r.status === 'pass') return { status: 'pass', message: `validation rule '${rule.name}' passed.` };
    if (r.status === 'skip') return { status: 'skip', message: r.message };
    return { status: r.status, message: patternMessage(rule, scope, r) };
  }
  const failed: string[] = [];
  const skipped: string[] = [];
  for (const [i, p] of body.patterns.entries()) {
    const r = runPattern(p, target, scope);
    if (r.status === 'pass') return { status: 'pass', message: `validation rule '${rule.name}' anyPattern[${i}] passed.` };
    if (r.status === 'skip') skipped.push(`rule ${rule.name}[${i}] skipped: ${r.message}`);
    else if (r.status === 'fail') failed.push(`rule ${rule.name}[${i}] failed at path ${r.path}`);
    else failed.push(`rule ${rule.name}[${i}] failed: ${r.message}`);
  }
  if (failed.length > 0) {
    const errs = failed.join(' ');
    const m = rule.message;
    const message = !m ? `validation error: ${errs}` : m.endsWith('.') ? `validation error: ${m} ${errs}` : `validation error: ${m}. ${errs}`;
    return { status: 'fail', message };
  }
  if (skipped.length > 0) return { status: 'skip', message: skipped.join(' ') };
  return { status: 'pass', message: rule.message ?? '' };
}

function evaluateDeny(rule: CompiledRule, conditions: CompiledConditions, scope: Scope): Outcome {
  let denied: boolean;
  try {
    denied = evaluateConditions(conditions, sub(scope), `/spec/rules/${rule.name}/validate/deny/conditions`).result;
  } catch (e) {
    return { status: 'error', message: `failed to check deny conditions: ${(e as Error).message}` };
  }
  if (!denied) return { status: 'pass', message: `validation rule '${rule.name}' passed.` };
  return { status: 'fail', message: substitutedMessage(rule.message, scope) ?? `validation error: rule ${rule.name} failed` };
}

function withElement(scope: Scope, element: unknown, index: number, nesting: number, elementScope: boolean | undefined): Scope {
  const data = structuredClone(scope.data);
  data.element = element;
  data[`element${nesting}`] = element;
  data.elementIndex = index;
  data[`elementIndex${nesting}`] = index;
  const isMapElement = isObject(element);
  if (elementScope === true && !isMapElement) {
    throw new Error(`cannot use elementScope=true foreach rules for elements that are not maps, expected type=map got ${Array.isArray(element) ? 'array' : typeof element}`);
  }
  const scoped = elementScope ?? isMapElement;
  return { ...scope, data, element: scoped ? (element as Json) : undefined };
}

function evaluateForeach(rule: CompiledRule, items: readonly CompiledForeach[], scope: Scope, nesting: number): Outcome {
  let applied = 0;
  for (const item of items) {
    let list: unknown;
    try {
      list = queryContext(item.list, scope.data);
    } catch {
      continue; // Kyverno logs a list that does not evaluate and moves on.
    }
    const elements = Array.isArray(list) ? list : [list];
    for (const [index, element] of elements.entries()) {
      if (element === null || element === undefined) continue;
      let inner: Scope;
      try {
        inner = withElement(scope, element, index, nesting, item.elementScope);
      } catch (e) {
        return { status: 'error', message: `failed to process foreach: ${(e as Error).message}` };
      }
      const r = evaluateStep(rule, item.context, item.preconditions, item.body, inner, nesting + 1);
      if (r === undefined || r.status === 'skip') continue;
      if (r.status !== 'pass') {
        if (r.status === 'error' && index < elements.length - 1) continue;
        return { status: r.status, message: `validation failure: ${r.message}` };
      }
      applied += 1;
    }
  }
  if (applied === 0) return { status: 'skip', message: 'rule skipped' };
  return { status: 'pass', message: 'rule passed' };
}

/** One validator step (`validator.validate`): context, preconditions, then the body. */
function evaluateStep(
  rule: CompiledRule,
  context: CompiledRule['context'],
  preconditions: CompiledConditions | undefined,
  body: Body,
  scope: Scope,
  nesting: number,
): Outcome | undefined {
  if ('unsupported' in context) return { status: 'error', message: `${context.unsupported} is not supported by the Lockstep ClusterPolicy engine` };
  try {
    loadContext(context, scope);
  } catch (e) {
    return { status: 'error', message: `failed to load context: ${(e as Error).message}` };
  }
  if (preconditions) {
    try {
      if (!evaluateConditions(preconditions, sub(scope), `/spec/rules/${rule.name}/preconditions`).result) return { status: 'skip', message: 'preconditions not met' };
    } catch (e) {
      return { status: 'error', message: `failed to evaluate preconditions: ${(e as Error).message}` };
    }
  }
  switch (body.t) {
    case 'unsupported':
      return { status: 'error', message: `${body.feature} is not supported by the Lockstep ClusterPolicy engine` };
    case 'none':
      return undefined;
    case 'deny':
      return evaluateDeny(rule, body.conditions, scope);
    case 'pattern':
    case 'anyPattern':
      try {
        return evaluatePatterns(rule, body, scope);
      } catch (e) {
        return { status: 'error', message: `variable substitution failed: ${(e as Error).message}` };
      }
    case 'foreach':
      return evaluateForeach(rule, body.items, scope, nesting);
    case 'podSecurity':
      // Kyverno skips Pod Security checks on DELETE (`validatePssHandler.validate`).
      if (scope.isDelete) return undefined;
      return evaluatePodSecurity(body.podSecurity, rule.name, scope.resource as Json);
  }
}

function stringMap(v: unknown): Record<string, string> {
  if (!isObject(v)) return {};
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
}

function evaluatePolicy(rules: readonly CompiledRule[], policyNamespace: string | undefined, request: EvaluationRequest): RuleResponse[] {
  const r = request.resource;
  const operation = request.operation ?? 'CREATE';
  if (policyNamespace !== undefined && (r.metadata?.namespace ?? '') !== policyNamespace) return [];
  const target: MatchTarget = {
    apiVersion: r.apiVersion,
    kind: r.kind,
    name: r.metadata?.name ?? (typeof r.metadata?.generateName === 'string' ? r.metadata.generateName : ''),
    namespace: r.metadata?.namespace ?? '',
    labels: stringMap(r.metadata?.labels),
    annotations: stringMap(r.metadata?.annotations),
    namespaceLabels: request.namespaceLabels ?? {},
    operation,
  };
  const base = baseContext(request);
  const out: RuleResponse[] = [];
  for (const rule of rules) {
    if (!ruleApplies(rule.match, rule.exclude, target)) continue;
    const scope: Scope = { data: structuredClone(base), isDelete: operation === 'DELETE', resource: r, element: undefined };
    const outcome = evaluateStep(rule, rule.context, rule.preconditions, rule.body, scope, 0);
    if (outcome) out.push({ rule: rule.name, status: outcome.status, message: outcome.message });
  }
  return out;
}
