/** `--format text`: the terminal view — summary, findings one per line, then the YAML diffs. */
import { hasChanges, type DiffReport } from '../types.ts';
import { changeObjectName, countsByClass, countsByKind, objectName, sourceText, totals } from './summary.ts';

export function formatText(report: DiffReport, options: { diffs?: boolean } = {}): string {
  const out: string[] = [];
  const head = report.head.commit ? `${report.head.rev} (${report.head.commit.slice(0, 12)})` : report.head.rev;
  out.push(`lockstep diff: base ${report.base.rev}${report.base.commit ? ` (${report.base.commit.slice(0, 12)})` : ''} → head ${head}`);
  if (!hasChanges(report)) {
    out.push(`no changes in ${report.environments.map((e) => e.name).join(', ')}`);
    return `${out.join('\n')}\n`;
  }
  for (const e of report.environments) {
    const t = totals(e.changes);
    const classes = countsByClass(e.findings).map(([c, n]) => `${n} ${c}`);
    out.push('', `${e.name} (${e.stage}): ${t.added} added, ${t.removed} removed, ${t.changed} changed${classes.length ? `; findings: ${classes.join(', ')}` : ''}`);
    for (const [kind, n] of countsByKind(e.changes)) out.push(`  ${kind.padEnd(28)} +${n.added} -${n.removed} ~${n.changed}`);
    for (const f of e.findings) {
      const where = [f.object ? objectName(f.object) : undefined, f.constructPath, sourceText(f.source), f.pointer].filter(Boolean).join('  ');
      out.push(`  [${f.class}] ${where}: ${f.message}`);
    }
  }
  if (options.diffs ?? true) {
    for (const e of report.environments) {
      for (const c of e.changes) {
        const side = c.type === 'removed' ? c.before! : c.after!;
        out.push('', `=== ${e.name}: ${c.type} ${changeObjectName(c)} (${side.constructPath})`);
        out.push(c.diff.trimEnd());
      }
    }
  }
  return `${out.join('\n')}\n`;
}
