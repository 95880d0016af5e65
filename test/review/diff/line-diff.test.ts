import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { diffLines, unifiedDiff } from '../../../src/review/diff/line-diff.ts';

function lcsLength(a: string[], b: string[]): number {
  const d = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i]![j] = a[i - 1] === b[j - 1] ? d[i - 1]![j - 1]! + 1 : Math.max(d[i - 1]![j]!, d[i]![j - 1]!);
  return d[a.length]![b.length]!;
}

describe('diffLines', () => {
  it('turns one list into the other with a shortest edit script', () => {
    const line = fc.constantFrom('a', 'b', 'c', 'd');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), fc.array(line, { maxLength: 20 }), (a, b) => {
        const edits = diffLines(a, b);
        expect(edits.filter((e) => e.op !== '+').map((e) => e.line)).toEqual(a);
        expect(edits.filter((e) => e.op !== '-').map((e) => e.line)).toEqual(b);
        expect(edits.filter((e) => e.op === ' ').length).toBe(lcsLength(a, b));
      }),
    );
  });
});

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', { before: 'x', after: 'y' })).toBe('');
  });

  it('prints headers and one hunk with context around a change', () => {
    const before = 'l1\nl2\nl3\nl4\nl5\nl6\nl7\n';
    const after = 'l1\nl2\nl3\nL4\nl5\nl6\nl7\n';
    expect(unifiedDiff(before, after, { before: 'base/x.yaml', after: 'head/x.yaml' }, 2)).toBe(
      '--- base/x.yaml\n+++ head/x.yaml\n@@ -2,5 +2,5 @@\n l2\n l3\n-l4\n+L4\n l5\n l6\n',
    );
  });

  it('splits distant changes into separate hunks and numbers an added file from 0', () => {
    const a = Array.from({ length: 20 }, (_, i) => `l${i}`);
    const b = a.map((l, i) => (i === 1 || i === 18 ? `${l}!` : l));
    const diff = unifiedDiff(`${a.join('\n')}\n`, `${b.join('\n')}\n`, { before: 'a', after: 'b' }, 1);
    expect(diff.match(/^@@/gm)).toHaveLength(2);
    expect(unifiedDiff('', 'x\n', { before: '/dev/null', after: 'b' })).toBe('--- /dev/null\n+++ b\n@@ -0,0 +1,1 @@\n+x\n');
  });
});
