/**
 * Policy results from `dist/<env>/reports/policy-report.yaml`: PolicyReport / ClusterPolicyReport
 * documents (`wgpolicyk8s.io/v1alpha2`), summed per policy, with every non-passing result listed.
 */
import { parseAllDocuments } from 'yaml';
import { LockstepError } from '../../util/errors.ts';
import { compareStrings } from './text.ts';

export const RESULT_KINDS = ['pass', 'fail', 'warn', 'error', 'skip'] as const;
export type ResultKind = (typeof RESULT_KINDS)[number];

export interface PolicyTally {
  readonly policy: string;
  readonly counts: Readonly<Record<ResultKind, number>>;
}

export interface PolicyFinding {
  readonly policy: string;
  readonly rule: string;
  readonly result: ResultKind;
  /** `Kind namespace/name` of each resource the result is about. */
  readonly resources: readonly string[];
  readonly message: string;
  readonly severity?: string;
  readonly constructPath?: string;
}

export interface PolicyResults {
  readonly totals: Readonly<Record<ResultKind, number>>;
  /** One tally per policy, sorted by name. */
  readonly policies: readonly PolicyTally[];
  /** fail, error and warn results: fail first, then by policy, rule and resource. */
  readonly findings: readonly PolicyFinding[];
}

const REPORT_KINDS = new Set(['PolicyReport', 'ClusterPolicyReport']);

function zero(): Record<ResultKind, number> {
  return { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
}

function resourceName(r: Record<string, unknown>): string {
  return `${r['kind'] ?? '?'} ${r['namespace'] ? `${r['namespace']}/` : ''}${r['name'] ?? '?'}`;
}

/** Parses policy-report.yaml text; `file` names it in errors. */
export function parsePolicyResults(text: string, file: string): PolicyResults {
  const docs = parseAllDocuments(text);
  const tallies = new Map<string, Record<ResultKind, number>>();
  const findings: PolicyFinding[] = [];
  const totals = zero();
  for (const [i, doc] of (Array.isArray(docs) ? docs : [docs]).entries()) {
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      throw new LockstepError({ file, line: e.linePos?.[0].line, column: e.linePos?.[0].col, message: `not valid YAML: ${e.message.split('\n')[0]}`, fix: 'run `lockstep check` again to rewrite the report', code: 'report/policy-report' });
    }
    const d = doc.toJS() as Record<string, unknown> | null;
    if (d === null) continue;
    if (typeof d !== 'object' || !REPORT_KINDS.has(String(d['kind']))) {
      throw new LockstepError({
        file,
        pointer: `/${i}/kind`,
        message: `document ${i + 1} is not a PolicyReport or ClusterPolicyReport, got kind ${JSON.stringify((d as Record<string, unknown>)?.['kind'])}`,
        fix: 'the file must hold only wgpolicyk8s.io/v1alpha2 reports, as `lockstep check` writes them',
        code: 'report/policy-report',
      });
    }
    for (const r of (Array.isArray(d['results']) ? d['results'] : []) as Record<string, unknown>[]) {
      const policy = String(r['policy'] ?? '?');
      const result = String(r['result']) as ResultKind;
      if (!RESULT_KINDS.includes(result)) continue;
      const t = tallies.get(policy) ?? zero();
      t[result]++;
      totals[result]++;
      tallies.set(policy, t);
      if (result === 'fail' || result === 'error' || result === 'warn') {
        const props = (r['properties'] ?? {}) as Record<string, unknown>;
        findings.push({
          policy,
          rule: String(r['rule'] ?? ''),
          result,
          resources: ((r['resources'] ?? []) as Record<string, unknown>[]).map(resourceName),
          message: String(r['message'] ?? ''),
          ...(typeof r['severity'] === 'string' ? { severity: r['severity'] } : {}),
          ...(typeof props['constructPath'] === 'string' ? { constructPath: props['constructPath'] } : {}),
        });
      }
    }
  }
  const rank: Record<ResultKind, number> = { fail: 0, error: 1, warn: 2, skip: 3, pass: 4 };
  return {
    totals,
    policies: [...tallies.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([policy, counts]) => ({ policy, counts })),
    findings: findings.sort(
      (a, b) =>
        rank[a.result] - rank[b.result] ||
        compareStrings(a.policy, b.policy) ||
        compareStrings(a.rule, b.rule) ||
        compareStrings(a.resources.join(), b.resources.join()) ||
        compareStrings(a.message, b.message),
    ),
  };
}
