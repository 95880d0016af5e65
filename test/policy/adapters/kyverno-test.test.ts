import { describe, expect, it } from 'vitest';
import { buildKyvernoTestArgs, parseKyvernoTestOutput } from '../../../src/policy/adapters/kyverno-test.ts';

// Layout of `kyverno test` (cmd/cli/kubectl-kyverno/commands/test/command.go: "Loading test …",
// "Checking results ...", the table printer with ID/POLICY/RULE/RESOURCE/RESULT/REASON columns,
// and "Test Summary: %d tests passed and %d tests failed").
const failingRun = `Loading test  ( .kyverno-test/kyverno-test.yaml ) ...
  Loading values/variables ...
  Loading policies ...
  Loading resources ...
  Loading exceptions ...
  Applying 1 policy to 2 resources with 0 exceptions ...
  Checking results ...

│────│─────────────────────│────────────────────│──────────────────────────────│────────│─────────────────────│
│ ID │ POLICY              │ RULE               │ RESOURCE                     │ RESULT │ REASON              │
│────│─────────────────────│────────────────────│──────────────────────────────│────────│─────────────────────│
│ 1  │ disallow-latest-tag │ require-image-tag  │ v1/Pod/default/good-pod      │ Pass   │ Ok                  │
│ 2  │ disallow-latest-tag │ validate-image-tag │ v1/Pod/default/bad-pod       │ Fail   │ Want pass, got fail │
│────│─────────────────────│────────────────────│──────────────────────────────│────────│─────────────────────│


Test Summary: 1 tests passed and 1 tests failed

`;

// Older releases (tablewriter with ASCII borders).
const asciiRun = `
+----+---------------------+-------------------+-------------------------+--------+--------+
| ID |       POLICY        |       RULE        |        RESOURCE         | RESULT | REASON |
+----+---------------------+-------------------+-------------------------+--------+--------+
|  1 | disallow-latest-tag | require-image-tag | default/Pod/myapp-pod   | Pass   | Ok     |
+----+---------------------+-------------------+-------------------------+--------+--------+

Test Summary: 1 tests passed and 0 tests failed
`;

describe('buildKyvernoTestArgs', () => {
  it('builds a test run with the optional flags', () => {
    expect(buildKyvernoTestArgs({ dir: 'policies/', fileName: 'kyverno-test.yaml', testCaseSelector: 'policy=p', detailedResults: true })).toEqual([
      'test',
      'policies/',
      '--file-name',
      'kyverno-test.yaml',
      '--test-case-selector',
      'policy=p',
      '--detailed-results',
      '--remove-color',
    ]);
  });
});

describe('parseKyvernoTestOutput', () => {
  it('reads table rows and fails the gate when a test failed', () => {
    const r = parseKyvernoTestOutput(failingRun, 'Error: 1 tests failed\n', 1);
    expect(r).toMatchObject({ ok: true, passed: false, summary: { pass: 1, fail: 1 } });
    expect(r.results[1]).toEqual({
      policy: 'disallow-latest-tag',
      rule: 'validate-image-tag',
      resource: 'v1/Pod/default/bad-pod',
      status: 'fail',
      message: 'Want pass, got fail',
    });
  });

  it('reads ASCII tables of older releases', () => {
    expect(parseKyvernoTestOutput(asciiRun, '', 0)).toMatchObject({ ok: true, passed: true, results: [{ resource: 'default/Pod/myapp-pod', status: 'pass' }] });
  });

  it('ignores colour codes', () => {
    const coloured = failingRun.replace('disallow-latest-tag │ validate', '\u001b[1;36mdisallow-latest-tag\u001b[0m │ validate');
    expect(parseKyvernoTestOutput(coloured, '', 1).results[1]!.policy).toBe('disallow-latest-tag');
  });

  it('counts failures from the --fail-only summary when no table is printed', () => {
    expect(parseKyvernoTestOutput('\nTest Summary: 2 out of 10 tests failed\n', '', 1)).toMatchObject({ ok: true, passed: false, summary: { fail: 2 } });
  });

  it('fails when there is no summary, quoting stderr', () => {
    const r = parseKyvernoTestOutput('', 'Error: failed to load test file (yaml: line 3: mapping values are not allowed)\n', 1);
    expect(r).toMatchObject({ ok: false, passed: false });
    expect(r.problems[0]).toBe('kyverno test did not report a summary: Error: failed to load test file (yaml: line 3: mapping values are not allowed)');
    expect(parseKyvernoTestOutput('No test yamls available', '', 0).problems[0]).toMatch(/no "Test Summary" line in the output/);
  });
});
