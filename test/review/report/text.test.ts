import { describe, expect, it } from 'vitest';
import { compareStrings, escapeHtml } from '../../../src/review/report/text.ts';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<script>alert("x" + 'y')</script> & more`)).toBe('&lt;script&gt;alert(&quot;x&quot; + &#39;y&#39;)&lt;/script&gt; &amp; more');
  });

  it('turns non-strings into text', () => {
    expect(escapeHtml(42)).toBe('42');
  });
});

describe('compareStrings', () => {
  it('orders by code unit, independent of locale', () => {
    expect(['b', 'B', 'a', '_', '(cluster)'].sort(compareStrings)).toEqual(['(cluster)', 'B', '_', 'a', 'b']);
  });
});
