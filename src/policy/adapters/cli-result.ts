/**
 * The normalised shape every Kyverno CLI adapter returns, so the gate can treat the built-in
 * evaluator and the real CLIs alike.
 */

export type CliRuleStatus = 'pass' | 'fail' | 'warn' | 'error' | 'skip';

export interface CliRuleResult {
  readonly policy: string;
  readonly rule: string;
  /** How the CLI names the resource (`default/Pod/web`, `v1/Pod/default/web`, `#0 (bucket1)`). */
  readonly resource: string;
  readonly status: CliRuleStatus;
  readonly message: string;
}

export interface CliRunResult {
  readonly tool: 'kyverno-json scan' | 'kyverno apply' | 'kyverno test';
  /** The command ran and its output was understood (independent of rule outcomes). */
  readonly ok: boolean;
  /** The gate verdict: ok, and no rule (or test) failed or errored. */
  readonly passed: boolean;
  readonly exitCode: number;
  readonly results: readonly CliRuleResult[];
  readonly summary: Readonly<Record<CliRuleStatus, number>>;
  /** Why the run is not ok: the CLI's own error text, or what could not be parsed. */
  readonly problems: readonly string[];
}

export function summarize(results: readonly CliRuleResult[]): Record<CliRuleStatus, number> {
  const summary: Record<CliRuleStatus, number> = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) summary[r.status] += 1;
  return summary;
}

/** A result for a run whose output could not be used. */
export function brokenRun(tool: CliRunResult['tool'], exitCode: number, problems: string[]): CliRunResult {
  return { tool, ok: false, passed: false, exitCode, results: [], summary: summarize([]), problems };
}

/** Last non-empty stderr line, which is where cobra CLIs print `Error: …`. */
export function stderrReason(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines[lines.length - 1] ?? 'no error output';
}
