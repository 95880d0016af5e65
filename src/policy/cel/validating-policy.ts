/**
 * Kyverno `policies.kyverno.io` ValidatingPolicy evaluation, offline.
 *
 * Semantics follow Kyverno's vpol engine (`pkg/cel/policies/vpol/{engine,compiler}`):
 * 1. The policy and each autogen variant (autogen.ts) is a separate compiled unit; a unit applies
 *    when its `matchConstraints` select the request (match.ts). Units that do not match produce no
 *    result at all, which `kyverno test` reports as a pass ("excluded").
 * 2. `matchConditions` run in order: the first `false` makes the result `skip`; errors are
 *    collected and, unless `failurePolicy: Ignore`, make the result `error`.
 * 3. `variables` are lazy: each is evaluated at most once, when first referenced as
 *    `variables.<name>`, and an error surfaces in the validation that reads it.
 * 4. `validations` run in order; the first `false` fails the policy with its `message`
 *    (or `messageExpression`, or "CEL expression validation failed at index N"); an error or a
 *    non-bool result makes it `error`; when all are true the result is `pass`.
 *
 * Kyverno reports one rule per policy, named `validation` (also for autogen variants; `kyverno test`
 * ignores rule names for ValidatingPolicies). We keep that name and say in `autogen` which variant
 * produced the result. Match-condition errors use Kyverno's rule name `evaluation`; skips, which
 * Kyverno leaves unnamed, are named `matchConditions`.
 */
import { LockstepError } from '../../util/errors.ts';
import type { Problem } from '../../util/errors.ts';
import { checkPolicyShape } from './shape.ts';
import { assertDepth } from '../depth.ts';
import { autogenVariants } from './autogen.ts';
import type { AutogenConfig } from './autogen.ts';
import { CelCompileError, compileCel, firstLine } from './engine.ts';
import type { CelProgram } from './engine.ts';
import { apiResourceOf } from './kinds.ts';
import type { ApiResource } from './kinds.ts';
import { matchesConstraints } from './match.ts';
import type { MatchAttributes } from './match.ts';
import type { KubernetesObject, MatchResources, Operation, ValidatingPolicyDocument, ValidatingPolicySpec } from './types.ts';
import { isValidatingPolicy } from './types.ts';
import { toCelValue } from './values.ts';

export type PolicyResultStatus = 'pass' | 'fail' | 'skip' | 'error';

export interface ResourceRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export interface PolicyResult {
  /** `name`, or `namespace/name` for a NamespacedValidatingPolicy. */
  readonly policy: string;
  readonly rule: string;
  readonly resource: ResourceRef;
  readonly result: PolicyResultStatus;
  readonly message?: string;
  /** Set when an autogen variant produced the result (`defaults` or `cronjobs`). */
  readonly autogen?: AutogenConfig;
  /** Index of the validation that failed or errored. */
  readonly validationIndex?: number;
  /** The policy's `validationActions` (e.g. `Audit`, `Deny`, `Warn`). */
  readonly actions: readonly string[];
}

export interface EvaluationContext {
  /** The Namespace object of the resource's namespace (its labels drive `namespaceSelector`). */
  readonly namespaceObject?: KubernetesObject | null;
  /** Admission operation; default `CREATE`, as `kyverno test` uses. */
  readonly operation?: Operation;
  /** Previous object for UPDATE and DELETE. */
  readonly oldObject?: KubernetesObject | null;
  /** Value of the `params` variable. */
  readonly params?: unknown;
  /** `request.userInfo`. */
  readonly userInfo?: Readonly<Record<string, unknown>>;
}

interface CompiledValidation {
  readonly program: CelProgram;
  readonly message: string | undefined;
  readonly messageProgram: CelProgram | undefined;
}

interface LazyVariables {
  /** Starts an evaluation over `activation` and returns the `variables` object for it. */
  bind(activation: Record<string, unknown>): Record<string, unknown>;
}

interface CompiledUnit {
  readonly lazy: LazyVariables;
  readonly autogen: AutogenConfig | undefined;
  readonly matchConstraints: MatchResources | undefined;
  readonly matchConditions: readonly { readonly name: string; readonly program: CelProgram }[];
  readonly variables: readonly { readonly name: string; readonly program: CelProgram }[];
  readonly validations: readonly CompiledValidation[];
}

export interface CompiledValidatingPolicy {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly kind: string;
  readonly actions: readonly string[];
  readonly failurePolicy: 'Fail' | 'Ignore';
  readonly units: readonly CompiledUnit[];
}

/** A resource converted once for CEL, so many policies can evaluate it without re-conversion. */
export interface PreparedResource {
  readonly raw: KubernetesObject;
  readonly cel: unknown;
  readonly ref: ResourceRef;
  readonly apiResource: ApiResource;
  readonly labels: Readonly<Record<string, string>> | undefined;
}

export function prepareResource(resource: KubernetesObject): PreparedResource {
  assertDepth(resource, `${String(resource.kind)} ${String(resource.metadata?.name ?? '')}`.trim());
  const meta = resource.metadata ?? {};
  const namespace = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined;
  return {
    raw: resource,
    cel: toCelValue(resource),
    ref: { apiVersion: resource.apiVersion, kind: resource.kind, name: meta.name ?? '', ...(namespace ? { namespace } : {}) },
    apiResource: apiResourceOf(resource.apiVersion, resource.kind, namespace !== undefined),
    labels: meta.labels,
  };
}

function compileUnit(spec: ValidatingPolicySpec, autogen: AutogenConfig | undefined, where: string, problems: Problem[]): CompiledUnit {
  const prefix = autogen ? `${where} (autogen ${autogen})` : where;
  const compile = (source: unknown, field: string): CelProgram | undefined => {
    if (typeof source !== 'string') {
      problems.push({ message: `${prefix}: ${field} must be a CEL expression string, got ${JSON.stringify(source)}` });
      return undefined;
    }
    try {
      return compileCel(source, `${prefix}: ${field}`);
    } catch (error) {
      problems.push({ message: error instanceof CelCompileError ? error.message : `${prefix}: ${field}: ${firstLine(error)}`, fix: 'rewrite the expression with supported CEL, or run this policy with the Kyverno CLI' });
      return undefined;
    }
  };
  const matchConditions = (spec.matchConditions ?? []).map((c, i) => ({ name: c.name, program: compile(c.expression, `spec.matchConditions[${i}].expression`)! }));
  const variables = (spec.variables ?? []).map((v, i) => ({ name: v.name, program: compile(v.expression, `spec.variables[${i}].expression`)! }));
  const validations = (spec.validations ?? []).map((v, i) => ({
    program: compile(v.expression, `spec.validations[${i}].expression`)!,
    message: v.message,
    messageProgram: v.messageExpression !== undefined ? compile(v.messageExpression, `spec.validations[${i}].messageExpression`) : undefined,
  }));
  return { autogen, matchConstraints: spec.matchConstraints, matchConditions, variables, validations, lazy: lazyVariables(variables) };
}

/**
 * Compiles a ValidatingPolicy (and its autogen variants) once. Throws one LockstepError listing
 * every expression that does not compile. `file` is used in problem locations.
 */
export function compileValidatingPolicy(policy: ValidatingPolicyDocument, file?: string): CompiledValidatingPolicy {
  if (!isValidatingPolicy(policy)) {
    const p = (typeof policy === 'object' && policy !== null ? policy : {}) as { apiVersion?: unknown; kind?: unknown };
    throw new LockstepError({
      message: `not a Kyverno ValidatingPolicy: apiVersion ${JSON.stringify(p.apiVersion)}, kind ${JSON.stringify(p.kind)}`,
      ...(file ? { file } : {}),
      fix: 'use apiVersion policies.kyverno.io/v1 (or v1beta1, v1alpha1) and kind ValidatingPolicy or NamespacedValidatingPolicy',
    });
  }
  const name = policy.metadata?.name;
  if (typeof name !== 'string' || name === '') {
    throw new LockstepError({ message: 'ValidatingPolicy has no metadata.name', ...(file ? { file } : {}), pointer: '/metadata/name', fix: 'give the policy a name' });
  }
  const where = `ValidatingPolicy ${name}`;
  const shape = checkPolicyShape(policy, where);
  if (shape.length > 0) throw new LockstepError(shape.map((p) => ({ ...p, ...(file ? { file } : {}) })));
  const spec = policy.spec ?? {};
  const problems: Problem[] = [];
  const units = [compileUnit(spec, undefined, where, problems), ...autogenVariants(spec).map((v) => compileUnit(v.spec, v.config, where, problems))];
  if (problems.length > 0) throw new LockstepError(problems.map((p) => ({ ...p, ...(file ? { file } : {}) })));
  const namespace = policy.kind === 'NamespacedValidatingPolicy' ? policy.metadata.namespace || 'default' : undefined;
  return {
    name,
    namespace,
    kind: policy.kind,
    actions: [...(spec.validationActions ?? [])],
    failurePolicy: spec.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
    units,
  };
}

function policyId(p: CompiledValidatingPolicy): string {
  return p.namespace ? `${p.namespace}/${p.name}` : p.name;
}

interface RequestData {
  readonly attributes: MatchAttributes;
  readonly activation: Record<string, unknown>;
}

function requestData(resource: PreparedResource, ctx: EvaluationContext): RequestData {
  const operation = ctx.operation ?? 'CREATE';
  const oldRaw = ctx.oldObject ?? null;
  const isDelete = operation === 'DELETE';
  const object = isDelete ? null : resource.cel;
  const oldObject = isDelete ? (oldRaw ? toCelValue(oldRaw) : resource.cel) : oldRaw ? toCelValue(oldRaw) : null;
  const ns = ctx.namespaceObject ?? null;
  const r = resource.apiResource;
  const namespace = resource.ref.namespace ?? '';
  const request = {
    operation,
    kind: { group: r.group, version: r.version, kind: r.kind },
    resource: { group: r.group, version: r.version, resource: r.resource },
    requestKind: { group: r.group, version: r.version, kind: r.kind },
    requestResource: { group: r.group, version: r.version, resource: r.resource },
    name: resource.ref.name,
    namespace,
    userInfo: toCelValue(ctx.userInfo ?? {}),
    dryRun: false,
  };
  return {
    attributes: {
      resource: r,
      subresource: '',
      operation,
      name: resource.ref.name,
      namespace,
      objectLabels: isDelete ? undefined : resource.labels,
      oldObjectLabels: isDelete ? resource.labels : oldRaw?.metadata?.labels,
      namespaceLabels: ns?.metadata?.labels,
    },
    activation: {
      object,
      oldObject,
      request,
      namespaceObject: r.namespaced && ns ? toCelValue(ns) : null,
      params: ctx.params === undefined ? null : toCelValue(ctx.params),
      authorizer: null,
    },
  };
}

const NO_CONTEXT: EvaluationContext = Object.freeze({});
const requestCache = new WeakMap<PreparedResource, WeakMap<EvaluationContext, RequestData>>();

/** Request data is the same for every policy evaluated on one resource and context; build it once. */
function cachedRequestData(resource: PreparedResource, ctx: EvaluationContext): RequestData {
  let byCtx = requestCache.get(resource);
  if (!byCtx) requestCache.set(resource, (byCtx = new WeakMap()));
  let data = byCtx.get(ctx);
  if (!data) byCtx.set(ctx, (data = requestData(resource, ctx)));
  return data;
}

/**
 * Lazily evaluated, memoised `variables` (Kyverno uses a lazy CEL map value). cel-js reads map fields
 * as own properties of plain objects, so the getters are defined once per compiled unit and read
 * the current evaluation's activation; `bind` starts a new evaluation (evaluation is synchronous).
 */
function lazyVariables(variables: CompiledUnit['variables']): LazyVariables {
  let activation: Record<string, unknown> = {};
  let generation = 0;
  const seen = new Array<number>(variables.length).fill(-1);
  const values = new Array<unknown>(variables.length);
  const failed = new Array<boolean>(variables.length).fill(false);
  const object: Record<string, unknown> = {};
  variables.forEach(({ name, program }, i) => {
    Object.defineProperty(object, name, {
      enumerable: true,
      get() {
        if (seen[i] !== generation) {
          seen[i] = generation;
          try {
            values[i] = program.evaluate(activation);
            failed[i] = false;
          } catch (error) {
            values[i] = error;
            failed[i] = true;
          }
        }
        if (failed[i]) throw values[i];
        return values[i];
      },
    });
  });
  return {
    bind(a) {
      activation = a;
      generation++;
      return object;
    },
  };
}

function evaluateUnit(policy: CompiledValidatingPolicy, unit: CompiledUnit, resource: PreparedResource, base: Record<string, unknown>): PolicyResult {
  const common = {
    policy: policyId(policy),
    resource: resource.ref,
    actions: policy.actions,
    ...(unit.autogen ? { autogen: unit.autogen } : {}),
  };
  const activation: Record<string, unknown> = {
    object: base.object,
    oldObject: base.oldObject,
    request: base.request,
    namespaceObject: base.namespaceObject,
    params: base.params,
    authorizer: null,
    variables: null,
  };
  const conditionErrors: string[] = [];
  for (const { name, program } of unit.matchConditions) {
    let out: unknown;
    try {
      out = program.evaluate(activation);
    } catch (error) {
      conditionErrors.push(`matchCondition ${name}: ${firstLine(error)}`);
      continue;
    }
    if (typeof out !== 'boolean') {
      conditionErrors.push(`matchCondition ${name}: expected a bool, got ${typeof out}`);
      continue;
    }
    if (!out) return { ...common, rule: 'matchConditions', result: 'skip', message: `match condition ${name} is false` };
  }
  if (conditionErrors.length > 0) {
    if (policy.failurePolicy === 'Ignore') return { ...common, rule: 'matchConditions', result: 'skip', message: conditionErrors.join('; ') };
    return { ...common, rule: 'evaluation', result: 'error', message: conditionErrors.join('; ') };
  }
  activation.variables = unit.lazy.bind(activation);
  for (let index = 0; index < unit.validations.length; index++) {
    const v = unit.validations[index]!;
    let out: unknown;
    try {
      out = v.program.evaluate(activation);
    } catch (error) {
      return { ...common, rule: 'validation', result: 'error', message: firstLine(error), validationIndex: index };
    }
    if (typeof out !== 'boolean') {
      return { ...common, rule: 'validation', result: 'error', message: `validation must evaluate to a bool, got ${typeof out}`, validationIndex: index };
    }
    if (!out) {
      let message = v.message ?? '';
      if (v.messageProgram) {
        try {
          const m = v.messageProgram.evaluate(activation);
          message = typeof m === 'string' ? m : `failed to convert message expression to string: got ${typeof m}`;
        } catch (error) {
          message = `failed to evaluate message expression: ${firstLine(error)}`;
        }
      }
      if (message === '') message = `CEL expression validation failed at index ${index}`;
      return { ...common, rule: 'validation', result: 'fail', message, validationIndex: index };
    }
  }
  return { ...common, rule: 'validation', result: 'pass' };
}

/**
 * Evaluates a compiled policy on one resource. Returns no result when the policy (and none of its
 * autogen variants) matches the resource, otherwise one result per matching unit.
 */
export function evaluateCompiledPolicy(policy: CompiledValidatingPolicy, resource: KubernetesObject | PreparedResource, ctx: EvaluationContext = NO_CONTEXT): PolicyResult[] {
  const prepared = 'cel' in resource && 'apiResource' in resource ? (resource as PreparedResource) : prepareResource(resource as KubernetesObject);
  if (policy.namespace !== undefined && prepared.ref.namespace !== policy.namespace) return [];
  const { attributes, activation } = cachedRequestData(prepared, ctx);
  const results: PolicyResult[] = [];
  for (const unit of policy.units) {
    if (!matchesConstraints(unit.matchConstraints, attributes)) continue;
    results.push(evaluateUnit(policy, unit, prepared, activation));
  }
  return results;
}

/** Compiles (when given a document) and evaluates a ValidatingPolicy on one resource. */
export function evaluateValidatingPolicy(
  policy: ValidatingPolicyDocument | CompiledValidatingPolicy,
  resource: KubernetesObject | PreparedResource,
  ctx: EvaluationContext = NO_CONTEXT,
): PolicyResult[] {
  const compiled = 'units' in policy ? policy : compileValidatingPolicy(policy);
  return evaluateCompiledPolicy(compiled, resource, ctx);
}
