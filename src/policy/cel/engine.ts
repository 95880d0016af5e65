/**
 * The CEL engine: one cel-js environment configured like Kyverno's, and `compileCel`, which turns an
 * expression into a reusable program (parsed and type-checked once, evaluated many times).
 *
 * ## Library choice (measured ad hoc on Node 20, one dev machine)
 *
 * Measured on the 41 CEL expressions (variables + validations) of the 16 pod-security-vpol
 * policies in kyverno/policies, evaluated on a restricted-compliant Pod with two containers:
 *
 * | library                        | parse OK | evaluate OK | evals/s, object-touching exprs | evals/s, median of all |
 * |--------------------------------|---------:|------------:|-------------------------------:|-----------------------:|
 * | `@marcbachmann/cel-js@8.0.0`   | 41/41    | 41/41       | 2.1M–6.7M                      | 1.9M                   |
 * | `@bufbuild/cel@0.6.1`          | 6/41     | 6/41        | 0.28M–0.30M                    | n/a (35 do not parse)  |
 *
 * - `@bufbuild/cel` rejects the optional syntax used by 15 of the 16 policies (`object.spec.?x`
 *   → "found . but expecting end of input"). The 6 expressions it parses are list literals plus
 *   `!(variables.hostNetwork || …)` and restrict-volume-types (`!has(object.spec.volumes) || …`).
 *   On those two, which read the object, it ran at ~0.3M evals/s against cel-js's 6.7M and 2.1M,
 *   because it converts the JS input into CEL values on every run.
 * - `@marcbachmann/cel-js` parses everything, has optional types, `cel.bind`, and CEL's
 *   commutative error absorption in `||`/`&&`. So we use it.
 *
 * ## What we add on top of cel-js
 * - Kubernetes and cel-go extension functions (libraries.ts).
 * - Kyverno's `orValue` compatibility: `X.orValue(d)` on a non-optional `X` returns `X`
 *   (Kyverno registers a compatibility macro; cel-go ≥0.28 and cel-js would raise an error).
 *   pod-security-vpol `disallow-capabilities-strict` depends on it. We patch the parsed `orValue`
 *   macro nodes of each program, so the rest of cel-js's optional support is untouched.
 * - Features of Kyverno's environment that we do not implement are rejected at compile time, with
 *   an error naming the function or library (`UNSUPPORTED_FUNCTIONS`), instead of guessing.
 *
 * Known divergences: regular expressions are JavaScript, not RE2; `string.format` is unsupported.
 */
import { Environment, Optional } from '@marcbachmann/cel-js';
import type { ASTNode } from '@marcbachmann/cel-js';
import { registerKubernetesLibraries } from './libraries.ts';

/** Variables a ValidatingPolicy expression may reference (Kyverno's compiler declares the same). */
export const CEL_VARIABLES = ['object', 'oldObject', 'request', 'namespaceObject', 'params', 'variables', 'authorizer'] as const;

/** Kyverno/Kubernetes functions we deliberately do not implement, with the library they belong to. */
export const UNSUPPORTED_FUNCTIONS: Readonly<Record<string, string>> = {
  url: 'Kubernetes URL library',
  isURL: 'Kubernetes URL library',
  ip: 'Kubernetes IP library',
  isIP: 'Kubernetes IP library',
  cidr: 'Kubernetes CIDR library',
  isCIDR: 'Kubernetes CIDR library',
  semver: 'Kubernetes semver library',
  isSemver: 'Kubernetes semver library',
  format: 'cel-go strings extension (string.format)',
  image: 'Kyverno image library',
  parseImageReference: 'Kyverno image library',
  parseServiceAccount: 'Kyverno user library',
  'resource.Get': 'Kyverno resource library (needs a cluster)',
  'resource.List': 'Kyverno resource library (needs a cluster)',
  'resource.GetMetadata': 'Kyverno resource library (needs a cluster)',
  'resource.PostAndGet': 'Kyverno resource library (needs a cluster)',
  'http.Get': 'Kyverno http library (needs the network)',
  'http.Post': 'Kyverno http library (needs the network)',
  'http.Client': 'Kyverno http library (needs the network)',
  'globalContext.Get': 'Kyverno global context library (needs a cluster)',
  'imagedata.Get': 'Kyverno image data library (needs a registry)',
  'image.GetMetadata': 'Kyverno image data library (needs a registry)',
  'json.unmarshal': 'Kyverno json library',
  'yaml.parse': 'Kyverno yaml library',
  'x509.decode': 'Kyverno x509 library',
  'authorizer.group': 'Kubernetes authorizer library',
  'authorizer.serviceAccount': 'Kubernetes authorizer library',
};

/** A compiled CEL expression. `evaluate` throws the cel-js error when evaluation fails. */
export interface CelProgram {
  readonly source: string;
  evaluate(activation: Readonly<Record<string, unknown>>): unknown;
}

/** Raised when an expression does not compile; `where` says which policy field it came from. */
export class CelCompileError extends Error {
  constructor(
    readonly where: string,
    readonly source: string,
    readonly reason: string,
  ) {
    super(`${where}: ${reason}; expression: ${JSON.stringify(source.trim())}`);
    this.name = 'CelCompileError';
  }
}

let sharedEnvironment: Environment | undefined;

/** The environment every policy expression compiles in (created once, then frozen by cel-js). */
export function kyvernoCelEnvironment(): Environment {
  if (sharedEnvironment) return sharedEnvironment;
  const env = new Environment({
    enableOptionalTypes: true,
    unlistedVariablesAreDyn: false,
    // Kubernetes objects mix value types in lists (e.g. ports); Kyverno's env enables
    // HomogeneousAggregateLiterals only for literals, which the policies do not rely on.
    homogeneousAggregateLiterals: false,
  });
  for (const name of CEL_VARIABLES) env.registerVariable(name, 'dyn');
  registerKubernetesLibraries(env);
  sharedEnvironment = env;
  return env;
}

type AnyNode = ASTNode & { readonly meta: Record<string, any> };

function isNode(x: unknown): x is AnyNode {
  return typeof x === 'object' && x !== null && 'op' in x && 'args' in x && 'meta' in x;
}

function walk(node: unknown, visit: (n: AnyNode) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit);
    return;
  }
  if (!isNode(node)) return;
  visit(node);
  walk(node.args, visit);
}

/** The dotted name of a call node: `quantity`, or `resource.Get` for a call on a bare identifier. */
function callName(node: AnyNode): string | undefined {
  if (node.op === 'call') return (node.args as [string, unknown])[0];
  if (node.op === 'rcall') {
    const [name, receiver] = node.args as [string, AnyNode, unknown];
    if (isNode(receiver) && receiver.op === 'id') return `${receiver.args as string}.${name}`;
    return name;
  }
  return undefined;
}

function findUnsupported(root: unknown): string | undefined {
  let found: string | undefined;
  walk(root, (node) => {
    if (found) return;
    const name = callName(node);
    if (name === undefined) return;
    const method = node.op === 'rcall' ? (node.args as unknown as [string])[0] : name;
    if (name in UNSUPPORTED_FUNCTIONS) found = `CEL function '${name}' (${UNSUPPORTED_FUNCTIONS[name]}) is not supported by Lockstep's CEL evaluator`;
    else if (method in UNSUPPORTED_FUNCTIONS && node.op === 'rcall') found = `CEL function '${method}' (${UNSUPPORTED_FUNCTIONS[method]}) is not supported by Lockstep's CEL evaluator`;
  });
  return found;
}

interface OptionalLike {
  hasValue(): boolean;
  value(): unknown;
}

/**
 * Kyverno's `orValue` compatibility: rewrite each parsed `orValue` macro so a non-optional
 * receiver is returned as is. Optional receivers keep CEL semantics.
 */
function applyOrValueCompat(root: unknown): void {
  walk(root, (node) => {
    if (node.op !== 'rcall' || (node.args as unknown as [string])[0] !== 'orValue') return;
    const macro = node.meta.macro as Record<string, any> | undefined;
    if (!macro) return;
    macro.evaluate = (ev: any, m: any, ctx: any) => {
      const v = ev.run(m.receiver, ctx);
      if (v instanceof Optional) {
        const o = v as unknown as OptionalLike;
        return o.hasValue() ? o.value() : ev.run(m.arg, ctx);
      }
      return v;
    };
    macro.typeCheck = (chk: any, m: any, ctx: any) => {
      chk.check(m.receiver, ctx);
      chk.check(m.arg, ctx);
      m.ast.setMeta('async', false);
      return chk.getType('dyn');
    };
  });
}

/**
 * Parses and type-checks `source` once. Throws `CelCompileError` naming `where` when the expression
 * does not parse, uses an unsupported function, or does not type-check.
 */
export function compileCel(source: string, where: string): CelProgram {
  const env = kyvernoCelEnvironment();
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = env.parse(source);
  } catch (error) {
    throw new CelCompileError(where, source, `CEL expression does not parse: ${firstLine(error)}`);
  }
  const unsupported = findUnsupported(parsed.ast);
  if (unsupported) throw new CelCompileError(where, source, unsupported);
  applyOrValueCompat(parsed.ast);
  const checked = parsed.check();
  if (!checked.valid) {
    throw new CelCompileError(where, source, `CEL expression does not type-check: ${firstLine(checked.error)}`);
  }
  return { source, evaluate: (activation) => parsed(activation as Record<string, unknown>) };
}

export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
