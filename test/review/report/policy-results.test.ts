import { describe, expect, it } from 'vitest';
import { parsePolicyResults } from '../../../src/review/report/policy-results.ts';
import { POLICY_REPORT } from './fixtures.ts';


describe('parsePolicyResults', () => {
  it('sums results per policy across ClusterPolicyReport and PolicyReports', () => {
    const r = parsePolicyResults(POLICY_REPORT, 'dist/dev/reports/policy-report.yaml');
    expect(r.totals).toEqual({ pass: 2, fail: 1, warn: 1, error: 0, skip: 1 });
    expect(r.policies).toEqual([
      { policy: 'disallow-latest-tag', counts: { pass: 0, fail: 0, warn: 1, error: 0, skip: 0 } },
      { policy: 'require-labels', counts: { pass: 1, fail: 0, warn: 0, error: 0, skip: 0 } },
      { policy: 'require-limits', counts: { pass: 1, fail: 1, warn: 0, error: 0, skip: 1 } },
    ]);
  });

  it('lists failures before warnings, with the object, message and construct path', () => {
    const r = parsePolicyResults(POLICY_REPORT, 'x');
    expect(r.findings).toEqual([
      { policy: 'require-limits', rule: 'limits', result: 'fail', resources: ['Deployment app/api'], message: 'memory limit is required', severity: 'medium', constructPath: 'dev/app/api/Deployment' },
      { policy: 'disallow-latest-tag', rule: 'require-image-tag', result: 'warn', resources: ['Deployment app/api'], message: 'an image tag is required' },
    ]);
  });

  it('reads an empty report as no results', () => {
    expect(parsePolicyResults('', 'x')).toEqual({ totals: { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 }, policies: [], findings: [] });
  });

  it('fails when the file is not valid YAML, naming the file and line', () => {
    expect(() => parsePolicyResults('kind: PolicyReport\nresults: [\n', 'dist/dev/reports/policy-report.yaml')).toThrow(/dist\/dev\/reports\/policy-report\.yaml:\d+(:\d+)?: not valid YAML/);
  });

  it('fails when a document is not a policy report', () => {
    expect(() => parsePolicyResults('---\nkind: ConfigMap\n', 'r.yaml')).toThrow(/r\.yaml: \/0\/kind: document 1 is not a PolicyReport or ClusterPolicyReport, got kind "ConfigMap"/);
  });
});
