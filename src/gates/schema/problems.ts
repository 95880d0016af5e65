/**
 * Turns ajv errors into Lockstep problems: what is wrong, the JSON pointer, the value received, and a fix.
 */
import type { ErrorObject } from 'ajv';
import type { Problem } from '../../util/errors.ts';
import { closest } from './closest.ts';

export interface ProblemContext {
  /** e.g. `Deployment prod/web`; starts every message so a list of problems reads on its own. */
  readonly identity: string;
  /** Custom resources are pruned by the API server; built-ins are rejected or pruned. */
  readonly origin: 'builtin' | 'crd' | 'registered';
  readonly constructPath?: string;
  readonly file?: string;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A short JSON rendering of a received value, for messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function typeName(type: unknown): string {
  const list = Array.isArray(type) ? type : [type];
  if (list.includes('integer') && list.includes('string')) return 'an integer or a string';
  if (list.includes('string') && list.includes('number')) return 'a quantity (a string like "500m" or a number)';
  const names: Record<string, string> = {
    integer: 'an integer', number: 'a number', string: 'a string', boolean: 'a boolean (true or false)',
    array: 'a list', object: 'a mapping', null: 'null',
  };
  return list.map((t) => names[String(t)] ?? String(t)).join(' or ');
}

function typeFix(type: unknown, value: unknown): string {
  const list = Array.isArray(type) ? type : [type];
  if (list.includes('integer') || list.includes('number')) {
    if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return `write ${value} without quotes`;
    return list.includes('integer') ? 'use a whole number, e.g. 3' : 'use a number, e.g. 0.5';
  }
  if (list.includes('string')) return typeof value === 'number' || typeof value === 'boolean' ? `quote it: "${String(value)}"` : 'use a string';
  if (list.includes('boolean')) return 'use true or false without quotes';
  if (list.includes('array')) return 'use a list (YAML "- item" entries)';
  if (list.includes('object')) return 'use a mapping of field names to values';
  return `use ${typeName(type)}`;
}

const FORMAT_HELP: Record<string, { what: string; fix: string }> = {
  int32: { what: 'a 32-bit integer (-2147483648..2147483647)', fix: 'use a smaller number' },
  int64: { what: 'a 64-bit integer', fix: 'use a smaller number' },
  byte: { what: 'base64-encoded data', fix: 'base64-encode the value (for a Secret, or put plain text under stringData)' },
  'date-time': { what: 'an RFC 3339 timestamp', fix: 'use a time like "2024-01-31T12:00:00Z"' },
  quantity: { what: 'a Kubernetes quantity', fix: 'use a quantity like "250m", "1", "512Mi" or "2Gi"' },
};

export function toProblem(error: ErrorObject, context: ProblemContext): Problem {
  const base = {
    ...(context.constructPath ? { constructPath: context.constructPath } : {}),
    ...(context.file ? { file: context.file } : {}),
  };
  const at = error.instancePath;
  const prefix = `${context.identity}: `;

  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String((error.params as { additionalProperty: string }).additionalProperty);
      const pointer = `${at}/${escapePointer(field)}`;
      const value = (error.data as Record<string, unknown> | undefined)?.[field];
      const known = Object.keys(((error.parentSchema as { properties?: object } | undefined)?.properties ?? {}));
      if (at === '' && field === 'status') {
        return {
          ...base, pointer, code: 'schema/unknown-field',
          message: `${prefix}"status" is written by the cluster and does not belong in a manifest`,
          fix: 'remove status',
        };
      }
      const consequence =
        context.origin === 'crd'
          ? 'the API server would prune it silently, so the setting would be lost'
          : context.origin === 'builtin'
            ? 'the API server rejects it under strict field validation and otherwise drops it silently'
            : 'it is not in the registered schema';
      const suggestion = closest(field, known);
      const fix = suggestion
        ? `did you mean "${suggestion}"?`
        : known.length > 0
          ? `remove it; fields allowed here: ${known.slice().sort().slice(0, 15).join(', ')}${known.length > 15 ? ', ...' : ''}`
          : 'remove it; this object allows no fields (add x-kubernetes-preserve-unknown-fields: true to the schema if it should)';
      return {
        ...base, pointer, code: 'schema/unknown-field',
        message: `${prefix}unknown field "${field}" (value ${describeValue(value)}); ${consequence}`,
        fix,
      };
    }
    case 'required': {
      const field = String((error.params as { missingProperty: string }).missingProperty);
      const fieldSchema = ((error.parentSchema as { properties?: Record<string, { type?: unknown }> } | undefined)?.properties ?? {})[field];
      const kind = fieldSchema?.type !== undefined ? ` (${typeName(fieldSchema.type)})` : '';
      return {
        ...base, pointer: `${at}/${escapePointer(field)}`, code: 'schema/missing-required',
        message: `${prefix}missing required field "${field}"`,
        fix: `set ${field}${kind}`,
      };
    }
    case 'type': {
      const type = (error.params as { type: unknown }).type;
      return {
        ...base, pointer: at, code: 'schema/wrong-type',
        message: `${prefix}must be ${typeName(type)}, got ${describeValue(error.data)}`,
        fix: typeFix(type, error.data),
      };
    }
    case 'enum': {
      const allowed = ((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      const suggestion = typeof error.data === 'string' ? closest(error.data, allowed) : undefined;
      return {
        ...base, pointer: at, code: 'schema/not-allowed-value',
        message: `${prefix}must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(error.data)}`,
        fix: suggestion ? `did you mean "${suggestion}"?` : `use one of the allowed values`,
      };
    }
    case 'format': {
      const format = String((error.params as { format: string }).format);
      const help = FORMAT_HELP[format] ?? { what: `a valid ${format}`, fix: `use a valid ${format} value` };
      return {
        ...base, pointer: at, code: 'schema/bad-format',
        message: `${prefix}must be ${help.what}, got ${describeValue(error.data)}`,
        fix: help.fix,
      };
    }
    default:
      return {
        ...base, pointer: at, code: `schema/${error.keyword}`,
        message: `${prefix}${error.message ?? 'is invalid'}, got ${describeValue(error.data)}`,
        fix: 'change the value to satisfy the schema',
      };
  }
}

/**
 * ajv reports `anyOf`/`oneOf` failures once for the junctor and once per branch; the junctor line
 * alone says nothing a user can act on when a branch error is also present.
 */
export function toProblems(errors: readonly ErrorObject[], context: ProblemContext): Problem[] {
  const hasBranchErrors = (e: ErrorObject): boolean =>
    errors.some((o) => o !== e && o.schemaPath.startsWith(e.schemaPath.replace(/\/(anyOf|oneOf)$/, `/$1/`)));
  return errors
    .filter((e) => !((e.keyword === 'anyOf' || e.keyword === 'oneOf') && hasBranchErrors(e)))
    .map((e) => toProblem(e, context));
}
