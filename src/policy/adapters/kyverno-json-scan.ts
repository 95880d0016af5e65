/**
 * Adapter for `kyverno-json scan --payload … --policy … --output json`.
 *
 * kyverno-json exits 0 whenever policies and payload load, even when rules fail or error
 * (`pkg/commands/scan/options.go` returns nil), so the verdict comes from the JSON report:
 *   [{ resource, results: [{ policy, rules: [{ rule: {name…}, identifier?, error?,
 *      violations?: [{ message?, errors: [{ type, field, value?, detail }] }] }] }] }]
 * (`pkg/commands/scan/report.go`; a passing rule has neither `error` nor `violations`, and rules
 * that did not match are absent).
 */
import { brokenRun, stderrReason, summarize, type CliRuleResult, type CliRunResult } from './cli-result.ts';
import { runOnPath, type ExecOptions } from './exec.ts';

export interface KyvernoJsonScanOptions {
  readonly payload: string;
  readonly policies: readonly string[];
  readonly preprocessors?: readonly string[];
  /** Label selectors on policies (`--labels`). */
  readonly labels?: readonly string[];
  /** A YAML file whose top-level keys become `$bindings` (kyverno-json main only). */
  readonly bindings?: string;
}

export function buildKyvernoJsonScanArgs(options: KyvernoJsonScanOptions): string[] {
  const args = ['scan', '--payload', options.payload];
  for (const p of options.policies) args.push('--policy', p);
  for (const p of options.preprocessors ?? []) args.push('--pre-process', p);
  for (const l of options.labels ?? []) args.push('--labels', l);
  if (options.bindings) args.push('--bindings', options.bindings);
  args.push('--output', 'json');
  return args;
}

interface RawRule {
  rule?: { name?: string };
  identifier?: string;
  error?: string;
  violations?: Array<{ message?: string; errors?: Array<{ type?: string; field?: string; detail?: string }> }>;
}

interface RawReport {
  resource?: unknown;
  results?: Array<{ policy?: { metadata?: { name?: string } }; rules?: RawRule[] }>;
}

export function parseKyvernoJsonScanOutput(stdout: string, stderr: string, exitCode: number): CliRunResult {
  const tool = 'kyverno-json scan';
  if (exitCode !== 0) return brokenRun(tool, exitCode, [`kyverno-json scan exited with ${exitCode}: ${stderrReason(stderr)}`]);
  let reports: unknown;
  try {
    reports = JSON.parse(stdout.trim() === '' ? 'null' : stdout) as unknown;
  } catch (e) {
    return brokenRun(tool, exitCode, [`kyverno-json scan printed output that is not JSON (${(e as Error).message}); pass --output json`]);
  }
  if (reports === null) reports = [];
  if (!Array.isArray(reports)) {
    return brokenRun(tool, exitCode, ['kyverno-json scan printed JSON that is not a list of resource reports; this kyverno-json version is not supported']);
  }
  const results: CliRuleResult[] = [];
  (reports as RawReport[]).forEach((report, i) => {
    for (const policyResult of report.results ?? []) {
      const policy = policyResult.policy?.metadata?.name ?? '';
      for (const rule of policyResult.rules ?? []) {
        const resource = rule.identifier ? `#${i} (${rule.identifier})` : `#${i}`;
        const violations = rule.violations ?? [];
        const status = rule.error ? 'error' : violations.length > 0 ? 'fail' : 'pass';
        const message = rule.error
          ? rule.error
          : violations
              .map((v) => {
                const details = (v.errors ?? []).map((e) => `${e.type ?? ''}: ${e.detail ?? ''} (PATH=${e.field ?? ''})`).join('; ');
                return v.message ? `${v.message}: ${details}` : details;
              })
              .join('; ');
        results.push({ policy, rule: rule.rule?.name ?? '', resource, status, message });
      }
    }
  });
  const summary = summarize(results);
  return { tool, ok: true, passed: summary.fail === 0 && summary.error === 0, exitCode, results, summary, problems: [] };
}

export async function runKyvernoJsonScan(options: KyvernoJsonScanOptions, exec: ExecOptions = {}): Promise<CliRunResult> {
  const out = await runOnPath('kyverno-json', buildKyvernoJsonScanArgs(options), 'install kyverno-json from its GitHub releases', exec);
  return parseKyvernoJsonScanOutput(out.stdout, out.stderr, out.exitCode);
}
