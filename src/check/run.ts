/**
 * The command behind `lockstep check [--env NAME]... [--format text|json]` (and the check step of
 * `lockstep build`): check each environment, write its reports, print, and say how to exit.
 */
import { checkEnvironment, type CheckResultWithNotes } from './check.ts';
import { formatCheckText } from './text.ts';
import { writeReports } from './write.ts';

export interface RunCheckOptions {
  readonly root: string;
  readonly environments: readonly string[];
  /** @default 'text' */
  readonly format?: 'text' | 'json';
  /** Write `dist/<env>/reports/`. @default true */
  readonly writeReports?: boolean;
  /** @default 'dist' */
  readonly distDir?: string;
  /** Seconds since the epoch for PolicyReport timestamps (the CLI may pass the clock; default none). */
  readonly timestamp?: number;
  readonly toolVersion?: string;
}

export interface RunCheckOutput {
  /** 0 when no Deny-mode policy fails, else 1. */
  readonly exitCode: 0 | 1;
  /** What to print on stdout. */
  readonly stdout: string;
  readonly results: readonly CheckResultWithNotes[];
  /** Report files written, repository-relative. */
  readonly reports: readonly string[];
}

export async function runCheck(options: RunCheckOptions): Promise<RunCheckOutput> {
  const results: CheckResultWithNotes[] = [];
  const reports: string[] = [];
  for (const env of options.environments) {
    const result = await checkEnvironment({ root: options.root, env, ...(options.distDir ? { distDir: options.distDir } : {}) });
    results.push(result);
    if (options.writeReports !== false) {
      reports.push(...(await writeReports(options.root, result, { ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}), ...(options.toolVersion ? { toolVersion: options.toolVersion } : {}) })));
    }
  }
  const stdout =
    options.format === 'json'
      ? `${JSON.stringify({ ok: results.every((r) => r.ok), environments: results.map((r) => ({ environment: r.environment, ok: r.ok, summary: r.summary, findings: r.findings, notes: r.notes, policies: r.policies.map((p) => ({ name: p.name, mode: p.mode, engine: p.engine, file: p.file })) })) }, null, 2)}\n`
      : formatCheckText(results);
  return { exitCode: results.every((r) => r.ok) ? 0 : 1, stdout, results, reports };
}
