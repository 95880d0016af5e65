import { describe, expect, it } from 'vitest';
import { CelCompileError, compileCel, UNSUPPORTED_FUNCTIONS } from '../../../src/policy/cel/engine.ts';
import { toCelValue } from '../../../src/policy/cel/values.ts';

const pod = toCelValue({
  spec: {
    replicas: 3,
    containers: [{ name: 'app', securityContext: { capabilities: { add: ['NET_BIND_SERVICE'] } } }],
  },
});
const run = (source: string, activation: Record<string, unknown> = { object: pod }) => compileCel(source, 'test').evaluate(activation);

describe('compileCel', () => {
  it('evaluates optional field selection with orValue defaults', () => {
    expect(run('object.spec.?initContainers.orValue([]).size()')).toBe(0n);
    expect(run("object.spec.containers[0].?securityContext.?runAsUser.orValue(1)")).toBe(1n);
  });

  it('keeps selecting through an optional with a plain dot, as cel-go does', () => {
    expect(run('object.spec.containers[0].?securityContext.capabilities.add.orValue([])')).toEqual(['NET_BIND_SERVICE']);
  });

  it('returns the receiver of orValue when it is not optional (Kyverno compatibility)', () => {
    expect(run('object.spec.containers[0].securityContext.capabilities.add.orValue([])')).toEqual(['NET_BIND_SERVICE']);
  });

  it('treats integral JSON numbers as CEL ints', () => {
    expect(run('object.spec.replicas + 1')).toBe(4n);
  });

  it('absorbs an error on one side of || when the other side is true', () => {
    expect(run('object.spec.nope.x || true')).toBe(true);
  });

  it('can evaluate one compiled program many times', () => {
    const p = compileCel('object.spec.replicas > 2', 'test');
    expect(p.evaluate({ object: pod })).toBe(true);
    expect(p.evaluate({ object: toCelValue({ spec: { replicas: 1 } }) })).toBe(false);
  });

  it('fails when an expression uses the Kubernetes URL library, naming the function', () => {
    expect(() => compileCel('url("https://x").getHost() == "x"', 'policy p: spec.validations[0].expression')).toThrow(
      /policy p: spec.validations\[0\].expression: CEL function 'url' \(Kubernetes URL library\) is not supported by Lockstep's CEL evaluator/,
    );
  });

  it('fails when an expression uses a Kyverno cluster library, naming it', () => {
    expect(() => compileCel('resource.Get("v1", "configmaps", "ns", "cm").data.x == "y"', 'w')).toThrow(/CEL function 'resource.Get' \(Kyverno resource library \(needs a cluster\)\) is not supported/);
  });

  it('fails when string.format is used, naming it', () => {
    expect(() => compileCel('"%s".format(["x"]) == "x"', 'w')).toThrow(/CEL function 'format' \(cel-go strings extension \(string.format\)\) is not supported/);
  });

  it('lists every unsupported function with its library', () => {
    expect(UNSUPPORTED_FUNCTIONS['semver']).toBe('Kubernetes semver library');
  });

  it('fails when a function is unknown', () => {
    expect(() => compileCel('frobnicate(1)', 'w')).toThrow(/w: CEL expression does not type-check: found no matching overload for 'frobnicate\(int\)'/);
  });

  it('fails when a variable is not one Kyverno declares', () => {
    expect(() => compileCel('nope.x == 1', 'w')).toThrow(/CEL expression does not type-check: Unknown variable: nope/);
  });

  it('fails when the expression does not parse, quoting it', () => {
    const error = (() => {
      try {
        compileCel('object.spec.(', 'w');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CelCompileError);
    expect((error as Error).message).toMatch(/w: CEL expression does not parse: .*; expression: "object.spec.\("/);
  });
});
