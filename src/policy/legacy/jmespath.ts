/**
 * JMESPath for ClusterPolicies. Kyverno uses `kyverno/go-jmespath`, a fork of the *original*
 * JMESPath with Kyverno's function set; the installed community library accepts a superset, so
 * expressions using community-only syntax (`let`, `$` root, variables, arithmetic, ternary) or
 * functions Kyverno lacks are rejected at compile time instead of silently evaluating.
 * Evaluation reuses the Kyverno function table of `src/policy/json` (same Go semantics).
 */
import { Bindings } from '../json/bindings.ts';
import { compileJp, KyvernoJmesPath, type CompiledJp } from '../json/jmespath.ts';

const REJECTED_NODES: Readonly<Record<string, string>> = {
  LetExpression: 'let expressions',
  Variable: '$variables',
  Root: 'the $ root reference',
  Arithmetic: 'arithmetic operators',
  Unary: 'unary arithmetic',
  Ternary: 'the ternary operator',
};

/** Functions of the kyverno-json table or the Community spec that Kyverno's dialect does not have. */
const NOT_IN_KYVERNO = new Set(['at', 'concat', 'json_parse', 'wildcard', 'find_first', 'find_last', 'from_items', 'group_by', 'lower', 'upper', 'pad_left', 'pad_right', 'zip']);

export class JmesPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JmesPathError';
  }
}

function walk(node: unknown, visit: (n: { type?: string; name?: string }) => void): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
    return;
  }
  const n = node as { type?: string; name?: string };
  visit(n);
  if (n.type === 'Literal') return;
  for (const v of Object.values(n)) if (typeof v === 'object') walk(v, visit);
}

const cache = new Map<string, CompiledJp>();

/** Compiles (and caches) an expression in Kyverno's dialect; throws JmesPathError naming the problem. */
export function compileKyvernoJp(source: string): CompiledJp {
  const hit = cache.get(source);
  if (hit) return hit;
  let compiled: CompiledJp;
  try {
    compiled = compileJp(source);
  } catch (e) {
    throw new JmesPathError((e as Error).message);
  }
  walk(compiled.ast, (n) => {
    const what = n.type !== undefined ? REJECTED_NODES[n.type] : undefined;
    if (what) throw new JmesPathError(`JMESPath expression ${JSON.stringify(source)} uses ${what}, which Kyverno's JMESPath dialect does not support`);
    if (n.type === 'Function' && n.name !== undefined && NOT_IN_KYVERNO.has(n.name)) {
      throw new JmesPathError(`JMESPath function ${n.name}() in ${JSON.stringify(source)} is not a Kyverno function`);
    }
  });
  cache.set(source, compiled);
  return compiled;
}

/** One interpreter per process: the function table has no clock, so time_now*() fail (determinism). */
const interpreter = new KyvernoJmesPath({});

/** Evaluates `source` against the context document; a missing path gives null. */
export function queryContext(source: string, context: unknown): unknown {
  const compiled = compileKyvernoJp(source);
  try {
    return interpreter.evaluate(compiled, context, Bindings.empty);
  } catch (e) {
    throw new JmesPathError(`JMESPath query ${JSON.stringify(source)} failed: ${(e as Error).message}`);
  }
}
