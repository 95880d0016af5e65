/**
 * Scalar pattern matching, a port of Kyverno's `pkg/engine/pattern/pattern.go` and
 * `pkg/engine/operator/operator.go`:
 * - `a | b` (OR) and `a & b` (AND), each part trimmed;
 * - operators `>`, `>=`, `<`, `<=`, `!` and ranges `1-10` / `1!-10` (numbers with an optional unit);
 * - each comparison tries a Go duration, then a Kubernetes quantity, then a wildcard string match
 *   (`*`, `?`); `>`/`<` never apply to plain strings;
 * - typed patterns: a number matches numbers and numeric strings, `null` matches `0`, `""`, `false`
 *   and null, a boolean matches only the same boolean.
 * JSON numbers: an integral value stands for Go's int64, any other for float64, as in unstructured
 * Kubernetes objects.
 */
import { Quantity } from '../cel/quantity.ts';
import { parseGoDuration } from '../json/functions/go-time.ts';
import { wildcardMatch } from '../json/functions/wildcard.ts';
import { formatFloatE, formatFloatF } from './go-format.ts';

export type StringOperator = '' | '>=' | '<=' | '!' | '>' | '<' | '-' | '!-';

const IN_RANGE = /^([-|+]?\d+(?:\.\d+)?[A-Za-z]*)-([-|+]?\d+(?:\.\d+)?[A-Za-z]*)$/;
const NOT_IN_RANGE = /^([-|+]?\d+(?:\.\d+)?[A-Za-z]*)!-([-|+]?\d+(?:\.\d+)?[A-Za-z]*)$/;
/** Go `strconv.ParseFloat` accepts decimal and exponent forms, and Inf/NaN spellings. */
const GO_FLOAT = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan)$/i;
const GO_INT = /^[+-]?\d+$/;

/** `operator.GetOperatorFromStringPattern`. */
export function operatorOf(pattern: string): StringOperator {
  if (pattern.length < 2) return '';
  for (const op of ['>=', '<=', '>', '<', '!'] as const) if (pattern.startsWith(op)) return op;
  if (NOT_IN_RANGE.test(pattern)) return '!-';
  if (IN_RANGE.test(pattern)) return '-';
  return '';
}

export function parseGoFloat(s: string): number | undefined {
  if (!GO_FLOAT.test(s)) return undefined;
  const lower = s.toLowerCase().replace(/^\+/, '');
  if (lower.endsWith('inf') || lower.endsWith('infinity')) return lower.startsWith('-') ? -Infinity : Infinity;
  if (lower === 'nan' || lower === '-nan') return NaN;
  return Number(s);
}

export function parseGoInt(s: string): number | undefined {
  return GO_INT.test(s) ? Number(s) : undefined;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `pattern.Validate(value, pattern)`. */
export function matchValue(value: unknown, pattern: unknown): boolean {
  if (typeof pattern === 'boolean') return typeof value === 'boolean' && value === pattern;
  if (typeof pattern === 'number') return matchNumberPattern(value, pattern);
  if (pattern === null || pattern === undefined) return matchNilPattern(value);
  if (typeof pattern === 'string') return matchStringPatterns(value, pattern);
  if (Array.isArray(pattern)) return false;
  if (isMap(pattern)) return isMap(value);
  return false;
}

// Kyverno decodes policies through JSON, so numeric patterns are float64 (`validateFloatPattern`).
function matchNumberPattern(value: unknown, pattern: number): boolean {
  if (typeof value === 'number') return value === pattern;
  if (typeof value === 'string') {
    const f = parseGoFloat(value);
    return f !== undefined && f === pattern;
  }
  return false;
}

function matchNilPattern(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'number') return value === 0;
  if (typeof value === 'string') return value === '';
  if (typeof value === 'boolean') return !value;
  return false;
}

function matchStringPatterns(value: unknown, pattern: string): boolean {
  if (value === pattern) return true;
  return pattern.split('|').some((alt) => alt.trim().split('&').every((part) => matchStringPattern(value, part.trim())));
}

function matchStringPattern(value: unknown, pattern: string): boolean {
  const op = operatorOf(pattern);
  if (op === '-') {
    const m = IN_RANGE.exec(pattern);
    return !!m && matchStringPattern(value, `>= ${m[1]}`) && matchStringPattern(value, `<= ${m[2]}`);
  }
  if (op === '!-') {
    const m = NOT_IN_RANGE.exec(pattern);
    return !!m && (matchStringPattern(value, `< ${m[1]}`) || matchStringPattern(value, `> ${m[2]}`));
  }
  return compareWith(value, pattern.slice(op.length).trim(), op);
}

/** `convertNumberToString`: null is "0"; float64 prints with `%f`. */
function numberToString(value: unknown): string | undefined {
  if (value === null || value === undefined) return '0';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : formatFloatF(value);
  return undefined;
}

function compareOrdered(cmp: number, op: StringOperator): boolean | undefined {
  switch (op) {
    case '':
      return cmp === 0;
    case '!':
      return cmp !== 0;
    case '>':
      return cmp > 0;
    case '<':
      return cmp < 0;
    case '>=':
      return cmp >= 0;
    case '<=':
      return cmp <= 0;
    default:
      return undefined;
  }
}

function tryDuration(s: string): bigint | undefined {
  try {
    return parseGoDuration(s);
  } catch {
    return undefined;
  }
}

function compareWith(value: unknown, pattern: string, op: StringOperator): boolean {
  const text = numberToString(value);
  const pd = tryDuration(pattern);
  if (pd !== undefined && text !== undefined) {
    const vd = tryDuration(text);
    if (vd !== undefined) {
      const r = compareOrdered(vd === pd ? 0 : vd < pd ? -1 : 1, op);
      if (r !== undefined) return r;
    }
  }
  const pq = Quantity.tryParse(pattern);
  if (pq && text !== undefined) {
    const vq = Quantity.tryParse(text);
    if (vq) {
      const r = compareOrdered(Number(vq.compareTo(pq)), op);
      if (r !== undefined) return r;
    }
  }
  return compareString(value, pattern, op);
}

function compareString(value: unknown, pattern: string, op: StringOperator): boolean {
  if (op !== '' && op !== '!') return false;
  let s: string;
  if (typeof value === 'string') s = value;
  else if (typeof value === 'boolean') s = String(value);
  else if (typeof value === 'number') s = Number.isInteger(value) ? String(value) : formatFloatE(value);
  else return false;
  const matched = wildcardMatch(pattern, s);
  return op === '!' ? !matched : matched;
}
