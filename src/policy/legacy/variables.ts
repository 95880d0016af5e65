/**
 * `{{ … }}` variable substitution, a port of Kyverno's `pkg/engine/variables/vars.go`:
 * - a string that is exactly one variable takes the variable's JSON value (any type, null included);
 * - otherwise each variable is replaced by its string value, or its JSON encoding for non-strings;
 * - substitution repeats until no variable is left (nested variables), then `\{{…}}` escapes lose
 *   their backslash;
 * - on DELETE requests `request.object` is read from `request.oldObject`;
 * - both map keys and leaves of a document are substituted.
 * `{{@}}` and `$(…)` references are rejected (not supported here), never guessed.
 */
import { queryContext } from './jmespath.ts';

const VARIABLES = /(^|[^\\])(\{\{(?:\{[^{}]*\}|[^{}])*\}\})/g;
const ESCAPED_VARIABLES = /\\\{\{(\{[^{}]*\}|[^{}])*\}\}/g;
const VARIABLE_INIT = /^\{\{(\{[^{}]*\}|[^{}])*\}\}/;
const REFERENCES = /^\$\(.[^ ]*\)|[^\\]\$\(.[^ ]*\)/;

export class VariableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VariableError';
  }
}

export function hasVariables(value: unknown): boolean {
  if (typeof value === 'string') return new RegExp(VARIABLES.source).test(value) || REFERENCES.test(value);
  if (Array.isArray(value)) return value.some(hasVariables);
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([k, v]) => hasVariables(k) || hasVariables(v));
  return false;
}

/** Go `json.Marshal`: map keys sorted, `<`, `>` and `&` escaped. */
export function goJson(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sorted(o[k])]));
    }
    return v;
  };
  return JSON.stringify(sorted(value) ?? null).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export interface SubstitutionContext {
  readonly data: unknown;
  readonly isDelete: boolean;
}

/** Substitutes the variables of one string; `path` names its place in the document for messages. */
export function substituteString(value: string, ctx: SubstitutionContext, path: string): unknown {
  if (REFERENCES.test(value)) throw new VariableError(`${path}: $(…) references are not supported (in ${JSON.stringify(value)}); use a {{ }} variable`);
  let current = value;
  let vars = current.match(VARIABLES);
  while (vars && vars.length > 0) {
    const original = current;
    for (const match of vars) {
      const initial = VARIABLE_INIT.test(match);
      const v = initial ? match : match.slice(1);
      const prefix = initial ? '' : match[0]!;
      let variable = v.replaceAll('{{', '').replaceAll('}}', '').trim();
      if (variable === '@') throw new VariableError(`${path}: the {{@}} variable is not supported`);
      if (ctx.isDelete) variable = variable.replaceAll('request.object', 'request.oldObject');
      let resolved: unknown;
      try {
        resolved = queryContext(variable, ctx.data);
      } catch (e) {
        throw new VariableError(`failed to resolve ${variable} at path ${path}: ${(e as Error).message}`);
      }
      if (original === v) return resolved;
      const text = typeof resolved === 'string' ? resolved : goJson(resolved);
      current = current.replace(prefix + v, prefix + text);
    }
    vars = current.match(VARIABLES);
  }
  return current.replace(ESCAPED_VARIABLES, (m) => m.slice(1));
}

/** Substitutes every variable in a JSON document (keys and leaves), returning a new document. */
export function substituteAll(doc: unknown, ctx: SubstitutionContext, path = ''): unknown {
  if (typeof doc === 'string') return substituteString(doc, ctx, path || '/');
  if (Array.isArray(doc)) return doc.map((d, i) => substituteAll(d, ctx, `${path}/${i}`));
  if (doc !== null && typeof doc === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(doc)) {
      const key = substituteString(k, ctx, `${path}/${k}`);
      out[typeof key === 'string' ? key : goJson(key)] = substituteAll(v, ctx, `${path}/${k}`);
    }
    return out;
  }
  return doc;
}
