/**
 * The kyverno-json map-key grammar (`pkg/core/expression/expression.go`).
 *
 * A key (or string leaf) may carry, in this order: a foreach marker `~name.`, a binding `->name`,
 * backslash escaping `\text\`, and a compiler wrapper `(expr)` / `(jp;expr)` / `(cel;expr)`.
 * The regexes are ports of Go's RE2 ones; `.` must not match newlines, so no `s` flag.
 */

export type CompilerName = 'jp' | 'cel';

export interface KeyExpression {
  readonly foreach: boolean;
  /** `~index.` binds the element index (or map key) as `$index`. */
  readonly foreachName: string;
  /** What remains after the markers: a field name, a literal, or an expression. */
  readonly statement: string;
  /** `->name` binds the projected value as `$name` for descendants. */
  readonly binding: string;
  /** '' for a plain key or literal, 'default' for `(expr)`, otherwise the explicit prefix. */
  readonly compiler: '' | 'default' | string;
}

const FOREACH = /^~(\w+)?\.(.*)/;
const BINDING = /(.*)\s*->\s*(\w+)$/;
const ESCAPE = /^\\(.+)\\$/;
const COMPILER = /^\((?:(\w+);)?(.+)\)$/;

export function parseKeyExpression(input: string): KeyExpression {
  let rest = input;
  let foreach = false;
  let foreachName = '';
  let binding = '';
  let compiler = '';
  const f = FOREACH.exec(rest);
  if (f) {
    foreach = true;
    foreachName = f[1] ?? '';
    rest = f[2] ?? '';
  }
  const b = BINDING.exec(rest);
  if (b) {
    binding = b[2] ?? '';
    rest = b[1] ?? '';
  }
  const e = ESCAPE.exec(rest);
  if (e) {
    rest = e[1] ?? '';
  } else {
    const c = COMPILER.exec(rest);
    if (c) {
      compiler = c[1] ?? 'default';
      rest = c[2] ?? '';
    }
  }
  return { foreach, foreachName, statement: rest, binding, compiler };
}
