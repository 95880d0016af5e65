import { describe, expect, it } from 'vitest';
import { buildKyvernoJsonScanArgs, parseKyvernoJsonScanOutput } from '../../../src/policy/adapters/kyverno-json-scan.ts';

// Shape from kyverno-json pkg/commands/scan/report.go (Report/PolicyReport/RuleReport/ViolationReport/
// ErrorReport json tags), values from test/commands/scan/pod-no-latest and wildcard out.txt.
const failingScan = JSON.stringify(
  [
    {
      resource: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'webserver' } },
      results: [
        {
          policy: { apiVersion: 'json.kyverno.io/v1alpha1', kind: 'ValidatingPolicy', metadata: { name: 'test' }, spec: { rules: [] } },
          rules: [
            {
              rule: { name: 'pod-no-latest', identifier: 'metadata.name', assert: { all: [] } },
              identifier: 'webserver',
              violations: [
                {
                  message: 'no latest tags',
                  errors: [
                    {
                      type: 'FieldValueInvalid',
                      field: 'spec.~.containers->foo[0].image.(ends_with(@, \':latest\'))',
                      value: true,
                      detail: 'Expected value: false',
                    },
                  ],
                },
              ],
            },
            { rule: { name: 'has-name' } },
            { rule: { name: 'typed' }, error: 'metadata.name: Internal error: types are not comparable, int64 - string' },
          ],
        },
      ],
    },
  ],
  null,
  2,
);

describe('buildKyvernoJsonScanArgs', () => {
  it('builds a scan with every flag, always asking for JSON output', () => {
    expect(
      buildKyvernoJsonScanArgs({
        payload: 'plan.json',
        policies: ['a.yaml', 'dir/'],
        preprocessors: ['planned_values.root_module.resources'],
        labels: ['team=a'],
        bindings: 'bindings.yaml',
      }),
    ).toEqual([
      'scan',
      '--payload',
      'plan.json',
      '--policy',
      'a.yaml',
      '--policy',
      'dir/',
      '--pre-process',
      'planned_values.root_module.resources',
      '--labels',
      'team=a',
      '--bindings',
      'bindings.yaml',
      '--output',
      'json',
    ]);
  });
});

describe('parseKyvernoJsonScanOutput', () => {
  it('fails the gate when exit code is 0 but rules failed or errored', () => {
    const r = parseKyvernoJsonScanOutput(failingScan, '', 0);
    expect(r).toMatchObject({ ok: true, passed: false, exitCode: 0, summary: { pass: 1, fail: 1, error: 1, warn: 0, skip: 0 } });
    expect(r.results).toEqual([
      {
        policy: 'test',
        rule: 'pod-no-latest',
        resource: '#0 (webserver)',
        status: 'fail',
        message: "no latest tags: FieldValueInvalid: Expected value: false (PATH=spec.~.containers->foo[0].image.(ends_with(@, ':latest')))",
      },
      { policy: 'test', rule: 'has-name', resource: '#0', status: 'pass', message: '' },
      { policy: 'test', rule: 'typed', resource: '#0', status: 'error', message: 'metadata.name: Internal error: types are not comparable, int64 - string' },
    ]);
  });

  it('passes the gate when every rule passed', () => {
    const out = JSON.stringify([{ resource: {}, results: [{ policy: { metadata: { name: 'p' } }, rules: [{ rule: { name: 'r' } }] }] }]);
    expect(parseKyvernoJsonScanOutput(out, '', 0)).toMatchObject({ ok: true, passed: true, summary: { pass: 1 } });
  });

  it('treats an empty report (no rule matched) as a pass', () => {
    expect(parseKyvernoJsonScanOutput('null\n', '', 0)).toMatchObject({ ok: true, passed: true, results: [] });
  });

  it('fails when the CLI exits non-zero, quoting its error', () => {
    const r = parseKyvernoJsonScanOutput('', 'Error: failed to load policies: policy type not supported\n', 1);
    expect(r).toMatchObject({ ok: false, passed: false });
    expect(r.problems[0]).toBe('kyverno-json scan exited with 1: Error: failed to load policies: policy type not supported');
  });

  it('fails when the output is text rather than JSON', () => {
    const text = 'Loading policies ...\nLoading payload ...\n- PASSED (POLICY=test, RULE=foo-bar-4)\nDone\n';
    expect(parseKyvernoJsonScanOutput(text, '', 0).problems[0]).toMatch(/printed output that is not JSON .*; pass --output json/);
  });

  it('fails when the JSON has an unknown shape', () => {
    expect(parseKyvernoJsonScanOutput('{"results": []}', '', 0).problems[0]).toMatch(/not a list of resource reports; this kyverno-json version is not supported/);
  });
});
