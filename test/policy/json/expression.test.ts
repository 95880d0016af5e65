import { describe, expect, it } from 'vitest';
import { parseKeyExpression } from '../../../src/policy/json/expression.ts';

describe('parseKeyExpression', () => {
  it('reads a plain key as a statement without compiler', () => {
    expect(parseKeyExpression('spec')).toEqual({ foreach: false, foreachName: '', statement: 'spec', binding: '', compiler: '' });
  });

  it('reads (expr) as an expression for the default compiler', () => {
    expect(parseKeyExpression('(length(@))')).toMatchObject({ statement: 'length(@)', compiler: 'default' });
  });

  it('reads an explicit compiler prefix', () => {
    expect(parseKeyExpression('(cel;object.foo)')).toMatchObject({ statement: 'object.foo', compiler: 'cel' });
  });

  it('reads a named foreach and a binding together', () => {
    expect(parseKeyExpression('~idx.(spec.containers)->cs')).toEqual({
      foreach: true,
      foreachName: 'idx',
      statement: 'spec.containers',
      binding: 'cs',
      compiler: 'default',
    });
  });

  it('strips backslash escaping and applies no compiler', () => {
    expect(parseKeyExpression('\\(bar)\\')).toMatchObject({ statement: '(bar)', compiler: '' });
    expect(parseKeyExpression('\\~foos\\')).toMatchObject({ statement: '~foos', foreach: false });
  });

  it('keeps a binding outside the escape', () => {
    expect(parseKeyExpression('\\(bar)\\->test')).toMatchObject({ statement: '(bar)', binding: 'test', compiler: '' });
  });
});
