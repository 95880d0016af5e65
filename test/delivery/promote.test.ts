import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { parseLock } from '../../src/delivery/lock.ts';

const REPO = join(import.meta.dirname, '../..');
const COMMIT = 'a'.repeat(40);
let root: string;

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main([...args, '--root', root, '--quiet'], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { COSIGN_PASSWORD: 'test-password', PATH: process.env.PATH } });
  return { code, stdout, stderr };
}

describe('promote, verify and rollback', () => {
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'lockstep-promote-'));
    for (const d of ['environments', 'sboms', 'policies']) await cp(join(REPO, d), join(root, d), { recursive: true });
    expect((await cli('generate-key-pair', '--output-key-prefix', 'k')).code).toBe(0);
    expect((await cli('synth')).code).toBe(0);
    expect((await cli('check', '--env', 'staging')).code).toBe(0);
    expect((await cli('sign', '--env', 'staging', '--key', 'k.key', '--source-commit', COMMIT)).code).toBe(0);
  });

  it('reports a promotable environment that was never promoted as not released, and passes', async () => {
    const r = await cli('verify', '--env', 'production');
    expect(r).toMatchObject({ code: 0, stdout: 'production has not been promoted yet (no environments/production.lock.yaml, no dist/production/release.json): nothing to verify\n' });
  });

  it('verifies the signed staging release', async () => {
    expect(await cli('verify', '--env', 'staging', '--key', 'k.pub')).toMatchObject({ code: 0 });
  });

  it('refuses a promotion with one approver, saying how many are missing', async () => {
    const r = await cli('promote', '--from', 'staging', '--to', 'production', '--approver', 'alice', '--key', 'k.key', '--source-commit', COMMIT);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: environments/production.yaml: /approvals/required: production needs 2 distinct approvers, got 1 (alice); add --approver <id> for 1 more person(s); the same person counts once\n');
  });

  it('counts the same person once, whatever the case', async () => {
    const r = await cli('promote', '--from', 'staging', '--to', 'production', '--approver', 'alice', '--approver', 'ALICE', '--key', 'k.key', '--source-commit', COMMIT);
    expect(r.stderr).toMatch(/needs 2 distinct approvers, got 1 \(alice\)/);
  });

  it('promotes with two approvers, pins the staging digests and locks production', async () => {
    const r = await cli('promote', '--from', 'staging', '--to', 'production', '--approver', 'alice', '--approver', 'bob', '--key', 'k.key', '--source-commit', COMMIT, '--json');
    expect(r.code).toBe(0);
    const lock = parseLock(await readFile(join(root, 'environments/production.lock.yaml')), 'environments/production.lock.yaml');
    expect(lock.current.approvals.map((a) => a.identity)).toEqual(['alice', 'bob']);
    expect(lock.current.promotedFrom.environment).toBe('staging');
    expect(Object.values(lock.current.images).every((i) => /@sha256:[0-9a-f]{64}$/.test(i))).toBe(true);
    expect(await cli('verify', '--env', 'production', '--key', 'k.pub')).toMatchObject({ code: 0 });
  });

  it('checks the lock and the release metadata with the kyverno-json policies', async () => {
    const r = await cli('check', '--env', 'production', '--format', 'json', '--no-reports');
    expect(r.code).toBe(0);
    const env = JSON.parse(r.stdout).environments[0];
    expect(env.policies.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['promotion-lock', 'release-metadata']));
  });

  it('fails verification after a hand edit of any production manifest, naming the file', async () => {
    const file = join(root, 'dist/production/manifests/kgents-agents/service_planner.yaml');
    const original = await readFile(file, 'utf8');
    await writeFile(file, `${original}# edited by hand\n`);
    const r = await cli('verify', '--env', 'production', '--key', 'k.pub');
    await writeFile(file, original);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/dist\/production\/manifests\/kgents-agents\/service_planner\.yaml: sha256 changed/);
  });

  it('fails verification when the lock is edited by hand', async () => {
    const file = join(root, 'environments/production.lock.yaml');
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace('identity: bob', 'identity: mallory'));
    const r = await cli('verify', '--env', 'production', '--key', 'k.pub');
    await writeFile(file, original);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/production\.lock\.yaml: signature environments\/production\.lock\.sigstore\.json does not verify/);
  });

  it('refuses a skew outside the contract', async () => {
    const file = join(root, 'environments/production.yaml');
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace('  llmProviders: [203.0.113.0/24]', '  llmProviders: [203.0.113.0/24, 192.0.2.0/24]'));
    const r = await cli('promote', '--from', 'staging', '--to', 'production', '--approver', 'alice', '--approver', 'bob', '--key', 'k.key', '--source-commit', COMMIT);
    await writeFile(file, original);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\/egress\/llmProviders\/1: differs from staging .*egress is not in promotion.skew/);
  });

  it('rolls back to the previous release, which verifies', async () => {
    const file = join(root, 'environments/production.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('    project-ai-core: 3', '    project-ai-core: 4'));
    expect((await cli('promote', '--from', 'staging', '--to', 'production', '--approver', 'alice', '--approver', 'bob', '--key', 'k.key', '--source-commit', COMMIT)).code).toBe(0);
    const lock = parseLock(await readFile(join(root, 'environments/production.lock.yaml')), 'x');
    const previous = lock.history[0]!.id;
    const r = await cli('rollback', '--env', 'production', '--to', previous, '--approver', 'alice', '--approver', 'bob', '--key', 'k.key', '--source-commit', COMMIT);
    expect(r.code).toBe(0);
    const after = parseLock(await readFile(join(root, 'environments/production.lock.yaml')), 'x');
    expect(after.current.rollbackOf).toBe(previous);
    expect(await cli('verify', '--env', 'production', '--key', 'k.pub')).toMatchObject({ code: 0 });
  });

  it('refuses a rollback to a release that is not in the history', async () => {
    const r = await cli('rollback', '--env', 'production', '--to', 'production-000000000000', '--approver', 'alice', '--approver', 'bob', '--key', 'k.key', '--source-commit', COMMIT);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no release "production-000000000000" in the lock history; use one of: production-/);
  });

  it('lets a break-glass promotion through with one approver and flags it in verify, check and the report', async () => {
    expect((await cli('promote', '--from', 'staging', '--to', 'production', '--approver', 'alice', '--break-glass', '--key', 'k.key', '--source-commit', COMMIT)).code).toBe(2);
    const r = await cli('promote', '--from', 'staging', '--to', 'production', '--approver', 'alice', '--break-glass', '--reason', 'CVE hotfix while bob is unreachable', '--key', 'k.key', '--source-commit', COMMIT);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: BREAK-GLASS: production needs 2 distinct approvers, promoted with 1 \(alice\)/);
    expect((await cli('verify', '--env', 'production', '--key', 'k.pub')).stderr).toMatch(/warning: BREAK-GLASS release production-[0-9a-f]{12}: CVE hotfix/);
    expect((await cli('check', '--env', 'production', '--no-reports')).stdout).toMatch(/note BREAK-GLASS: production runs release production-[0-9a-f]{12} promoted with --break-glass: CVE hotfix/);
    expect((await cli('report', '--env', 'production', '--out', join(root, 'report.html'), '--no-verify')).code).toBe(0);
    expect(await readFile(join(root, 'report.html'), 'utf8')).toMatch(/data-break-glass="true">BREAK-GLASS: CVE hotfix/);
  });
});
