import { describe, expect, it } from 'vitest';
import { compileConditions, evaluateConditions } from '../../../src/policy/legacy/conditions.ts';

const ctx = { data: { request: { operation: 'CREATE', object: { spec: { hostNetwork: true } } } }, isDelete: false };

describe('conditions', () => {
  it('requires every all condition and one any condition', () => {
    const block = compileConditions(
      {
        any: [
          { key: '{{ request.operation }}', operator: 'Equals', value: 'UPDATE' },
          { key: '{{ request.operation }}', operator: 'Equals', value: 'CREATE', message: 'created' },
        ],
        all: [{ key: '{{ request.object.spec.hostNetwork }}', operator: 'Equals', value: true }],
      },
      'here',
    );
    expect(evaluateConditions(block, ctx, 'here')).toEqual({ result: true, message: 'created' });
  });

  it('treats an empty any list as false and a legacy list as all', () => {
    expect(evaluateConditions(compileConditions({ any: [] }, 'x'), ctx, 'x').result).toBe(false);
    const legacy = compileConditions([{ key: 'a', operator: 'Equals', value: 'a' }, { key: 'a', operator: 'Equals', value: 'b', message: 'no' }], 'x');
    expect(evaluateConditions(legacy, ctx, 'x')).toEqual({ result: false, message: 'no' });
  });

  it('substitutes defaults written with JMESPath ||', () => {
    const block = compileConditions({ all: [{ key: "{{ request.missing || 'BACKGROUND' }}", operator: 'Equals', value: 'BACKGROUND' }] }, 'x');
    expect(evaluateConditions(block, ctx, 'x').result).toBe(true);
  });

  it('fails when conditions are neither a list nor an any/all object', () => {
    expect(() => compileConditions('nope', '/spec/rules/0/preconditions')).toThrow(/\/spec\/rules\/0\/preconditions: conditions must be a list or an object with any\/all, got "nope"/);
  });

  it('fails evaluation on an unsupported operator, naming where', () => {
    const block = compileConditions({ all: [{ key: 'a', operator: 'In', value: ['a'] }] }, 'x');
    expect(() => evaluateConditions(block, ctx, '/deny')).toThrow(/\/deny\/all\/0: the deprecated operator In is not supported/);
  });
});
