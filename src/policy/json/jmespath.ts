/**
 * JMESPath (Community dialect) with the kyverno-json function table.
 *
 * `@jmespath-community/jmespath` keeps custom functions in a module-global registry; to avoid
 * leaking Kyverno's overrides (`split`, `replace`, `contains`…) into other users of the library,
 * each runtime gets a private interpreter instance with its own function table.
 *
 * The library has no parameter for caller-supplied variables (`search()` resets the scope), and its
 * scope chain mis-resolves falsy outer variables. Bindings are therefore substituted into the AST
 * as literals before evaluation, respecting `let` shadowing.
 */
import {
  TreeInterpreter,
  TYPE_ANY,
  compile as jpCompile,
  type JSONValue,
} from '@jmespath-community/jmespath';
import type { Bindings } from './bindings.ts';
import { kyvernoFunctions, UNSUPPORTED_FUNCTIONS, type FunctionContext } from './functions/kyverno.ts';

type Interpreter = typeof TreeInterpreter;
/** The library does not export its AST node type; this is the same union. */
export type ExpressionNode = ReturnType<typeof jpCompile>;
type LetNode = Extract<ExpressionNode, { type: 'LetExpression' }>;
const InterpreterClass = (TreeInterpreter as unknown as { constructor: new () => Interpreter }).constructor;

/** A parsed expression plus the variables and functions it references. */
export interface CompiledJp {
  readonly source: string;
  readonly ast: ExpressionNode;
  readonly variables: ReadonlySet<string>;
  readonly functions: ReadonlySet<string>;
}

const KNOWN_FUNCTIONS: ReadonlySet<string> = new Set([
  ...new InterpreterClass().runtime.getRegistered(),
  ...kyvernoFunctions({}).map((f) => f.name),
]);

/** Why an expression cannot be compiled: a syntax error or a function this evaluator lacks. */
export class JpCompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JpCompileError';
  }
}

/** Parses `source` and checks that every function it calls exists here. */
export function compileJp(source: string): CompiledJp {
  let ast: ExpressionNode;
  try {
    ast = jpCompile(source);
  } catch (e) {
    throw new JpCompileError(`invalid JMESPath expression ${JSON.stringify(source)}: ${(e as Error).message}`);
  }
  const variables = new Set<string>();
  const functions = new Set<string>();
  walk(ast, (node) => {
    if (node.type === 'Variable') variables.add(node.name);
    if (node.type === 'Function') functions.add(node.name);
  });
  for (const name of functions) {
    const reason = UNSUPPORTED_FUNCTIONS[name];
    if (reason !== undefined) {
      throw new JpCompileError(`JMESPath function ${name}() in ${JSON.stringify(source)} is not supported: ${reason}`);
    }
    if (!KNOWN_FUNCTIONS.has(name)) {
      throw new JpCompileError(
        `unknown JMESPath function ${name}() in ${JSON.stringify(source)}; kyverno-json knows the JMESPath Community built-ins, at/concat/json_parse/wildcard and the Kyverno functions`,
      );
    }
  }
  return { source, ast, variables, functions };
}

function walk(node: unknown, visit: (n: ExpressionNode) => void): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    node.forEach((n) => walk(n, visit));
    return;
  }
  const n = node as ExpressionNode;
  visit(n);
  if (n.type === 'Literal') return;
  for (const value of Object.values(n)) if (typeof value === 'object') walk(value, visit);
}

/** Replaces free `$name` references with literal values; names bound by `let` stay variables. */
function substitute(node: ExpressionNode, values: ReadonlyMap<string, unknown>): ExpressionNode {
  if (values.size === 0) return node;
  const rec = (n: unknown, scope: ReadonlyMap<string, unknown>): unknown => {
    if (n === null || typeof n !== 'object') return n;
    if (Array.isArray(n)) return n.map((x) => rec(x, scope));
    const e = n as ExpressionNode;
    if (e.type === 'Literal') return e;
    if (e.type === 'Variable') {
      return scope.has(e.name) ? { type: 'Literal', value: scope.get(e.name) as JSONValue } : e;
    }
    if (e.type === 'LetExpression') {
      const let_ = e as LetNode;
      const inner = new Map(scope);
      for (const b of let_.bindings) inner.delete(b.variable);
      return {
        type: 'LetExpression',
        bindings: let_.bindings.map((b) => ({ ...b, reference: rec(b.reference, scope) })),
        expression: rec(let_.expression, inner),
      };
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(e)) out[k] = rec(v, scope);
    return out;
  };
  return rec(node, values) as ExpressionNode;
}

/** An interpreter with the kyverno-json function table; create one per scan. */
export class KyvernoJmesPath {
  private readonly interpreter: Interpreter;

  constructor(context: FunctionContext = {}) {
    this.interpreter = new InterpreterClass();
    for (const spec of kyvernoFunctions(context)) {
      // Argument checks happen inside fn, with Kyverno-style messages; the library only sees "any".
      this.interpreter.runtime.registerFunction(
        spec.name,
        (args) => spec.fn(args as unknown[]) as JSONValue,
        spec.args.map(() => ({ types: [TYPE_ANY] })),
        { override: true },
      );
    }
  }

  /** Evaluates with `value` as both `@` and `$`; `$name` variables come from `bindings`. */
  evaluate(compiled: CompiledJp, value: unknown, bindings: Bindings): unknown {
    const values = new Map<string, unknown>();
    for (const name of compiled.variables) if (bindings.has(name)) values.set(name, bindings.resolve(name));
    const result = this.interpreter.search(substitute(compiled.ast, values), (value ?? null) as JSONValue);
    return result === undefined ? null : result;
  }
}
