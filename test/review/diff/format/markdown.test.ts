import { describe, expect, it } from 'vitest';
import { formatMarkdown, htmlText, mdText, STICKY_MARKER } from '../../../../src/review/diff/format/markdown.ts';
import { fixtureReport } from './report-fixture.ts';

describe('formatMarkdown', () => {
  it('starts with the sticky marker, a summary table and the risk findings', () => {
    const md = formatMarkdown(fixtureReport());
    expect(md.startsWith(`${STICKY_MARKER}\n## Lockstep diff\n\nBase \`origin/main\` (\`0123456789ab\`) → head working tree.\n`)).toBe(true);
    expect(md).toContain('| environment | added | removed | changed | 🔑 rbac-broadened |\n|---|---:|---:|---:|---:|\n| staging (staging) | 0 | 1 | 2 | 1 |\n| dev (dev) | 0 | 0 | 0 | 0 |');
    expect(md).toContain(
      '#### 🔑 rbac-broadened (1)\n\n- **staging** `Role app/reader`: now grants get on secrets<br><sub>construct `staging/app/reader/Role` · `src/platform/app.ts:12` · `/rules/0`</sub>\n',
    );
    expect(md.indexOf('Risk findings')).toBeLessThan(md.indexOf('<details>'));
  });

  it('puts each object diff in a details block, flagged objects first', () => {
    const md = formatMarkdown(fixtureReport());
    const summaries = [...md.matchAll(/<summary>(.*)<\/summary>/g)].map((m) => m[1]);
    expect(summaries).toEqual([
      '± Role app/reader (1 field) <code>manifests/app/role_reader.yaml</code> 🔑',
      '− ConfigMap app/old <code>manifests/app/configmap_old.yaml</code>',
      '± Deployment app/api (1 field) <code>manifests/app/deployment_api.yaml</code>',
    ]);
    expect(md).toContain('```diff\n--- base/manifests/app/deployment_api.yaml\n+++ head/manifests/app/deployment_api.yaml\n');
    expect(md.match(/<details>/g)!.length).toBe(md.match(/<\/details>/g)!.length);
    expect(md).toContain('No changes in dev.');
  });

  it('stays under the limit without breaking a fence or details block, and says what it left out', () => {
    const md = formatMarkdown(fixtureReport(), { maxLength: 2200 });
    expect(md.length).toBeLessThanOrEqual(2200);
    expect(md.match(/<details>/g)?.length ?? 0).toBe(md.match(/<\/details>/g)?.length ?? 0);
    expect((md.match(/^```/gm) ?? []).length % 2).toBe(0);
    expect(md).toMatch(/✂️ Shortened to stay under GitHub's 2,200-character comment limit\. Left out: \d+ × object diffs of staging/);
  });

  it('says there are no changes when there are none', () => {
    const report = { ...fixtureReport(), environments: [{ name: 'dev', stage: 'dev', changes: [], findings: [], headObjects: [] }] };
    expect(formatMarkdown(report)).toMatch(/No changes in dev\.\n$/);
  });

  it('escapes Markdown and HTML in free text', () => {
    expect(mdText('a|b <x> *y*')).toBe('a\\|b &lt;x&gt; \\*y\\*');
    expect(htmlText('<"&>')).toBe('&lt;&quot;&amp;&gt;');
  });
});
