/**
 * `lockstep report`: one self-contained HTML page per environment (summary, inventory, policy
 * results, supply chain, network flow graph, RBAC matrix), written to
 * `dist/<env>/reports/report.html` by default.
 */
import { isAbsolute, join } from 'node:path';
import { DEFAULT_OUT_DIR, envDistDir } from '../../release/layout.ts';
import { writeFileAtomic } from '../../util/atomic.ts';
import { renderReportHtml } from './html.ts';
import { loadReportInputs, type LoadReportOptions } from './inputs.ts';

export const REPORT_FILE = 'reports/report.html';

export type RenderReportOptions = LoadReportOptions;

/** The report page of one environment, as HTML text. Deterministic unless `generatedAt` is passed. */
export async function renderReport(options: RenderReportOptions): Promise<string> {
  return renderReportHtml(await loadReportInputs(options));
}

export interface WriteReportOptions extends RenderReportOptions {
  /** Output file; relative paths are resolved against `root`. @default dist/<env>/reports/report.html */
  readonly out?: string;
}

/** Renders the report and writes it atomically; returns the absolute path written. */
export async function writeReport(options: WriteReportOptions): Promise<string> {
  const html = await renderReport(options);
  const target = options.out === undefined ? join(envDistDir(options.root, options.env, options.outDir ?? DEFAULT_OUT_DIR), REPORT_FILE) : isAbsolute(options.out) ? options.out : join(options.root, options.out);
  await writeFileAtomic(target, html);
  return target;
}

/**
 * The `lockstep build` stage: a report for each environment, in order. Returns the paths written,
 * relative to `root` when inside it.
 */
export async function writeReports(options: { root: string; environments: readonly string[]; outDir?: string; verify?: boolean; progress?: (line: string) => void }): Promise<string[]> {
  const written: string[] = [];
  for (const env of options.environments) {
    options.progress?.(`report ${env}: rendering`);
    const path = await writeReport({ root: options.root, env, ...(options.outDir !== undefined ? { outDir: options.outDir } : {}), ...(options.verify !== undefined ? { verify: options.verify } : {}) });
    written.push(path.startsWith(`${options.root}/`) ? path.slice(options.root.length + 1) : path);
  }
  return written;
}
