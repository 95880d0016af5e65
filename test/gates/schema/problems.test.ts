import { describe, expect, it } from 'vitest';
import type { ErrorObject } from 'ajv';
import { describeValue, toProblem, toProblems } from '../../../src/gates/schema/problems.ts';

const context = { identity: 'Widget w', origin: 'crd' as const };
const error = (e: Partial<ErrorObject>): ErrorObject => ({ instancePath: '', schemaPath: '#', keyword: 'x', params: {}, ...e }) as ErrorObject;

describe('describeValue', () => {
  it('renders JSON and shortens long values', () => {
    expect(describeValue('a')).toBe('"a"');
    expect(describeValue(undefined)).toBe('nothing');
    expect(describeValue('x'.repeat(100))).toHaveLength(60);
  });
});

describe('toProblem', () => {
  it('escapes "/" and "~" in the pointer of an unknown field', () => {
    const p = toProblem(error({ keyword: 'additionalProperties', instancePath: '/metadata', params: { additionalProperty: 'a/b~c' }, data: {}, parentSchema: { properties: {} } }), context);
    expect(p.pointer).toBe('/metadata/a~1b~0c');
  });

  it('falls back to ajv\'s own message for other keywords', () => {
    expect(toProblem(error({ keyword: 'maxItems', instancePath: '/spec/list', message: 'must NOT have more than 2 items', data: [1, 2, 3] }), context)).toEqual({
      pointer: '/spec/list', code: 'schema/maxItems', message: 'Widget w: must NOT have more than 2 items, got [1,2,3]', fix: 'change the value to satisfy the schema',
    });
  });

  it('explains unknown formats generically', () => {
    expect(toProblem(error({ keyword: 'format', params: { format: 'cidr' }, data: 'x' }), context)).toMatchObject({ message: 'Widget w: must be a valid cidr, got "x"', fix: 'use a valid cidr value' });
  });
});

describe('toProblems', () => {
  it('drops an anyOf error when one of its branches reported the cause', () => {
    const problems = toProblems([
      error({ keyword: 'type', schemaPath: '#/properties/a/anyOf/0/type', instancePath: '/a', params: { type: 'integer' }, data: true }),
      error({ keyword: 'anyOf', schemaPath: '#/properties/a/anyOf', instancePath: '/a', message: 'must match a schema in anyOf', data: true }),
    ], context);
    expect(problems.map((p) => p.code)).toEqual(['schema/wrong-type']);
  });
});
