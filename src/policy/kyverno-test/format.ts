/** Rendering of a `PolicyTestRun`: JSON, or a table of mismatches only plus `N passed, N failed`. */
import type { PolicyTestRun } from './types.ts';

export interface FormatOptions {
  readonly json: boolean;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

function oneLine(s: string | undefined, max = 160): string {
  const flat = (s ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function formatPolicyTestRun(run: PolicyTestRun, options: FormatOptions = { json: false }): string {
  if (options.json) return `${JSON.stringify(run, null, 2)}\n`;
  const lines: string[] = [];
  const rows: string[][] = [];
  for (const f of run.files) {
    for (const c of f.cases) {
      if (c.ok) continue;
      rows.push([f.file, c.policy, c.rule ?? '', `${c.kind}/${c.resource}`, c.expected, c.actual, oneLine(c.message)]);
    }
  }
  if (rows.length > 0) lines.push(...table(['TEST', 'POLICY', 'RULE', 'RESOURCE', 'EXPECTED', 'ACTUAL', 'MESSAGE'], rows), '');
  const errors = run.files.flatMap((f) => f.errors.map((e) => `${f.file}: ${oneLine(e, 400)}`));
  if (errors.length > 0) lines.push('Errors:', ...errors.map((e) => `  ${e}`), '');
  lines.push(`${run.passed} passed, ${run.failed} failed`);
  return `${lines.join('\n')}\n`;
}
