import { describe, expect, it } from 'vitest';
import { buildKyvernoApplyArgs, parseKyvernoApplyOutput } from '../../../src/policy/adapters/kyverno-apply.ts';

// `--policy-report --output-format json`: a merged ClusterPolicyReport (wgpolicyk8s.io/v1alpha2
// PolicyReportResult fields) then `---` and namespaced PolicyReports; cmd/cli/kubectl-kyverno/
// commands/apply/print.go (printReports) and report.ComputePolicyReports.
const reportOutput = `{
  "apiVersion": "wgpolicyk8s.io/v1alpha2",
  "kind": "ClusterPolicyReport",
  "metadata": { "name": "merged" },
  "results": [
    {
      "message": "validation rule 'require-ns' passed.",
      "policy": "require-ns-labels",
      "resources": [{ "apiVersion": "v1", "kind": "Namespace", "name": "team-a" }],
      "result": "pass",
      "rule": "require-ns",
      "scored": true,
      "source": "kyverno",
      "timestamp": { "nanos": 0, "seconds": 1700000000 }
    }
  ],
  "summary": { "error": 0, "fail": 0, "pass": 1, "skip": 0, "warn": 0 }
}
---
{
  "apiVersion": "wgpolicyk8s.io/v1alpha2",
  "kind": "PolicyReport",
  "metadata": { "name": "merged", "namespace": "default" },
  "results": [
    {
      "message": "validation error: Using a mutable image tag e.g. 'latest' is not allowed. rule validate-image-tag failed at path /spec/containers/0/image/",
      "policy": "disallow-latest-tag",
      "resources": [{ "apiVersion": "v1", "kind": "Pod", "name": "web", "namespace": "default" }],
      "result": "fail",
      "rule": "validate-image-tag",
      "scored": true,
      "source": "kyverno"
    },
    {
      "policy": "disallow-latest-tag",
      "resources": [{ "apiVersion": "v1", "kind": "Pod", "name": "web", "namespace": "default" }],
      "result": "skip",
      "rule": "autogen-validate-image-tag",
      "source": "kyverno"
    }
  ],
  "summary": { "error": 0, "fail": 1, "pass": 0, "skip": 1, "warn": 0 }
}
`;

// Default text output: "policy <p> -> resource <ns>/<Kind>/<name> failed:" blocks, then
// printViolations' "pass: …, fail: …" line (commands/apply/command.go and print.go).
const textOutput = `
Applying 3 policy rule(s) to 2 resource(s)...
policy disallow-latest-tag -> resource default/Pod/web failed:
1 - validate-image-tag validation error: Using a mutable image tag e.g. 'latest' is not allowed. rule validate-image-tag failed at path /spec/containers/0/image/

policy require-labels -> resource default/Pod/web failed as audit warning:
1 - check-team validation error: label team is required

pass: 1, fail: 1, warn: 1, error: 0, skip: 2 
`;

describe('buildKyvernoApplyArgs', () => {
  it('builds apply with resources, values, exceptions and a JSON policy report', () => {
    expect(
      buildKyvernoApplyArgs({ policies: ['policies/'], resources: ['dist/a.yaml', 'dist/b.yaml'], valuesFile: 'values.yaml', exceptions: ['ex.yaml'], auditWarn: true }),
    ).toEqual([
      'apply',
      'policies/',
      '--resource',
      'dist/a.yaml',
      '--resource',
      'dist/b.yaml',
      '--values-file',
      'values.yaml',
      '--exception',
      'ex.yaml',
      '--audit-warn',
      '--policy-report',
      '--output-format',
      'json',
      '--remove-color',
    ]);
  });

  it('leaves out the report flags when asked for the text output', () => {
    expect(buildKyvernoApplyArgs({ policies: ['p.yaml'], resources: ['r.yaml'], policyReport: false })).toEqual([
      'apply',
      'p.yaml',
      '--resource',
      'r.yaml',
      '--remove-color',
    ]);
  });

  it('fails when no policy or no resource is given', () => {
    expect(() => buildKyvernoApplyArgs({ policies: [], resources: ['r.yaml'] })).toThrow(/kyverno apply needs at least one policy path/);
    expect(() => buildKyvernoApplyArgs({ policies: ['p.yaml'], resources: [] })).toThrow(/kyverno apply needs at least one resource path/);
  });
});

describe('parseKyvernoApplyOutput', () => {
  it('reads every result of cluster and namespaced policy reports', () => {
    const r = parseKyvernoApplyOutput(reportOutput, 'Error: exit as there are policy violations\n', 1);
    expect(r).toMatchObject({ ok: true, passed: false, exitCode: 1, summary: { pass: 1, fail: 1, skip: 1, warn: 0, error: 0 } });
    expect(r.results[1]).toEqual({
      policy: 'disallow-latest-tag',
      rule: 'validate-image-tag',
      resource: 'default/Pod/web',
      status: 'fail',
      message: expect.stringMatching(/mutable image tag/),
    });
    expect(r.results[0]!.resource).toBe('Namespace/team-a');
  });

  it('reads a YAML policy report too', () => {
    const yaml = 'apiVersion: wgpolicyk8s.io/v1alpha2\nkind: ClusterPolicyReport\nresults:\n- policy: p\n  rule: r\n  result: pass\n  resources:\n  - kind: Namespace\n    name: a\n';
    expect(parseKyvernoApplyOutput(yaml, '', 0)).toMatchObject({ ok: true, passed: true, results: [{ policy: 'p', status: 'pass' }] });
  });

  it('reads the text output: failure blocks and the summary line', () => {
    const r = parseKyvernoApplyOutput(textOutput, 'Error: exit as there are policy violations\n', 1);
    expect(r).toMatchObject({ ok: true, passed: false, summary: { pass: 1, fail: 1, warn: 1, error: 0, skip: 2 } });
    expect(r.results).toEqual([
      {
        policy: 'disallow-latest-tag',
        rule: 'validate-image-tag',
        resource: 'default/Pod/web',
        status: 'fail',
        message: expect.stringMatching(/^validation error: Using a mutable image tag/),
      },
      { policy: 'require-labels', rule: 'check-team', resource: 'default/Pod/web', status: 'warn', message: 'validation error: label team is required' },
    ]);
  });

  it('passes when the summary has no failures or errors', () => {
    expect(parseKyvernoApplyOutput('\npass: 3, fail: 0, warn: 1, error: 0, skip: 0 \n', '', 0)).toMatchObject({ ok: true, passed: true });
  });

  it('fails when the CLI errors before evaluating, quoting stderr', () => {
    const r = parseKyvernoApplyOutput('', 'Error: failed to load resources (open dist/x.yaml: no such file or directory)\n', 1);
    expect(r).toMatchObject({ ok: false, passed: false });
    expect(r.problems[0]).toBe('kyverno apply exited with 1: Error: failed to load resources (open dist/x.yaml: no such file or directory)');
  });

  it('fails when the output has neither a report nor a summary', () => {
    expect(parseKyvernoApplyOutput('something else\n', '', 0).problems[0]).toBe('kyverno apply printed neither a policy report nor a result summary');
  });
});
