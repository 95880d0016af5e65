/**
 * Field paths and field errors in the shape of k8s `apimachinery/pkg/util/validation/field`,
 * which kyverno-json prints (`PATH=spec.containers[0].image`, `Invalid value: …`).
 */

export class FieldPath {
  private constructor(private readonly text: string) {}

  static readonly root = new FieldPath('');

  /** `.child`, or `child` at the root. The raw key text is kept (`~.containers->c`). */
  child(name: string): FieldPath {
    return new FieldPath(this.text === '' ? name : `${this.text}.${name}`);
  }

  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }

  key(k: string): FieldPath {
    return new FieldPath(`${this.text}[${k}]`);
  }

  toString(): string {
    return this.text;
  }
}

/** k8s `field.ErrorType` strings as printed by kyverno-json. */
export type FieldErrorType = 'Required value' | 'Invalid value' | 'Internal error';

export interface FieldError {
  readonly type: FieldErrorType;
  /** Path inside the payload, e.g. `spec.containers[0].image`. */
  readonly field: string;
  /** The actual value found (absent for Required / Internal errors). */
  readonly value?: unknown;
  readonly detail: string;
}

export function requiredError(path: FieldPath, detail: string): FieldError {
  return { type: 'Required value', field: path.toString(), detail };
}

export function invalidError(path: FieldPath, value: unknown, detail: string): FieldError {
  return { type: 'Invalid value', field: path.toString(), value, detail };
}

/** Body text the way `field.Error.ErrorBody()` renders it. */
export function errorBody(e: FieldError): string {
  if (e.type === 'Invalid value') return `${e.type}: ${goValue(e.value)}: ${e.detail}`;
  return e.detail ? `${e.type}: ${e.detail}` : e.type;
}

/**
 * Thrown when evaluation cannot go on (k8s `field.InternalError` in kyverno-json): the whole rule
 * result becomes ERROR rather than FAIL.
 */
export class EvaluationError extends Error {
  readonly field: string;
  constructor(path: FieldPath, detail: string) {
    const field = path.toString();
    super(field === '' ? `Internal error: ${detail}` : `${field}: Internal error: ${detail}`);
    this.name = 'EvaluationError';
    this.field = field;
  }
}

/**
 * Approximates Go's `%v` for scalars and `%#v` for maps/slices, the forms kyverno-json uses in
 * error bodies. Map bodies are not meant to be compared byte for byte (see the reference).
 */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goValue).join(', ')}}`;
  const entries = Object.keys(v as Record<string, unknown>)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${goValue((v as Record<string, unknown>)[k])}`);
  return `map[string]interface {}{${entries.join(', ')}}`;
}

/** Go's `fmt.Sprint` for JSON values, used for the rule identifier. */
export function goSprint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goFloat(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`;
  const o = v as Record<string, unknown>;
  return `map[${Object.keys(o)
    .sort()
    .map((k) => `${k}:${goSprint(o[k])}`)
    .join(' ')}]`;
}

/** Go `%v` of a float64: shortest representation, exponent form from 1e21. */
function goFloat(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  // Go pads single-digit exponents: 1e-07, not 1e-7.
  return String(n).replace(/e([+-])(\d)$/, 'e$10$2');
}
