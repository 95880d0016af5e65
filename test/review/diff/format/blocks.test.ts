import { describe, expect, it } from 'vitest';
import { assemble, fence } from '../../../../src/review/diff/format/blocks.ts';

describe('fence', () => {
  it('uses more backticks than any run inside the content', () => {
    expect(fence('a\n', 'diff')).toBe('```diff\na\n```\n');
    expect(fence('x ```` y')).toBe('`````\nx ```` y\n`````\n');
  });
});

describe('assemble', () => {
  const note = (left: string[]) => `[left out: ${left.join(', ')}]`;

  it('joins every block when they fit, with no note', () => {
    expect(assemble([{ text: 'a' }, { text: 'b' }], 5000, note)).toBe('ab');
  });

  it('leaves out whole blocks that do not fit and names them', () => {
    const big = 'x'.repeat(3000);
    const out = assemble([{ text: 'head\n' }, { text: big, leftOutAs: 'diff of A' }, { text: 'tail\n' }], 3500, note);
    expect(out).toBe('head\ntail\n[left out: 1 × diff of A]');
  });

  it('keeps a group as a prefix: after one block of a group is left out, later ones are too', () => {
    const out = assemble([{ text: 'x'.repeat(2000), group: 'g', leftOutAs: 'diffs' }, { text: 'small', group: 'g', leftOutAs: 'diffs' }], 2500, note);
    expect(out).toBe('[left out: 2 × diffs]');
  });

  it('never exceeds the limit, even with a long list of left-out sections', () => {
    const blocks = Array.from({ length: 200 }, (_, i) => ({ text: 'y'.repeat(100), leftOutAs: `section number ${i} with a long name` }));
    const out = assemble(blocks, 3000, note);
    expect(out.length).toBeLessThanOrEqual(3000);
    expect(out).toMatch(/more\]$/);
  });
});
