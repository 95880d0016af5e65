/**
 * `--format markdown`: one pull-request comment, shaped after argocd-diff-preview and Atlantis
 * (ecosystem-conventions §3.2): a hidden marker so CI can update one sticky comment in place, a
 * summary table per environment, risk findings first, then per-object YAML diffs collapsed in
 * `<details>`, and a collapsed Mermaid graph of the head's allowed network flows (§6.2). The whole
 * body stays under GitHub's 65,536-character limit without cutting a block in half.
 */
import { objectKey } from '../../../k8s/objects.ts';
import { mermaidFlowchart } from '../network-graph.ts';
import { hasChanges, RISK_CLASSES, type DiffReport, type EnvironmentDiff, type Finding, type ObjectChange } from '../types.ts';
import { assemble, fence, GITHUB_COMMENT_LIMIT, type Block } from './blocks.ts';
import { CLASS_ICONS, allFindings, changeObjectName, countsByClass, countsByKind, objectName, sourceText, totals } from './summary.ts';

/** The hidden marker CI looks for to edit the previous comment instead of adding one. */
export const STICKY_MARKER = '<!-- lockstep-diff -->';

export interface MarkdownOptions {
  /** Maximum body length. @default 65536 */
  readonly maxLength?: number;
  /** Heading. @default 'Lockstep diff' */
  readonly title?: string;
  /** Findings listed inline per class before the rest go into a collapsed list. @default 10 */
  readonly inlineFindings?: number;
}

/** Escapes text for Markdown outside code: HTML metacharacters and emphasis/table characters. */
export function mdText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/([*_|[\]\\])/g, '\\$1');
}

/** Escapes text inside HTML elements such as `<summary>`, where Markdown is not processed. */
export function htmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function code(s: string): string {
  return s.includes('`') ? `\`\` ${s} \`\`` : `\`${s}\``;
}

function revText(label: { rev: string; commit?: string }): string {
  return label.commit ? `${code(label.rev)} (${code(label.commit.slice(0, 12))})` : label.rev;
}

function findingLine(f: Finding): string {
  const where = [
    `**${mdText(f.environment)}**`,
    f.object ? code(objectName(f.object)) : undefined,
  ].filter(Boolean).join(' ');
  const meta = [f.constructPath ? `construct ${code(f.constructPath)}` : undefined, f.source ? code(sourceText(f.source)!) : undefined, f.pointer ? code(f.pointer) : undefined].filter(Boolean).join(' · ');
  return `- ${where}: ${mdText(f.message)}${meta ? `<br><sub>${meta}</sub>` : ''}\n`;
}

function summaryTable(envs: readonly EnvironmentDiff[]): string {
  const classes = RISK_CLASSES.filter((c) => envs.some((e) => e.findings.some((f) => f.class === c)));
  const head = ['environment', 'added', 'removed', 'changed', ...classes.map((c) => `${CLASS_ICONS[c]} ${c}`)];
  const rows = envs.map((e) => {
    const t = totals(e.changes);
    const counts = new Map(countsByClass(e.findings));
    return [`${mdText(e.name)} (${e.stage})`, t.added, t.removed, t.changed, ...classes.map((c) => counts.get(c) ?? 0)].map(String);
  });
  return [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n') + '\n';
}

function kindTable(e: EnvironmentDiff): string {
  const rows = countsByKind(e.changes).map(([kind, n]) => `| ${kind} | ${n.added} | ${n.removed} | ${n.changed} |`);
  return ['| kind | added | removed | changed |', '|---|---:|---:|---:|', ...rows].join('\n') + '\n';
}

function findingBlocks(report: DiffReport, inline: number): Block[] {
  const findings = allFindings(report.environments);
  if (findings.length === 0) return [{ text: '### Risk findings\n\nNone: no RBAC, network, Pod Security, policy, image, production or irreversible changes.\n\n' }];
  const blocks: Block[] = [{ text: `### ⚠️ Risk findings (${findings.length})\n\n` }];
  for (const cls of RISK_CLASSES) {
    const of = findings.filter((f) => f.class === cls);
    if (of.length === 0) continue;
    blocks.push({ text: `#### ${CLASS_ICONS[cls]} ${cls} (${of.length})\n\n` });
    for (const f of of.slice(0, inline)) blocks.push({ text: findingLine(f), group: `findings:${cls}`, leftOutAs: `${cls} findings` });
    const rest = of.slice(inline);
    if (rest.length) {
      blocks.push({ text: `\n<details><summary>${rest.length} more ${cls} finding${rest.length > 1 ? 's' : ''}</summary>\n\n${rest.map(findingLine).join('')}\n</details>\n`, group: `findings:${cls}`, leftOutAs: `collapsed list of ${cls} findings` });
    }
    blocks.push({ text: '\n' });
  }
  return blocks;
}

function environmentBlocks(e: EnvironmentDiff): Block[] {
  if (e.changes.length === 0) return [{ text: `### ${mdText(e.name)}\n\nNo changes.\n\n` }];
  const blocks: Block[] = [{ text: `### ${mdText(e.name)} (${e.stage})\n\n${kindTable(e)}\n` }];
  const chart = mermaidFlowchart(e.headObjects.map((o) => o.json), { hideDns: true });
  if (chart.edges) {
    const notes = [...chart.omitted.map((o) => `${o} flows not drawn`), ...(chart.leftOut ? [`${chart.leftOut} more flows not drawn`] : [])];
    blocks.push({
      text: `<details><summary>Network graph of ${htmlText(e.name)} (head): allowed flows from NetworkPolicies, external egress dotted</summary>\n\n${fence(chart.text, 'mermaid')}${notes.length ? `\n${mdText(notes.join('; '))}.\n` : ''}\n</details>\n\n`,
      leftOutAs: `network graph of ${e.name}`,
    });
  }
  // Changes with findings first (their icons in the summary line), so truncation drops the quiet ones.
  const flagged = new Map<ObjectChange, string>();
  for (const c of e.changes) {
    const icons = [...new Set(e.findings.filter((f) => f.object && objectKey(f.object) === c.key).map((f) => CLASS_ICONS[f.class]))];
    if (icons.length) flagged.set(c, icons.join(''));
  }
  const ordered = [...e.changes.filter((c) => flagged.has(c)), ...e.changes.filter((c) => !flagged.has(c))];
  for (const c of ordered) {
    const side = c.type === 'removed' ? c.before! : c.after!;
    const sign = c.type === 'added' ? '+' : c.type === 'removed' ? '−' : '±';
    const fields = c.pointers.length ? ` (${c.pointers.length} field${c.pointers.length > 1 ? 's' : ''})` : '';
    const facts = [`Construct ${code(side.constructPath)}`, side.source ? `created at ${code(sourceText(side.source)!)}` : undefined].filter(Boolean).join(', ');
    const pointers = c.pointers.length ? `\nChanged: ${c.pointers.slice(0, 20).map(code).join(', ')}${c.pointers.length > 20 ? `, and ${c.pointers.length - 20} more` : ''}\n` : '';
    blocks.push({
      text: `<details><summary>${sign} ${htmlText(changeObjectName(c))}${fields} <code>${htmlText(side.path)}</code>${flagged.has(c) ? ` ${flagged.get(c)}` : ''}</summary>\n\n${facts}.\n${pointers}\n${fence(c.diff, 'diff')}\n</details>\n\n`,
      group: `objects:${e.name}`,
      leftOutAs: `object diffs of ${e.name}`,
    });
  }
  return blocks;
}

export function formatMarkdown(report: DiffReport, options: MarkdownOptions = {}): string {
  const title = options.title ?? 'Lockstep diff';
  const head = `${STICKY_MARKER}\n## ${mdText(title)}\n\nBase ${revText(report.base)} → head ${revText(report.head)}.\n\n`;
  if (!hasChanges(report)) return `${head}No changes in ${report.environments.map((e) => mdText(e.name)).join(', ')}.\n`;
  const changed = report.environments.filter((e) => e.changes.length > 0);
  const blocks: Block[] = [
    { text: head },
    { text: `${summaryTable(report.environments)}\n` },
    ...findingBlocks(report, options.inlineFindings ?? 10),
    ...changed.flatMap(environmentBlocks),
  ];
  const unchanged = report.environments.filter((e) => e.changes.length === 0).map((e) => mdText(e.name));
  if (unchanged.length) blocks.push({ text: `No changes in ${unchanged.join(', ')}.\n` });
  return assemble(blocks, options.maxLength ?? GITHUB_COMMENT_LIMIT, (leftOut) =>
    `\n---\n✂️ Shortened to stay under GitHub's ${(options.maxLength ?? GITHUB_COMMENT_LIMIT).toLocaleString('en-US')}-character comment limit. Left out: ${mdText(leftOut.join(', '))}. Run \`lockstep diff --base ${report.base.rev} --format markdown\` locally (or read the CI artifact) for the full report.\n`,
  );
}
