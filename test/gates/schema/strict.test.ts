import { describe, expect, it } from 'vitest';
import { toStrictSchema } from '../../../src/gates/schema/strict.ts';

const builtin = { structural: false };
const structural = { structural: true };

describe('toStrictSchema', () => {
  it('forbids unknown fields where the schema lists properties', () => {
    expect(toStrictSchema({ type: 'object', properties: { a: { type: 'object', properties: { b: { type: 'string' } } } } }, builtin)).toEqual({
      type: 'object',
      properties: { a: { type: 'object', properties: { b: { type: 'string' } }, additionalProperties: false } },
      additionalProperties: false,
    });
  });

  it('leaves maps (additionalProperties schemas) open and makes their values strict', () => {
    const out = toStrictSchema({ type: 'object', additionalProperties: { type: 'object', properties: { x: { type: 'string' } } } }, builtin);
    expect(out.additionalProperties).toEqual({ type: 'object', properties: { x: { type: 'string' } }, additionalProperties: false });
  });

  it('leaves nodes marked x-kubernetes-preserve-unknown-fields open', () => {
    const out = toStrictSchema({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { a: { type: 'string' } } }, structural);
    expect(out.additionalProperties).toBeUndefined();
  });

  it('turns x-kubernetes-int-or-string into an integer-or-string type and drops its anyOf', () => {
    expect(toStrictSchema({ 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] }, structural)).toEqual({
      'x-kubernetes-int-or-string': true,
      type: ['integer', 'string'],
    });
    expect(toStrictSchema({ type: 'string', format: 'int-or-string' }, builtin)).toEqual({ type: ['integer', 'string'] });
  });

  it('adds apiVersion, kind and metadata to embedded resources and requires the first two', () => {
    const out = toStrictSchema({ type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }, structural);
    expect(Object.keys(out.properties as object).sort()).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(out.required).toEqual(['apiVersion', 'kind']);
    expect(out.additionalProperties).toBe(false);
  });

  it('prunes everything under a structural object with no properties, but not in built-in mode', () => {
    expect(toStrictSchema({ type: 'object' }, structural).additionalProperties).toBe(false);
    expect(toStrictSchema({ type: 'object' }, builtin).additionalProperties).toBeUndefined();
  });

  it('does not forbid fields inside allOf, anyOf, oneOf or not branches', () => {
    const out = toStrictSchema({ type: 'object', properties: { a: { type: 'string' } }, anyOf: [{ properties: { a: { minLength: 1 } } }], not: { properties: { a: { const: 'x' } } } }, structural);
    expect((out.anyOf as Array<Record<string, unknown>>)[0]!.additionalProperties).toBeUndefined();
    expect((out.not as Record<string, unknown>).additionalProperties).toBeUndefined();
  });

  it('drops formats the API server does not know, and nullable without a type', () => {
    expect(toStrictSchema({ type: 'string', format: 'my-format' }, structural)).toEqual({ type: 'string' });
    expect(toStrictSchema({ type: 'string', format: 'date-time' }, structural)).toEqual({ type: 'string', format: 'date-time' });
    expect(toStrictSchema({ nullable: true }, structural)).toEqual({});
  });

  it('recurses into array items', () => {
    const out = toStrictSchema({ type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } }, builtin);
    expect((out.items as Record<string, unknown>).additionalProperties).toBe(false);
  });

  it('does not modify its input', () => {
    const input = { type: 'object', properties: { a: { type: 'object', properties: {} } } };
    const copy = structuredClone(input);
    toStrictSchema(input, builtin);
    expect(input).toEqual(copy);
  });
});
