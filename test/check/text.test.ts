import { describe, expect, it } from 'vitest';
import { formatCheckText } from '../../src/check/index.ts';
import type { CheckResult } from '../../src/check/index.ts';

const finding = (level: 'error' | 'warning' | 'info', mode: 'Deny' | 'Audit' | 'Preview', result: 'fail' | 'error' = 'fail') => ({
  policy: 'p',
  rule: 'r',
  mode,
  result,
  message: 'm',
  resource: { apiVersion: 'v1', kind: 'Pod', name: 'x' },
  file: 'dist/e/manifests/_cluster/pod_x.yaml',
  severity: 'low' as const,
  category: 'c',
  level,
});

describe('formatCheckText', () => {
  it('prints errors, then warnings, then preview notes, then one summary line', () => {
    const r: CheckResult & { notes: string[] } = {
      environment: 'e',
      distDir: 'dist/e',
      policies: [],
      resources: 1,
      evaluations: [],
      findings: [finding('info', 'Preview'), finding('warning', 'Audit'), finding('error', 'Deny', 'error')],
      summary: { pass: 0, fail: 1, warn: 1, error: 1, skip: 0 },
      ok: false,
      notes: ['x: not evaluated'],
    };
    expect(formatCheckText([r]).split('\n')).toEqual([
      'error dist/e/manifests/_cluster/pod_x.yaml: Pod x could not be checked by p/r [Deny]: m',
      'warning dist/e/manifests/_cluster/pod_x.yaml: Pod x violates p/r [Audit]: m',
      'info dist/e/manifests/_cluster/pod_x.yaml: Pod x violates p/r [Preview]: m',
      'note x: not evaluated',
      'check e: FAILED: 0 policies on 1 resources; 1 denied, 1 warnings (audit/warn), 1 preview; pass 0, fail 1, warn 1, error 1, skip 0',
      '',
    ]);
  });
});
