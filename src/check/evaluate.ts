/**
 * Evaluates admission policies over rendered objects: every policy (and its pod-controller
 * variants) on every object, with the object's Namespace as `namespaceObject`, as a CREATE.
 */
import { POLICY_VALIDATIONS_ANNOTATION, type PolicySeverity } from '../../constructs/policy/admission-policy.ts';
import type { PolicyMode } from '../../constructs/policy/mode.ts';
import { isValidatingPolicy, type KubernetesObject, type ValidatingPolicyDocument } from '../policy/cel/types.ts';
import { compileValidatingPolicy, evaluateCompiledPolicy, prepareResource, type CompiledValidatingPolicy, type EvaluationContext } from '../policy/cel/validating-policy.ts';
import { LockstepError } from '../util/errors.ts';
import { translateClusterPolicy } from './cluster-policy.ts';
import { levelFor, modeOfPolicy } from './mode.ts';
import type { CheckSummary, Finding, PolicyEvaluation, PolicyInfo } from './types.ts';

/** A policy document and where it came from. */
export interface PolicySource {
  readonly file: string;
  readonly json: Record<string, any>;
  /** Preview policies are evaluated in Preview mode whatever they say. */
  readonly preview?: boolean;
}

/** An object to evaluate and where it came from. */
export interface ObjectSource {
  readonly file: string;
  readonly constructPath?: string;
  readonly json: Record<string, any>;
}

interface Unit {
  /** Rule name when the unit is one ClusterPolicy rule. */
  readonly rule?: string;
  readonly compiled: CompiledValidatingPolicy;
}

export interface CompiledCheckPolicy {
  readonly info: PolicyInfo;
  readonly units: readonly Unit[];
}

export interface CompiledPolicies {
  readonly policies: readonly CompiledCheckPolicy[];
  /** Policies or rules that cannot be evaluated offline (not errors of the objects). */
  readonly notes: readonly string[];
}

const SEVERITIES: readonly string[] = ['low', 'medium', 'high', 'critical'];

export function isClusterPolicy(doc: Record<string, any>): boolean {
  return doc?.apiVersion === 'kyverno.io/v1' && doc?.kind === 'ClusterPolicy';
}

/** Whether a document is an admission policy `lockstep check` evaluates. */
export function isAdmissionPolicyDocument(doc: Record<string, any>): boolean {
  return isValidatingPolicy(doc) || isClusterPolicy(doc);
}

function infoOf(src: PolicySource, engine: PolicyInfo['engine'], mode: PolicyMode, rules: readonly string[]): PolicyInfo {
  const a: Record<string, string> = src.json.metadata?.annotations ?? {};
  const name = String(src.json.metadata?.name ?? '');
  const severity = SEVERITIES.includes(a['policies.kyverno.io/severity'] ?? '') ? (a['policies.kyverno.io/severity'] as PolicySeverity) : 'medium';
  return {
    name,
    file: src.file,
    mode,
    engine,
    title: a['policies.kyverno.io/title'] ?? name,
    category: a['policies.kyverno.io/category'] ?? 'Other',
    severity,
    description: a['policies.kyverno.io/description'] ?? '',
    rules,
  };
}

/**
 * Compiles every ValidatingPolicy and CEL ClusterPolicy among `sources`, sorted by name. Throws one
 * LockstepError listing every expression that does not compile; other documents are ignored.
 */
export function compileCheckPolicies(sources: readonly PolicySource[]): CompiledPolicies {
  const policies: CompiledCheckPolicy[] = [];
  const notes: string[] = [];
  const problems: LockstepError['problems'][number][] = [];
  for (const src of sources) {
    const mode: PolicyMode = src.preview ? 'Preview' : modeOfPolicy(src.json);
    try {
      if (isValidatingPolicy(src.json)) {
        const compiled = compileValidatingPolicy(src.json as ValidatingPolicyDocument, src.file);
        const annotations: Record<string, unknown> = (src.json as Record<string, any>).metadata?.annotations ?? {};
        const listed = String(annotations[POLICY_VALIDATIONS_ANNOTATION] ?? '');
        const count = (src.json.spec?.validations ?? []).length as number;
        const names = listed ? listed.split(',') : [];
        const rules = Array.from({ length: count }, (_, i) => names[i] || `validations[${i}]`);
        policies.push({ info: infoOf(src, 'ValidatingPolicy', mode, rules), units: [{ compiled }] });
      } else if (isClusterPolicy(src.json)) {
        const t = translateClusterPolicy(src.json);
        notes.push(...t.unsupported.map((u) => `${src.file}: ${u}`));
        if (t.rules.length === 0) continue;
        const units = t.rules.map((r) => ({ rule: r.rule, compiled: compileValidatingPolicy(r.document, src.file) }));
        policies.push({ info: infoOf(src, 'ClusterPolicy', mode, t.rules.map((r) => r.rule)), units });
      }
    } catch (error) {
      if (error instanceof LockstepError) problems.push(...error.problems);
      else throw error;
    }
  }
  if (problems.length > 0) throw new LockstepError(problems);
  policies.sort((a, b) => (a.info.name < b.info.name ? -1 : a.info.name > b.info.name ? 1 : 0));
  return { policies, notes };
}

/**
 * `namespaceObject` for each namespace: the rendered Namespace, with the
 * `kubernetes.io/metadata.name` label the API server always sets; a namespace that is not
 * rendered (e.g. kube-system) gets a Namespace with only that label.
 */
function namespaceContexts(objects: readonly ObjectSource[]): (ns: string | undefined) => EvaluationContext {
  const rendered = new Map<string, KubernetesObject>();
  for (const o of objects) {
    if (o.json.apiVersion === 'v1' && o.json.kind === 'Namespace' && typeof o.json.metadata?.name === 'string') rendered.set(o.json.metadata.name, o.json as KubernetesObject);
  }
  const cache = new Map<string, EvaluationContext>();
  const none: EvaluationContext = { namespaceObject: null };
  return (ns) => {
    if (!ns) return none;
    let ctx = cache.get(ns);
    if (!ctx) {
      const base = rendered.get(ns) ?? { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } };
      const labels = { ...(base.metadata?.labels ?? {}), 'kubernetes.io/metadata.name': ns };
      ctx = { namespaceObject: { ...base, metadata: { ...base.metadata, labels } } };
      cache.set(ns, ctx);
    }
    return ctx;
  };
}

function compareEvaluations(a: PolicyEvaluation, b: PolicyEvaluation): number {
  for (const k of ['file', 'policy', 'rule', 'autogen', 'result'] as const) {
    const x = a[k] ?? '';
    const y = b[k] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Evaluates every policy on every object. The result is sorted by file, policy and rule. */
export function evaluateObjects(policies: readonly CompiledCheckPolicy[], objects: readonly ObjectSource[]): PolicyEvaluation[] {
  const contextFor = namespaceContexts(objects);
  const out: PolicyEvaluation[] = [];
  for (const o of objects) {
    const prepared = prepareResource(o.json as KubernetesObject);
    const ctx = contextFor(prepared.ref.namespace);
    for (const p of policies) {
      for (const unit of p.units) {
        for (const r of evaluateCompiledPolicy(unit.compiled, prepared, ctx)) {
          const specific = (r.result === 'fail' || r.result === 'error') && r.validationIndex !== undefined;
          const rule = unit.rule ?? (specific ? (p.info.rules[r.validationIndex!] ?? `validations[${r.validationIndex}]`) : p.info.name);
          out.push({
            policy: p.info.name,
            rule,
            mode: p.info.mode,
            result: r.result,
            ...(r.message !== undefined ? { message: r.message } : {}),
            resource: r.resource,
            file: o.file,
            ...(o.constructPath ? { constructPath: o.constructPath } : {}),
            severity: p.info.severity,
            category: p.info.category,
            ...(r.autogen ? { autogen: r.autogen } : {}),
          });
        }
      }
    }
  }
  return out.sort(compareEvaluations);
}

/** Failures and errors with their level (Deny → error, Audit/Warn → warning, Preview → info). */
export function findingsOf(evaluations: readonly PolicyEvaluation[]): Finding[] {
  return evaluations.filter((e): e is PolicyEvaluation & { result: 'fail' | 'error' } => e.result === 'fail' || e.result === 'error').map((e) => ({ ...e, level: levelFor(e.mode) }));
}

/** PolicyReport-style counts; a Preview failure counts as `warn` (a failure that is not scored). */
export function summarize(evaluations: readonly PolicyEvaluation[]): CheckSummary {
  const s = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const e of evaluations) {
    if (e.result === 'fail') {
      if (e.mode === 'Preview') s.warn++;
      else s.fail++;
    } else s[e.result]++;
  }
  return s;
}

export { compareEvaluations };
