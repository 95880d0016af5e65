import { describe, expect, it } from 'vitest';
import { formatText } from '../../../../src/review/diff/format/text.ts';
import { fixtureReport } from './report-fixture.ts';

describe('formatText', () => {
  it('prints a summary line per environment, one line per finding, then the diffs', () => {
    const text = formatText(fixtureReport());
    expect(text).toContain('lockstep diff: base origin/main (0123456789ab) → head working tree\n');
    expect(text).toContain('staging (staging): 0 added, 1 removed, 2 changed; findings: 1 rbac-broadened\n');
    expect(text).toContain('  [rbac-broadened] Role app/reader  staging/app/reader/Role  src/platform/app.ts:12  /rules/0: now grants get on secrets\n');
    expect(text).toContain('=== staging: removed ConfigMap app/old (staging/app/old/ConfigMap)\n--- base/manifests/app/configmap_old.yaml\n+++ /dev/null\n');
  });

  it('says when nothing changed', () => {
    const report = { ...fixtureReport(), environments: [{ name: 'dev', stage: 'dev', changes: [], findings: [], headObjects: [] }] };
    expect(formatText(report)).toBe('lockstep diff: base origin/main (0123456789ab) → head working tree\nno changes in dev\n');
  });
});
