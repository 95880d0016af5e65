import { describe, expect, it } from 'vitest';
import { EvaluationError, FieldPath, errorBody, goSprint, goValue, invalidError, requiredError } from '../../../src/policy/json/field-path.ts';

describe('FieldPath', () => {
  it('builds k8s field paths from children, indexes and keys', () => {
    expect(FieldPath.root.child('spec').child('~.containers->c').index(2).key('app').toString()).toBe('spec.~.containers->c[2][app]');
  });
});

describe('field errors', () => {
  it('renders Invalid and Required bodies like apimachinery', () => {
    expect(errorBody(invalidError(FieldPath.root.child('a'), true, 'Expected value: false'))).toBe('Invalid value: true: Expected value: false');
    expect(errorBody(requiredError(FieldPath.root.child('a'), 'field not found in the input object'))).toBe(
      'Required value: field not found in the input object',
    );
  });

  it('prefixes internal errors with their path', () => {
    expect(new EvaluationError(FieldPath.root.child('spec'), 'boom').message).toBe('spec: Internal error: boom');
    expect(new EvaluationError(FieldPath.root, 'boom').message).toBe('Internal error: boom');
  });
});

describe('Go formatting', () => {
  it('prints identifiers like fmt.Sprint', () => {
    expect(goSprint(null)).toBe('<nil>');
    expect(goSprint('web')).toBe('web');
    expect(goSprint(1.5)).toBe('1.5');
    expect(goSprint(1e-7)).toBe('1e-07');
    expect(goSprint({ b: 1, a: 'x' })).toBe('map[a:x b:1]');
    expect(goSprint([1, 'a'])).toBe('[1 a]');
  });

  it('prints maps in %#v form with sorted keys', () => {
    expect(goValue({ Team: 'Kyverno', A: 1 })).toBe('map[string]interface {}{"A":1, "Team":"Kyverno"}');
    expect(goValue(['x'])).toBe('[]interface {}{"x"}');
  });
});
