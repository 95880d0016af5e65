/**
 * Writes `dist/<env>/reports/`: `policy-report.yaml`, `results.sarif`, `junit.xml`. Reports live
 * outside `manifests/`, so Argo CD never reads them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { policyReportYaml } from './reports/policy-report.ts';
import { sarifJson } from './reports/sarif.ts';
import { toJunit } from './reports/junit.ts';
import type { CheckResult } from './types.ts';

export const REPORTS_DIR = 'reports';

export interface ReportOptions {
  /** Seconds since the epoch for PolicyReport timestamps; none when absent (byte-stable output). */
  readonly timestamp?: number;
  readonly toolVersion?: string;
}

/** The report files of one environment, path relative to `dist/<env>/` → contents. */
export function reportFiles(result: CheckResult, options: ReportOptions = {}): Map<string, string> {
  return new Map([
    [`${REPORTS_DIR}/junit.xml`, toJunit([result])],
    [`${REPORTS_DIR}/policy-report.yaml`, policyReportYaml(result, options.timestamp !== undefined ? { timestamp: options.timestamp } : {})],
    [`${REPORTS_DIR}/results.sarif`, sarifJson([result], options.toolVersion ? { toolVersion: options.toolVersion } : {})],
  ]);
}

/** Writes the report files under `<root>/<result.distDir>/reports/`; returns the repository-relative paths. */
export async function writeReports(root: string, result: CheckResult, options: ReportOptions = {}): Promise<string[]> {
  const written: string[] = [];
  await mkdir(join(root, result.distDir, REPORTS_DIR), { recursive: true });
  for (const [path, text] of reportFiles(result, options)) {
    await writeFile(join(root, result.distDir, path), text);
    written.push(`${result.distDir}/${path}`);
  }
  return written;
}
