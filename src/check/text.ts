/** Human output of `lockstep check`: one line per violation, then one summary line per environment. */
import type { CheckResult, Finding } from './types.ts';

const LABEL: Record<Finding['level'], string> = { error: 'error', warning: 'warning', info: 'info' };

/**
 * `error dist/prod/manifests/ns/deployment_x.yaml: Deployment ns/x violates disallow-latest-tag/no-latest-tag [Deny]: <message> (construct prod/…/Resource)`
 */
export function formatFinding(f: Finding): string {
  const object = `${f.resource.kind} ${f.resource.namespace ? `${f.resource.namespace}/` : ''}${f.resource.name}`;
  const verb = f.result === 'error' ? 'could not be checked by' : 'violates';
  const rule = f.rule === f.policy ? f.policy : `${f.policy}/${f.rule}`;
  const construct = f.constructPath ? ` (construct ${f.constructPath})` : '';
  return `${LABEL[f.level]} ${f.file}: ${object} ${verb} ${rule} [${f.mode}]: ${f.message ?? f.result}${construct}`;
}

export function formatSummary(r: CheckResult): string {
  const s = r.summary;
  const counts = (level: Finding['level']) => r.findings.filter((f) => f.level === level).length;
  const verdict = r.ok ? 'ok' : 'FAILED';
  return (
    `check ${r.environment}: ${verdict}: ${r.policies.length} policies on ${r.resources} resources; ` +
    `${counts('error')} denied, ${counts('warning')} warnings (audit/warn), ${counts('info')} preview; ` +
    `pass ${s.pass}, fail ${s.fail}, warn ${s.warn}, error ${s.error}, skip ${s.skip}`
  );
}

/** Every finding (errors first, then warnings, then preview notes), then the summary. */
export function formatCheckText(results: readonly (CheckResult & { notes?: readonly string[] })[]): string {
  const order: Finding['level'][] = ['error', 'warning', 'info'];
  const lines: string[] = [];
  for (const r of results) {
    for (const level of order) for (const f of r.findings) if (f.level === level) lines.push(formatFinding(f));
    for (const n of r.notes ?? []) lines.push(`note ${n}`);
    lines.push(formatSummary(r));
  }
  return `${lines.join('\n')}\n`;
}
