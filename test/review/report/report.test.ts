import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { REPORT_FILE, renderReport, writeReport, writeReports } from '../../../src/review/report/report.ts';
import { scratchDist } from './fixtures.ts';

async function withEnvironmentFiles(root: string, names: string[]): Promise<void> {
  await mkdir(join(root, 'environments'), { recursive: true });
  // Only the names matter here: the report reads the stage when the file is valid and says "unknown" otherwise.
  for (const n of names) await writeFile(join(root, 'environments', `${n}.yaml`), `name: ${n}\n`);
}

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env: {} });
  return { code, out, err };
}

describe('writeReport', () => {
  it('writes dist/<env>/reports/report.html by default, with no temporary file left behind', async () => {
    const root = await scratchDist();
    const path = await writeReport({ root, env: 'dev' });
    expect(path).toBe(join(root, 'dist/dev', REPORT_FILE));
    expect(await readFile(path, 'utf8')).toBe(await renderReport({ root, env: 'dev' }));
    expect(await readdir(join(root, 'dist/dev/reports'))).toEqual(['report.html']);
  });

  it('resolves a relative --out against the root', async () => {
    const root = await scratchDist();
    expect(await writeReport({ root, env: 'dev', out: 'out/r.html' })).toBe(join(root, 'out/r.html'));
    expect(await readFile(join(root, 'out/r.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });
});

describe('writeReports (the build stage)', () => {
  it('writes one report per environment and returns their repository paths', async () => {
    const root = await scratchDist('dev');
    await scratchDist('staging', undefined, root);
    const lines: string[] = [];
    expect(await writeReports({ root, environments: ['dev', 'staging'], progress: (l) => lines.push(l) })).toEqual(['dist/dev/reports/report.html', 'dist/staging/reports/report.html']);
    expect(lines).toEqual(['report dev: rendering', 'report staging: rendering']);
  });
});

describe('lockstep report', () => {
  it('writes the report of the environment and says where', async () => {
    const root = await scratchDist();
    await withEnvironmentFiles(root, ['dev']);
    const r = await cli(['report', '--env', 'dev', '--root', root]);
    expect(r).toMatchObject({ code: 0, out: 'dev: report → dist/dev/reports/report.html\n' });
    expect(await readFile(join(root, 'dist/dev/reports/report.html'), 'utf8')).toContain('stage unknown');
  });

  it('prints JSON with --json and writes to --out', async () => {
    const root = await scratchDist();
    await withEnvironmentFiles(root, ['dev']);
    const r = await cli(['report', '--env', 'dev', '--out', 'r.html', '--json', '--root', root]);
    expect(JSON.parse(r.out)).toEqual({ environment: 'dev', report: 'r.html' });
  });

  it('shows a present signature as not verified with --no-verify', async () => {
    const root = await scratchDist();
    await withEnvironmentFiles(root, ['dev']);
    const release = { apiVersion: 'lockstep.dev/v1alpha1', kind: 'Release', id: 'dev-0123456789ab', environment: { name: 'dev', stage: 'dev' }, source: { commit: 'e'.repeat(40), compilerVersion: '0.1.0' }, inputs: [], manifests: { digest: `sha256:${'d'.repeat(64)}`, files: [] }, images: [], artifacts: [] };
    await writeFile(join(root, 'dist/dev/release.json'), JSON.stringify(release));
    await writeFile(join(root, 'dist/dev/release.sigstore.json'), '{}');
    expect((await cli(['report', '--env', 'dev', '--no-verify', '--root', root])).code).toBe(0);
    expect(await readFile(join(root, 'dist/dev/reports/report.html'), 'utf8')).toContain('data-signature="signed-unverified">signed (not verified here)<');
  });

  it('fails when --env is missing (usage error)', async () => {
    const root = await scratchDist();
    await withEnvironmentFiles(root, ['dev']);
    const r = await cli(['report', '--root', root]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('error: lockstep report: --env NAME is required; name the environment, e.g. lockstep report --env dev');
  });

  it('fails when the environment is unknown (usage error)', async () => {
    const root = await scratchDist();
    await withEnvironmentFiles(root, ['dev']);
    const r = await cli(['report', '--env', 'prod', '--root', root]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown environment "prod"');
  });

  it('fails when the environment has not been rendered', async () => {
    const root = await scratchDist();
    await withEnvironmentFiles(root, ['dev', 'staging']);
    const r = await cli(['report', '--env', 'staging', '--root', root]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error: dist/staging/objects.json: not found: there is no rendering of environment "staging" to report on; run `lockstep synth --env staging` first');
  });
});
