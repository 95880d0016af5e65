/**
 * Adapter for `kyverno test <dir>` (`cmd/cli/kubectl-kyverno/commands/test`). It prints one table
 * per test file (`ID │ POLICY │ RULE │ RESOURCE │ RESULT │ REASON`; older releases draw the table
 * with `|`), then `Test Summary: N tests passed and M tests failed` (or, with `--fail-only`,
 * `Test Summary: M out of T tests failed`), and exits 1 when a test failed.
 */
import { brokenRun, stderrReason, summarize, type CliRuleResult, type CliRunResult } from './cli-result.ts';
import { runOnPath, type ExecOptions } from './exec.ts';

export interface KyvernoTestOptions {
  readonly dir: string;
  /** Test file name to look for (default `kyverno-test.yaml`). */
  readonly fileName?: string;
  /** e.g. `policy=disallow-latest-tag, rule=require-image-tag`. */
  readonly testCaseSelector?: string;
  readonly detailedResults?: boolean;
}

export function buildKyvernoTestArgs(options: KyvernoTestOptions): string[] {
  const args = ['test', options.dir];
  if (options.fileName) args.push('--file-name', options.fileName);
  if (options.testCaseSelector) args.push('--test-case-selector', options.testCaseSelector);
  if (options.detailedResults) args.push('--detailed-results');
  args.push('--remove-color');
  return args;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

export function parseKyvernoTestOutput(stdout: string, stderr: string, exitCode: number): CliRunResult {
  const tool = 'kyverno test';
  const text = stdout.replace(ANSI, '');
  const results: CliRuleResult[] = [];
  for (const line of text.split('\n')) {
    const cells = line.split(/[│|]/).map((c) => c.trim());
    // A data row: leading and trailing separators give empty first/last cells.
    if (cells.length < 8 || !/^\d+$/.test(cells[1] ?? '')) continue;
    const [, , policy, rule, resource, result, reason] = cells;
    const outcome = (result ?? '').toLowerCase();
    results.push({
      policy: policy ?? '',
      rule: rule ?? '',
      resource: resource ?? '',
      // A row is one test: "Pass" means the expectation held, whatever the rule's own result.
      status: outcome === 'pass' ? 'pass' : outcome === 'skip' || outcome === 'excluded' ? 'skip' : 'fail',
      message: reason ?? '',
    });
  }
  const full = /Test Summary: (\d+) tests passed and (\d+) tests failed/.exec(text);
  const failOnly = /Test Summary: (\d+) out of (\d+) tests failed/.exec(text);
  if (!full && !failOnly) {
    const why = exitCode !== 0 ? stderrReason(stderr) : 'no "Test Summary" line in the output';
    return brokenRun(tool, exitCode, [`kyverno test did not report a summary: ${why}`]);
  }
  const failed = Number(full ? full[2] : failOnly![1]);
  const summary = summarize(results);
  // Trust the CLI's own counts when the table was not printed (e.g. --fail-only).
  if (summary.fail < failed) summary.fail = failed;
  return { tool, ok: true, passed: failed === 0 && exitCode === 0, exitCode, results, summary, problems: [] };
}

export async function runKyvernoTest(options: KyvernoTestOptions, exec: ExecOptions = {}): Promise<CliRunResult> {
  const out = await runOnPath('kyverno', buildKyvernoTestArgs(options), 'install the Kyverno CLI (kyverno) from its GitHub releases or with krew', exec);
  return parseKyvernoTestOutput(out.stdout, out.stderr, out.exitCode);
}
