import { describe, expect, it } from 'vitest';
import { loadJsonPolicies } from '../../../src/policy/json/policy.ts';
import { evaluateExpression, scan, type ScanOptions } from '../../../src/policy/json/scan.ts';

function policy(rules: string, extraSpec = ''): string {
  return `apiVersion: json.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata:
  name: test
spec:
${extraSpec}  rules:
${rules}`;
}

function run(rules: string, payloads: unknown[], options: ScanOptions = {}, extraSpec = '') {
  return scan(loadJsonPolicies(policy(rules, extraSpec), 'policy.yaml'), payloads, options);
}

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    containers: [
      { name: 'a', image: 'nginx:1.25' },
      { name: 'b', image: 'nginx:latest' },
    ],
  },
};

describe('scan: assertions', () => {
  it('passes when plain keys match', () => {
    const r = run(`  - name: r
    assert:
      all:
      - check:
          metadata:
            name: web
`, [pod]);
    expect(r.results).toEqual([expect.objectContaining({ policy: 'test', rule: 'r', status: 'pass', violations: [] })]);
    expect(r.summary).toEqual({ pass: 1, fail: 0, error: 0, skip: 0 });
  });

  it('fails with an Invalid value at the payload path when a leaf differs', () => {
    const r = run(`  - name: r
    assert:
      all:
      - message: name must be api
        check:
          metadata:
            name: api
`, [pod]);
    expect(r.results[0]).toMatchObject({
      status: 'fail',
      violations: [
        {
          check: 'spec.rules[0].assert.all[0]',
          message: 'name must be api',
          errors: [{ type: 'Invalid value', field: 'metadata.name', value: 'web', detail: 'Expected value: "api"' }],
        },
      ],
    });
    expect(r.results[0]!.message).toBe('name must be api (CHECK=spec.rules[0].assert.all[0]): Invalid value: "web": Expected value: "api" (PATH=metadata.name)');
  });

  it('reports a Required value when a plain key is absent', () => {
    const r = run(`  - name: r
    assert:
      all:
      - check:
          spec:
            hostNetwork: false
`, [pod]);
    expect(r.results[0]!.violations[0]!.errors).toEqual([
      { type: 'Required value', field: 'spec.hostNetwork', detail: 'field not found in the input object' },
    ]);
  });

  it('evaluates (expression) keys against the current node', () => {
    const r = run(`  - name: r
    assert:
      all:
      - check:
          spec:
            (length(containers)): 2
            (containers[?name == 'b'] | [0].image): nginx:latest
`, [pod]);
    expect(r.results[0]!.status).toBe('pass');
  });

  it('iterates arrays with ~ and binds the index with ~name.', () => {
    const r = run(`  - name: r
    assert:
      all:
      - check:
          ~i.(spec.containers):
            (ends_with(image, ':latest')): false
            (to_string($i)): "0"
`, [pod]);
    const errors = r.results[0]!.violations[0]!.errors.map((e) => e.field);
    expect(errors).toEqual(['~i.(spec.containers)[1].(ends_with(image, \':latest\'))', '~i.(spec.containers)[1].(to_string($i))']);
  });

  it('iterates maps with ~ in key order and binds the key', () => {
    const r = run(`  - name: r
    assert:
      all:
      - check:
          metadata:
            ~k.labels:
              ($k): app
              (@): web
`, [pod]);
    expect(r.results[0]!.status).toBe('pass');
  });

  it('binds a projection with -> for descendants only', () => {
    const r = run(`  - name: r
    assert:
      all:
      - check:
          metadata->meta:
            name: ($meta.labels.app)
`, [pod]);
    expect(r.results[0]!.status).toBe('pass');
    const sibling = run(`  - name: r
    assert:
      all:
      - check:
          metadata->meta:
            name: web
          (kind): ($meta.name)
`, [pod]);
    expect(sibling.results[0]!.status).toBe('error');
    expect(sibling.results[0]!.error).toMatch(/undefined variable/);
  });

  it('asserts non-null only for an empty map', () => {
    const r = run(`  - name: r
    assert:
      all:
      - check:
          metadata: {}
          (spec.nodeName): {}
`, [pod]);
    expect(r.results[0]!.violations[0]!.errors).toEqual([
      { type: 'Invalid value', field: '(spec.nodeName)', value: null, detail: 'invalid value, must not be null' },
    ]);
  });

  it('compares arrays by length and position', () => {
    const r = run(`  - name: r
    assert:
      all:
      - check:
          spec:
            (containers[*].name): [a, b]
      - check:
          spec:
            containers:
            - name: a
`, [pod]);
    expect(r.results[0]!.violations).toEqual([
      expect.objectContaining({ check: 'spec.rules[0].assert.all[1]', errors: [expect.objectContaining({ field: 'spec.containers', detail: "lengths of slices don't match" })] }),
    ]);
  });

  it('reports a null value for an expected array', () => {
    const r = run(`  - name: r
    assert:
      all:
      - check:
          (spec.volumes): [x]
`, [pod]);
    expect(r.results[0]!.violations[0]!.errors[0]).toMatchObject({ field: '(spec.volumes)', detail: 'value is null' });
  });

  it('leaves a wildcard-looking leaf literal', () => {
    const r = run(`  - name: r
    assert:
      all:
      - check:
          metadata:
            name: "?*"
`, [pod]);
    expect(r.results[0]!.status).toBe('fail');
  });
});

describe('scan: errors', () => {
  it('errors when leaf types are not comparable', () => {
    const r = run(`  - name: r
    assert:
      all:
      - check:
          metadata:
            name: 3
`, [pod]);
    expect(r.results[0]).toMatchObject({ status: 'error', error: 'metadata.name: Internal error: types are not comparable, int64 - string' });
  });

  it('errors when a plain key projects a non-map', () => {
    const r = run(`  - name: r
    assert:
      all:
      - check:
          metadata:
            name:
              first: w
`, [pod]);
    expect(r.results[0]!.error).toBe('metadata.name.first: Internal error: projection not recognized');
  });

  it('errors when ~ projects a scalar', () => {
    const r = run(`  - name: r
    assert:
      all:
      - check:
          ~.(metadata.name):
            a: b
`, [pod]);
    expect(r.results[0]!.error).toMatch(/^~\.\(metadata\.name\): Internal error: expected a slice or a map, got "web"$/);
  });

  it('errors when an array node meets a non-array', () => {
    const r = run(`  - name: r
    assert:
      all:
      - check:
          metadata:
          - a
`, [pod]);
    expect(r.results[0]!.error).toMatch(/^metadata: Internal error: expected a slice, got map/);
  });

  it('errors when a function fails at run time, naming it', () => {
    const r = run(`  - name: r
    assert:
      all:
      - check:
          (to_boolean(metadata.name)): true
`, [pod]);
    expect(r.results[0]!.error).toMatch(/\(to_boolean\(metadata\.name\)\): Internal error: JMESPath function 'to_boolean'/);
  });

  it('errors only the rules that use a broken context entry', () => {
    const r = run(`  - name: uses-it
    context:
    - name: broken
      variable: (to_boolean('maybe'))
    assert:
      all:
      - check:
          (\`true\`): ($broken)
  - name: ignores-it
    context:
    - name: broken
      variable: (to_boolean('maybe'))
    assert:
      all:
      - check:
          kind: Pod
`, [pod]);
    expect(r.results.map((x) => x.status)).toEqual(['error', 'pass']);
    expect(r.results[0]!.error).toMatch(/context\.broken: Internal error: JMESPath function 'to_boolean'/);
  });
});

describe('scan: match and exclude', () => {
  const rules = `  - name: pods
    match:
      any:
      - kind: Pod
    exclude:
      any:
      - metadata:
          (wildcard('skip-*', name)): true
    assert:
      all:
      - check:
          kind: Pod
`;

  it('leaves out rules that do not match, like kyverno-json', () => {
    const r = run(rules, [{ kind: 'Service', metadata: { name: 's' } }, pod]);
    expect(r.results.map((x) => [x.resourceIndex, x.status])).toEqual([[1, 'pass']]);
  });

  it('reports unmatched and excluded rules as skip when asked', () => {
    const r = run(rules, [{ kind: 'Service', metadata: { name: 's' } }, { kind: 'Pod', metadata: { name: 'skip-me' } }], { includeSkipped: true });
    expect(r.results.map((x) => [x.status, x.message])).toEqual([
      ['skip', 'the resource does not match the rule'],
      ['skip', 'the resource is excluded by the rule'],
    ]);
    expect(r.summary.skip).toBe(2);
  });

  it('matches on the first passing any tree without evaluating all', () => {
    const r = run(`  - name: r
    match:
      any:
      - kind: Pod
      all:
      - kind: Service
    assert:
      all:
      - check: {kind: Pod}
`, [pod]);
    expect(r.results[0]!.status).toBe('pass');
  });

  it('requires every all tree when no any tree passes', () => {
    const r = run(`  - name: r
    match:
      all:
      - kind: Pod
      - metadata: {name: other}
    assert:
      all:
      - check: {kind: Pod}
`, [pod]);
    expect(r.results).toEqual([]);
  });

  it('errors when a match tree cannot be evaluated', () => {
    const r = run(`  - name: r
    match:
      any:
      - kind: 1
    assert:
      all:
      - check: {kind: Pod}
`, [pod]);
    expect(r.results[0]).toMatchObject({ status: 'error', error: expect.stringMatching(/types are not comparable/) });
  });
});

describe('scan: assert any/all', () => {
  it('passes when one any assertion passes and then checks all', () => {
    const r = run(`  - name: r
    assert:
      any:
      - check: {kind: Service}
      - check: {kind: Pod}
      all:
      - check: {metadata: {name: api}}
`, [pod]);
    expect(r.results[0]!.violations.map((v) => v.check)).toEqual(['spec.rules[0].assert.all[0]']);
  });

  it('fails with every any failure and skips all when no any assertion passes', () => {
    const r = run(`  - name: r
    assert:
      any:
      - check: {kind: Service}
      - check: {kind: Deployment}
      all:
      - check: {metadata: {name: api}}
`, [pod]);
    expect(r.results[0]!.violations.map((v) => v.check)).toEqual(['spec.rules[0].assert.any[0]', 'spec.rules[0].assert.any[1]']);
  });
});

describe('scan: bindings, context, identifier and messages', () => {
  it('registers $payload, $policy, $rule and caller bindings', () => {
    const r = run(`  - name: r
    assert:
      all:
      - check:
          spec:
            (length($payload.spec.containers)): 2
          ($policy.metadata.name): test
          ($rule.name): r
          ($env): prod
`, [pod], { bindings: { env: 'prod' } });
    expect(r.results[0]!.status).toBe('pass');
  });

  it('evaluates context entries in order, letting later ones shadow earlier ones', () => {
    const r = run(`  - name: r
    context:
    - name: tag
      variable: latest
    - name: tag
      variable: (concat(':', $tag))
    - name: required
      variable:
        app: web
    assert:
      all:
      - check:
          ~.(spec.containers[*].image):
            (ends_with(@, $tag)): false
          metadata:
            labels: ($required)
`, [pod]);
    expect(r.results[0]!.violations[0]!.errors.map((e) => e.field)).toEqual(["~.(spec.containers[*].image)[1].(ends_with(@, $tag))"]);
  });

  it('renders the identifier like fmt.Sprint, with <nil> when missing', () => {
    const r = run(`  - name: r
    identifier: metadata.name
    assert: {all: [{check: {kind: Pod}}]}
  - name: s
    identifier: metadata.uid
    assert: {all: [{check: {kind: Pod}}]}
`, [pod]);
    expect(r.results.map((x) => x.identifier)).toEqual(['web', '<nil>']);
  });

  it('renders message placeholders against the resource, with ERR for missing or non-string values', () => {
    const r = run(`  - name: r
    context:
    - name: want
      variable: api
    assert:
      all:
      - message: "{{ metadata.name }} is not {{ $want }}; {{ metadata.uid }}; {{ spec.containers }}; {{ to_boolean('x') }}"
        check:
          metadata:
            name: ($want)
`, [pod]);
    expect(r.results[0]!.violations[0]!.message).toBe(
      "web is not api; ERR (metadata.uid not found); ERR (spec.containers not a string); ERR (to_boolean('x') - JMESPath function 'to_boolean': lowercase argument must be 'true' or 'false' (provided: 'x'))",
    );
  });

  it('records feedback values', () => {
    const r = run(`  - name: r
    feedback:
    - name: count
      value: (length(spec.containers))
    assert: {all: [{check: {kind: Pod}}]}
`, [pod]);
    expect(r.results[0]!.feedback).toEqual({ count: { value: 2 } });
  });
});

describe('scan: payloads and pre-processors', () => {
  it('expands an array payload into resources and applies pre-processors first', () => {
    const r = run(`  - name: r
    identifier: address
    match: {any: [{type: aws_s3_bucket}]}
    assert: {all: [{check: {values: {tags: {Team: (\`"A"\`)}}}}]}
`, [{ planned: { resources: [{ type: 'aws_s3_bucket', address: 'b1', values: { tags: { Team: 'A' } } }, { type: 'aws_instance' }] } }], {
      preprocessors: ['planned.resources'],
    });
    expect(r.resources).toHaveLength(2);
    expect(r.results.map((x) => [x.identifier, x.status])).toEqual([['b1', 'pass']]);
  });

  it('fails when a pre-processor yields null', () => {
    expect(() => run(`  - name: r\n    assert: {all: [{check: {a: 1}}]}\n`, [{}], { preprocessors: ['missing'] })).toThrow(
      /pre-processor "missing" resulted in a null payload \(payload 0\)/,
    );
  });

  it('fails when a pre-processor is invalid', () => {
    expect(() => run(`  - name: r\n    assert: {all: [{check: {a: 1}}]}\n`, [{}], { preprocessors: ['a.['] })).toThrow(
      /pre-processor "a\.\[" failed on payload 0: invalid JMESPath expression/,
    );
  });

  it('fails when a payload is null', () => {
    expect(() => run(`  - name: r\n    assert: {all: [{check: {a: 1}}]}\n`, [null])).toThrow(/payload 0 is null/);
  });
});

describe('scan: CEL', () => {
  it('evaluates cel expressions with object and bindings.resolve, mixed with jp context', () => {
    const r = run(`  - name: r
    context:
    - name: four
      variable: (4)
    - name: jpFour
      compiler: jp
      variable: ($four)
    assert:
      all:
      - check:
          (object.spec.replicas): (bindings.resolve('jpFour'))
          (size(object.spec.containers)): 1
`, [{ spec: { replicas: 4, containers: [{}] } }], {}, '  compiler: cel\n');
    expect(r.results[0]!.status).toBe('pass');
  });

  it('switches compiler per key with (cel;…) and (jp;…)', () => {
    const r = run(`  - name: r
    assert:
      all:
      - check:
          (cel;object.kind == 'Pod'): true
          (jp;kind): Pod
`, [pod]);
    expect(r.results[0]!.status).toBe('pass');
  });
});

describe('evaluateExpression', () => {
  it('evaluates one JMESPath expression with bindings', () => {
    expect(evaluateExpression('concat(name, $suffix)', { name: 'a' }, { suffix: '-b' })).toBe('a-b');
  });
});
