/**
 * The kyverno-json engine (`pkg/json-engine`): every payload resource × policy × rule, in order.
 *
 * Per rule: bindings `$payload`, `$policy`, `$rule` and the caller's bindings; context entries as
 * lazy bindings; `match` (first passing `any` tree wins and skips `all`), then `exclude`; then
 * `assert` (a passing `any` assertion clears the `any` failures, otherwise `all` is not evaluated;
 * every failing `all` assertion is a violation). A rule that does not match has no result, as in
 * kyverno-json; `includeSkipped` reports it as `skip` instead.
 */
import { Bindings } from './bindings.ts';
import { runProgram, type Runtime, type TreeNode } from './assertion-tree.ts';
import { EvaluationError, FieldPath, errorBody, goSprint, type FieldError } from './field-path.ts';
import { KyvernoJmesPath, compileJp } from './jmespath.ts';
import { formatMessage } from './message.ts';
import type { CompiledAssertion, JsonPolicy, JsonRule, MatchBlock } from './policy.ts';
import { assertDepth } from '../depth.ts';
import { LockstepError } from '../../util/errors.ts';

export type RuleStatus = 'pass' | 'fail' | 'error' | 'skip';

export interface Violation {
  /** Which assertion failed, e.g. `spec.rules[0].assert.all[1]`. */
  readonly check: string;
  /** The assertion's rendered message, when it has one. */
  readonly message?: string;
  readonly errors: readonly FieldError[];
}

export interface RuleResult {
  /** Index of the resource after pre-processing and array expansion. */
  readonly resourceIndex: number;
  readonly policy: string;
  readonly rule: string;
  readonly status: RuleStatus;
  /** The rule's `identifier`, rendered like Go's fmt.Sprint; absent when the rule has none. */
  readonly identifier?: string;
  /** Why the rule errored (status `error`). */
  readonly error?: string;
  readonly violations: readonly Violation[];
  /** Feedback values by name, when the rule declares feedback. */
  readonly feedback?: Readonly<Record<string, { value?: unknown; error?: string }>>;
  /** One line for humans: the error, the violation messages and paths, or why the rule skipped. */
  readonly message: string;
}

export interface ScanResult {
  /** The resources evaluated, in order (after pre-processing and array expansion). */
  readonly resources: readonly unknown[];
  readonly results: readonly RuleResult[];
  readonly summary: { readonly pass: number; readonly fail: number; readonly error: number; readonly skip: number };
}

export interface ScanOptions {
  /** Extra `$name` bindings, like `kyverno-json scan --bindings` (keys without `$`). */
  readonly bindings?: Readonly<Record<string, unknown>>;
  /** JMESPath expressions applied in order to each payload, like `--pre-process`. */
  readonly preprocessors?: readonly string[];
  /** Clock for time_now/time_now_utc/time_since; without it those functions error. */
  readonly now?: () => Date;
  /** Report rules that did not match (or were excluded) as `skip` instead of leaving them out. */
  readonly includeSkipped?: boolean;
}

/**
 * Evaluates compiled policies against payloads. Each payload goes through the pre-processors;
 * an array payload contributes each element as a resource, any other value is one resource.
 */
export function scan(policies: readonly JsonPolicy[], payloads: readonly unknown[], options: ScanOptions = {}): ScanResult {
  const rt: Runtime = { jp: new KyvernoJmesPath(options.now ? { now: options.now } : {}) };
  const resources = payloads.flatMap((payload, i) => expandPayload(payload, i, options.preprocessors ?? [], rt));
  let base = Bindings.empty;
  for (const [k, v] of Object.entries(options.bindings ?? {})) base = base.with(k, v);
  const results: RuleResult[] = [];
  resources.forEach((resource, resourceIndex) => {
    const resourceBindings = base.with('payload', resource);
    for (const policy of policies) {
      const policyBindings = resourceBindings.with('policy', policy.document);
      for (const rule of policy.rules) {
        const result = evaluateRule(policy, rule, resource, resourceIndex, policyBindings.with('rule', rule.definition), rt);
        if (result && (result.status !== 'skip' || options.includeSkipped)) results.push(result);
      }
    }
  });
  const summary = { pass: 0, fail: 0, error: 0, skip: 0 };
  for (const r of results) summary[r.status] += 1;
  return { resources, results, summary };
}

function expandPayload(payload: unknown, index: number, preprocessors: readonly string[], rt: Runtime): unknown[] {
  assertDepth(payload, `payload ${index}`);
  let current = payload;
  for (const expression of preprocessors) {
    let result: unknown;
    try {
      result = rt.jp.evaluate(compileJp(expression), current, Bindings.empty);
    } catch (e) {
      throw new LockstepError({ message: `pre-processor ${JSON.stringify(expression)} failed on payload ${index}: ${(e as Error).message}` });
    }
    if (result === null || result === undefined) {
      throw new LockstepError({
        message: `pre-processor ${JSON.stringify(expression)} resulted in a null payload (payload ${index})`,
        fix: 'check the expression against the payload shape',
      });
    }
    current = result;
  }
  if (current === null || current === undefined) {
    throw new LockstepError({ message: `payload ${index} is null`, fix: 'pass an object or an array of objects' });
  }
  return Array.isArray(current) ? current : [current];
}

function evaluateRule(
  policy: JsonPolicy,
  rule: JsonRule,
  resource: unknown,
  resourceIndex: number,
  ruleBindings: Bindings,
  rt: Runtime,
): RuleResult | undefined {
  let bindings = ruleBindings;
  for (const entry of rule.context) {
    const at = bindings;
    bindings = bindings.withLazy(entry.name, () => {
      try {
        return entry.value(resource, at, rt);
      } catch (e) {
        throw new EvaluationError(FieldPath.root.child('context').child(entry.name), (e as Error).message);
      }
    });
  }
  const base = { resourceIndex, policy: policy.name, rule: rule.name };
  const identifier = (): { identifier?: string } => {
    if (!rule.identifier) return {};
    try {
      return { identifier: goSprint(rt.jp.evaluate(rule.identifier, resource, bindings)) };
    } catch (e) {
      return { identifier: `(error: ${(e as Error).message})` };
    }
  };
  const errored = (e: unknown): RuleResult => {
    const error = (e as Error).message;
    return { ...base, status: 'error', ...identifier(), error, violations: [], ...feedback(rule, resource, bindings, rt), message: error };
  };
  try {
    if (rule.match && !matches(rule.match, resource, bindings, rt)) {
      return { ...base, status: 'skip', ...identifier(), violations: [], message: 'the resource does not match the rule' };
    }
    if (rule.exclude && matches(rule.exclude, resource, bindings, rt)) {
      return { ...base, status: 'skip', ...identifier(), violations: [], message: 'the resource is excluded by the rule' };
    }
  } catch (e) {
    return errored(e);
  }
  let violations: Violation[];
  try {
    violations = evaluateAssert(rule, resource, bindings, rt);
  } catch (e) {
    return errored(e);
  }
  return {
    ...base,
    status: violations.length > 0 ? 'fail' : 'pass',
    ...identifier(),
    violations,
    ...feedback(rule, resource, bindings, rt),
    message: violations.length > 0 ? summarize(violations) : 'all assertions passed',
  };
}

function feedback(rule: JsonRule, resource: unknown, bindings: Bindings, rt: Runtime): Pick<RuleResult, 'feedback'> {
  if (rule.feedback.length === 0) return {};
  const out: Record<string, { value?: unknown; error?: string }> = {};
  for (const f of rule.feedback) {
    try {
      out[f.name] = { value: f.value(resource, bindings, rt) };
    } catch (e) {
      out[f.name] = { error: (e as Error).message };
    }
  }
  return { feedback: out };
}

function treeErrors(tree: TreeNode, resource: unknown, bindings: Bindings, rt: Runtime): FieldError[] {
  return tree.assert(FieldPath.root, resource, bindings, rt);
}

/** `CompileMatch`: throws on evaluation errors; true when the block matches. */
function matches(block: MatchBlock, resource: unknown, bindings: Bindings, rt: Runtime): boolean {
  let failed = false;
  for (const tree of block.any) {
    if (treeErrors(tree, resource, bindings, rt).length === 0) return true;
    failed = true;
  }
  for (const tree of block.all) if (treeErrors(tree, resource, bindings, rt).length > 0) failed = true;
  return !failed;
}

function evaluateAssert(rule: JsonRule, resource: unknown, bindings: Bindings, rt: Runtime): Violation[] {
  const run = (a: CompiledAssertion): Violation | undefined => {
    const errors = treeErrors(a.tree, resource, bindings, rt);
    if (errors.length === 0) return undefined;
    const message = a.message ? formatMessage(a.message, resource, bindings, rt.jp) : undefined;
    return { check: a.check, ...(message !== undefined ? { message } : {}), errors };
  };
  if (rule.assert.any.length > 0) {
    const failures: Violation[] = [];
    for (const a of rule.assert.any) {
      const v = run(a);
      if (!v) {
        failures.length = 0;
        break;
      }
      failures.push(v);
    }
    if (failures.length > 0) return failures;
  }
  return rule.assert.all.flatMap((a) => run(a) ?? []);
}

function summarize(violations: readonly Violation[]): string {
  return violations
    .map((v) => {
      const details = v.errors.map((e) => `${errorBody(e)} (PATH=${e.field})`).join('; ');
      return `${v.message ? `${v.message} ` : ''}(CHECK=${v.check}): ${details}`;
    })
    .join('; ');
}

/** Evaluates one expression the way a `(expr)` key would; handy for `kyverno-json jp query`-style checks. */
export function evaluateExpression(expression: string, value: unknown, bindings: Readonly<Record<string, unknown>> = {}, now?: () => Date): unknown {
  let b = Bindings.empty;
  for (const [k, v] of Object.entries(bindings)) b = b.with(k, v);
  const rt: Runtime = { jp: new KyvernoJmesPath(now ? { now } : {}) };
  return runProgram({ kind: 'jp', jp: compileJp(expression) }, value, b, rt);
}
