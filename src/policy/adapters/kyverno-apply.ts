/**
 * Adapter for `kyverno apply <policies…> --resource <file>… [--policy-report --output-format json]`
 * (kyverno CLI 1.12+, `cmd/cli/kubectl-kyverno/commands/apply/command.go`).
 *
 * Note: `-o/--output` is the path for mutated resources, not a format; the JSON report comes from
 * `--policy-report --output-format json`, which prints a merged ClusterPolicyReport followed by
 * namespaced PolicyReports separated by `---`. Without `--policy-report` the CLI prints
 * `policy <p> -> resource <ns>/<Kind>/<name> failed:` blocks and a
 * `pass: N, fail: N, warn: N, error: N, skip: N` line. It exits 1 when any rule fails or errors.
 */
import { parseAllDocuments } from 'yaml';
import { brokenRun, stderrReason, summarize, type CliRuleResult, type CliRuleStatus, type CliRunResult } from './cli-result.ts';
import { runOnPath, type ExecOptions } from './exec.ts';
import { LockstepError } from '../../util/errors.ts';

export interface KyvernoApplyOptions {
  readonly policies: readonly string[];
  readonly resources: readonly string[];
  /** Emit a machine-readable PolicyReport (default true). */
  readonly policyReport?: boolean;
  readonly valuesFile?: string;
  readonly exceptions?: readonly string[];
  /** Report failures of Audit policies as warnings. */
  readonly auditWarn?: boolean;
}

export function buildKyvernoApplyArgs(options: KyvernoApplyOptions): string[] {
  if (options.policies.length === 0) {
    throw new LockstepError({ message: 'kyverno apply needs at least one policy path', fix: 'pass the policy files or folders to apply' });
  }
  if (options.resources.length === 0) {
    throw new LockstepError({
      message: 'kyverno apply needs at least one resource path',
      fix: 'pass the rendered manifests; Lockstep never applies policies to a live cluster (--cluster)',
    });
  }
  const args = ['apply', ...options.policies];
  for (const r of options.resources) args.push('--resource', r);
  if (options.valuesFile) args.push('--values-file', options.valuesFile);
  for (const e of options.exceptions ?? []) args.push('--exception', e);
  if (options.auditWarn) args.push('--audit-warn');
  if (options.policyReport ?? true) args.push('--policy-report', '--output-format', 'json');
  args.push('--remove-color');
  return args;
}

interface ReportResult {
  policy?: string;
  rule?: string;
  result?: string;
  message?: string;
  resources?: Array<{ kind?: string; name?: string; namespace?: string }>;
}

const STATUSES: readonly CliRuleStatus[] = ['pass', 'fail', 'warn', 'error', 'skip'];
const SUMMARY_LINE = /pass: (\d+), fail: (\d+), warn: (\d+), error: (\d+), skip: (\d+)/;

export function parseKyvernoApplyOutput(stdout: string, stderr: string, exitCode: number): CliRunResult {
  const tool = 'kyverno apply';
  const reports = extractReports(stdout);
  if (reports.length > 0) {
    const results: CliRuleResult[] = reports.flatMap((report) =>
      ((report.results ?? []) as ReportResult[]).flatMap((r) => {
        const status = (STATUSES as readonly string[]).includes(r.result ?? '') ? (r.result as CliRuleStatus) : 'error';
        const resources = r.resources && r.resources.length > 0 ? r.resources : [{}];
        return resources.map((res) => ({
          policy: r.policy ?? '',
          rule: r.rule ?? '',
          resource: [res.namespace, res.kind, res.name].filter((x) => x).join('/'),
          status,
          message: r.message ?? '',
        }));
      }),
    );
    const summary = summarize(results);
    return { tool, ok: true, passed: summary.fail === 0 && summary.error === 0, exitCode, results, summary, problems: [] };
  }
  const counts = SUMMARY_LINE.exec(stdout);
  if (counts) {
    const results = parseFailureBlocks(stdout);
    const summary = { pass: Number(counts[1]), fail: Number(counts[2]), warn: Number(counts[3]), error: Number(counts[4]), skip: Number(counts[5]) };
    return { tool, ok: true, passed: summary.fail === 0 && summary.error === 0, exitCode, results, summary, problems: [] };
  }
  if (exitCode !== 0) return brokenRun(tool, exitCode, [`kyverno apply exited with ${exitCode}: ${stderrReason(stderr)}`]);
  return brokenRun(tool, exitCode, ['kyverno apply printed neither a policy report nor a result summary']);
}

/** PolicyReport / ClusterPolicyReport documents in the output, JSON or YAML, `---`-separated. */
function extractReports(stdout: string): Array<{ results?: unknown[] }> {
  const out: Array<{ results?: unknown[] }> = [];
  for (const chunk of stdout.split(/^---\s*$/m)) {
    const start = chunk.search(/^(\{|apiVersion:)/m);
    if (start === -1) continue;
    let docs;
    try {
      docs = parseAllDocuments(chunk.slice(start));
    } catch {
      continue;
    }
    for (const doc of Array.isArray(docs) ? docs : []) {
      if (doc.errors.length > 0) continue;
      const value = doc.toJS() as { kind?: unknown; results?: unknown[] } | null;
      if (value && typeof value.kind === 'string' && value.kind.endsWith('PolicyReport')) out.push(value);
    }
  }
  return out;
}

/** `policy P -> resource R failed:` followed by `N - rule message` lines. */
function parseFailureBlocks(stdout: string): CliRuleResult[] {
  const results: CliRuleResult[] = [];
  let current: { policy: string; resource: string; status: CliRuleStatus } | undefined;
  for (const line of stdout.split('\n')) {
    const head = /^policy (\S+) -> resource (\S+) failed( as audit warning)?:/.exec(line);
    if (head) {
      current = { policy: head[1]!, resource: head[2]!, status: head[3] ? 'warn' : 'fail' };
      continue;
    }
    const item = /^\d+ - (\S+)\s?(.*)$/.exec(line);
    if (item && current) {
      results.push({ policy: current.policy, rule: item[1]!, resource: current.resource, status: current.status, message: item[2] ?? '' });
      continue;
    }
    if (line.trim() === '') current = undefined;
  }
  return results;
}

export async function runKyvernoApply(options: KyvernoApplyOptions, exec: ExecOptions = {}): Promise<CliRunResult> {
  const out = await runOnPath('kyverno', buildKyvernoApplyArgs(options), 'install the Kyverno CLI (kyverno) from its GitHub releases or with krew', exec);
  return parseKyvernoApplyOutput(out.stdout, out.stderr, out.exitCode);
}
