import { describe, expect, it } from 'vitest';
import { formatPolicyTestRun } from '../../../src/policy/kyverno-test/format.ts';
import type { PolicyTestRun } from '../../../src/policy/kyverno-test/types.ts';

const run: PolicyTestRun = {
  passed: 1,
  failed: 1,
  files: [
    {
      file: 't/kyverno-test.yaml',
      name: 't',
      errors: [],
      passed: 1,
      failed: 1,
      cases: [
        { policy: 'p', kind: 'Pod', resource: 'a', expected: 'pass', actual: 'pass', ok: true },
        { policy: 'p', rule: 'r', kind: 'Pod', resource: 'b', expected: 'fail', actual: 'pass', ok: false, message: 'line one\n  line two' },
      ],
    },
  ],
};

describe('formatPolicyTestRun', () => {
  it('shows mismatches only, messages on one line, and ends with the counts', () => {
    expect(formatPolicyTestRun(run, { json: false })).toBe(
      ['TEST                 POLICY  RULE  RESOURCE  EXPECTED  ACTUAL  MESSAGE', 't/kyverno-test.yaml  p       r     Pod/b     fail      pass    line one line two', '', '1 passed, 1 failed', ''].join('\n'),
    );
  });

  it('prints only the counts when nothing mismatches', () => {
    expect(formatPolicyTestRun({ passed: 0, failed: 0, files: [] }, { json: false })).toBe('0 passed, 0 failed\n');
  });

  it('prints JSON when asked', () => {
    expect(JSON.parse(formatPolicyTestRun(run, { json: true }))).toEqual(run);
  });
});
