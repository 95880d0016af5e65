import { describe, expect, it } from 'vitest';
import { loadJsonPolicies } from '../../../src/policy/json/policy.ts';
import { toKyvernoJsonReport } from '../../../src/policy/json/report.ts';
import { scan } from '../../../src/policy/json/scan.ts';

const text = `apiVersion: json.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata:
  name: tags
spec:
  rules:
  - name: team
    identifier: name
    match: {any: [{type: bucket}]}
    assert:
      all:
      - message: needs a team
        check:
          tags:
            (Team): A
  - name: broken
    assert:
      all:
      - check:
          name: 1
`;

describe('toKyvernoJsonReport', () => {
  it('renders results in the kyverno-json scan --output json shape', () => {
    const policies = loadJsonPolicies(text, 'p.yaml');
    const result = scan(policies, [[{ type: 'bucket', name: 'b1', tags: { Team: 'B' } }, { type: 'other', name: 'x' }]], { includeSkipped: true });
    const report = toKyvernoJsonReport(result, policies);
    expect(report).toHaveLength(2);
    expect(report[0]!.resource).toEqual({ type: 'bucket', name: 'b1', tags: { Team: 'B' } });
    expect(report[0]!.results![0]!.policy).toBe(policies[0]!.document);
    expect(report[0]!.results![0]!.rules).toEqual([
      {
        rule: expect.objectContaining({ name: 'team' }),
        identifier: 'b1',
        violations: [{ message: 'needs a team', errors: [{ type: 'Invalid value', field: 'tags.(Team)', value: 'B', detail: 'Expected value: "A"' }] }],
      },
      { rule: expect.objectContaining({ name: 'broken' }), error: 'name: Internal error: types are not comparable, int64 - string' },
    ]);
    // The skipped `team` rule on the second resource is left out, as the CLI has no skip status.
    expect(report[1]!.results![0]!.rules).toEqual([{ rule: expect.objectContaining({ name: 'broken' }), error: expect.any(String) }]);
  });
});
