/**
 * Assertion trees (`pkg/core/assertion`): any YAML value compiled into a node that walks the
 * payload alongside it.
 *
 * - map: each key projects the current value (plain key lookup or `(expression)`), optionally
 *   binds it (`->name`) for descendants and iterates it (`~name.`); `{}` only asserts non-null;
 * - array: lengths must match, then elements are compared in order;
 * - leaf: a literal or `(expression)` giving the expected value, compared with `matchValue`.
 *
 * Violations are returned as field errors; conditions that make the result meaningless (type
 * errors, failing expressions) throw `EvaluationError`, which turns the rule into ERROR.
 */
import type { Bindings } from './bindings.ts';
import { compileCel, type CompiledCel } from './cel.ts';
import { parseKeyExpression, type CompilerName } from './expression.ts';
import { EvaluationError, FieldPath, invalidError, requiredError, type FieldError, goValue } from './field-path.ts';
import { jsonType } from './functions/kyverno.ts';
import { compileJp, type CompiledJp, type KyvernoJmesPath } from './jmespath.ts';
import { matchValue } from './matching.ts';

export interface Runtime {
  readonly jp: KyvernoJmesPath;
}

export type Program = { readonly kind: 'jp'; readonly jp: CompiledJp } | { readonly kind: 'cel'; readonly cel: CompiledCel };

/** A problem found while compiling, located by JSON pointer inside the policy document. */
export interface CompileProblem {
  readonly pointer: string;
  readonly message: string;
}

export interface TreeNode {
  assert(path: FieldPath, value: unknown, bindings: Bindings, rt: Runtime): FieldError[];
}

/** A value that is either a literal or an expression (`Any` in the kyverno-json API). */
export type ValueHandler = (value: unknown, bindings: Bindings, rt: Runtime) => unknown;

export function runProgram(program: Program, value: unknown, bindings: Bindings, rt: Runtime): unknown {
  return program.kind === 'jp' ? rt.jp.evaluate(program.jp, value, bindings) : program.cel.run(value, bindings);
}

export function compileProgram(statement: string, compiler: CompilerName): Program {
  return compiler === 'cel' ? { kind: 'cel', cel: compileCel(statement) } : { kind: 'jp', jp: compileJp(statement) };
}

export function pointerChild(pointer: string, key: string | number): string {
  return `${pointer}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function resolveCompiler(prefix: string, current: CompilerName, pointer: string, problems: CompileProblem[]): CompilerName {
  if (prefix === 'default') return current;
  if (prefix === 'jp' || prefix === 'cel') return prefix;
  problems.push({ pointer, message: `unknown compiler ${JSON.stringify(prefix)}; use (jp;…) or (cel;…)` });
  return current;
}

function tryCompile(statement: string, compiler: CompilerName, pointer: string, problems: CompileProblem[]): Program | undefined {
  try {
    return compileProgram(statement, compiler);
  } catch (e) {
    problems.push({ pointer, message: (e as Error).message });
    return undefined;
  }
}

/** Compiles a leaf or context value: a literal, or a string `(expression)` evaluated on use. */
export function compileValue(value: unknown, compiler: CompilerName, pointer: string, problems: CompileProblem[]): ValueHandler {
  if (typeof value !== 'string') return () => value;
  const expr = parseKeyExpression(value);
  if (expr.foreach) problems.push({ pointer, message: `foreach (~) is not supported on a value, got ${JSON.stringify(value)}` });
  if (expr.binding) problems.push({ pointer, message: `binding (->) is not supported on a value, got ${JSON.stringify(value)}` });
  if (expr.compiler === '') return () => expr.statement;
  const program = tryCompile(expr.statement, resolveCompiler(expr.compiler, compiler, pointer, problems), pointer, problems);
  return (v, bindings, rt) => (program ? runProgram(program, v, bindings, rt) : null);
}

export function compileTree(tree: unknown, compiler: CompilerName, pointer: string, problems: CompileProblem[]): TreeNode {
  if (Array.isArray(tree)) return compileSlice(tree, compiler, pointer, problems);
  if (jsonType(tree) === 'object') return compileMap(tree as Record<string, unknown>, compiler, pointer, problems);
  return compileLeaf(tree, compiler, pointer, problems);
}

function compileSlice(tree: unknown[], compiler: CompilerName, pointer: string, problems: CompileProblem[]): TreeNode {
  const items = tree.map((t, i) => compileTree(t, compiler, pointerChild(pointer, i), problems));
  return {
    assert(path, value, bindings, rt) {
      if (value === null || value === undefined) return [invalidError(path, null, 'value is null')];
      if (!Array.isArray(value)) throw new EvaluationError(path, `expected a slice, got ${goValue(value)}`);
      if (value.length !== items.length) return [invalidError(path, value, "lengths of slices don't match")];
      return items.flatMap((item, i) => item.assert(path.index(i), value[i], bindings, rt));
    },
  };
}

interface MapEntry {
  readonly key: string;
  readonly foreach: boolean;
  readonly foreachName: string;
  readonly binding: string;
  /** Returns undefined when a plain key is absent (a `Required` violation). */
  readonly project: (value: unknown, bindings: Bindings, rt: Runtime) => { value: unknown } | undefined;
  readonly child: TreeNode;
}

function compileMap(tree: Record<string, unknown>, compiler: CompilerName, pointer: string, problems: CompileProblem[]): TreeNode {
  const entries: MapEntry[] = Object.entries(tree).map(([key, sub]) => {
    const at = pointerChild(pointer, key);
    const expr = parseKeyExpression(key);
    let project: MapEntry['project'];
    if (expr.compiler === '') {
      const field = expr.statement;
      project = (value) => {
        if (value === null || value === undefined) return undefined;
        if (jsonType(value) !== 'object') throw new Error('projection not recognized');
        const obj = value as Record<string, unknown>;
        return Object.hasOwn(obj, field) ? { value: obj[field] } : undefined;
      };
    } else {
      const program = tryCompile(expr.statement, resolveCompiler(expr.compiler, compiler, at, problems), at, problems);
      project = (value, bindings, rt) => ({ value: program ? runProgram(program, value, bindings, rt) : null });
    }
    return {
      key,
      foreach: expr.foreach,
      foreachName: expr.foreachName,
      binding: expr.binding,
      project,
      child: compileTree(sub, compiler, at, problems),
    };
  });
  return {
    assert(path, value, bindings, rt) {
      if (entries.length === 0) {
        return value === null || value === undefined ? [invalidError(path, null, 'invalid value, must not be null')] : [];
      }
      const errors: FieldError[] = [];
      for (const entry of entries) {
        const at = path.child(entry.key);
        let projected: { value: unknown } | undefined;
        try {
          projected = entry.project(value, bindings, rt);
        } catch (e) {
          throw e instanceof EvaluationError ? e : new EvaluationError(at, (e as Error).message);
        }
        if (projected === undefined) {
          errors.push(requiredError(at, 'field not found in the input object'));
          continue;
        }
        // Descendants only: Go leaks the binding into later siblings, which the docs call a bug.
        const scoped = entry.binding ? bindings.with(entry.binding, projected.value) : bindings;
        if (!entry.foreach) {
          errors.push(...entry.child.assert(at, projected.value, scoped, rt));
          continue;
        }
        const p = projected.value;
        if (Array.isArray(p)) {
          p.forEach((item, i) => {
            const b = entry.foreachName ? scoped.with(entry.foreachName, i) : scoped;
            errors.push(...entry.child.assert(at.index(i), item, b, rt));
          });
        } else if (jsonType(p) === 'object') {
          // Go iterates maps in random order; sorted keys keep output deterministic.
          const obj = p as Record<string, unknown>;
          for (const k of Object.keys(obj).sort()) {
            const b = entry.foreachName ? scoped.with(entry.foreachName, k) : scoped;
            errors.push(...entry.child.assert(at.key(k), obj[k], b, rt));
          }
        } else {
          throw new EvaluationError(at, `expected a slice or a map, got ${goValue(p)}`);
        }
      }
      return errors;
    },
  };
}

function compileLeaf(tree: unknown, compiler: CompilerName, pointer: string, problems: CompileProblem[]): TreeNode {
  const expected = compileValue(tree, compiler, pointer, problems);
  return {
    assert(path, value, bindings, rt) {
      let want: unknown;
      let ok: boolean;
      try {
        want = expected(value, bindings, rt);
        ok = matchValue(want, value);
      } catch (e) {
        throw e instanceof EvaluationError ? e : new EvaluationError(path, (e as Error).message);
      }
      return ok ? [] : [invalidError(path, value ?? null, `Expected value: ${goValue(want)}`)];
    },
  };
}
