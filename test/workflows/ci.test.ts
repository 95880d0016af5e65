import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { ciPlan, ciRunJson, formatCiRun, localCommandLine, runCiPlan, type CiGate, type GateRunner } from '../../src/delivery/ci.ts';

const ids = (plan: readonly CiGate[]) => plan.map((g) => g.id);
const lines = (plan: readonly CiGate[]) => plan.map(localCommandLine);

/** An in-process runner over a set of registered commands and their exit codes. */
function runner(codes: Record<string, number>, changes: string[] | Error = []): GateRunner & { ran: string[] } {
  const ran: string[] = [];
  return {
    ran,
    hasCommand: (name) => name in codes,
    runCommand: async (name, args) => {
      ran.push([name, ...args].join(' '));
      return codes[name]!;
    },
    changes: async (paths) => {
      ran.push(`changes ${paths.join(' ')}`);
      if (changes instanceof Error) throw changes;
      return changes;
    },
  };
}

const ALL = { build: 0, argocd: 0, check: 0, 'policy test': 0, verify: 0, diff: 0, sign: 0, promote: 0 };

describe('ciPlan', () => {
  it('runs build, argocd, drift, check and policy tests first in every mode', () => {
    for (const mode of ['pr', 'staging', 'production'] as const) expect(ids(ciPlan(mode)).slice(0, 5)).toEqual(['build', 'argocd', 'drift', 'check', 'policy-test']);
  });

  it('ends a pull request with the production verification and the rendered diff against the base', () => {
    expect(lines(ciPlan('pr')).slice(5)).toEqual(['lockstep verify --env production', 'lockstep diff --base origin/main --format markdown']);
    expect(lines(ciPlan('pr', { base: 'origin/release-1' }))[6]).toBe('lockstep diff --base origin/release-1 --format markdown');
  });

  it('signs and verifies staging on main, keyless unless a key is given', () => {
    expect(lines(ciPlan('staging')).slice(5)).toEqual(['lockstep sign --env staging --cosign', 'lockstep verify --env staging']);
    expect(lines(ciPlan('staging', { key: 'release.key' }))[5]).toBe('lockstep sign --env staging --key release.key');
  });

  it('verifies staging, promotes, signs, verifies and pins production when promoting', () => {
    expect(ids(ciPlan('production')).slice(5)).toEqual(['verify-staging', 'promote', 'sign-production', 'verify-production', 'argocd-production']);
    expect(lines(ciPlan('production', { approvals: 'approvals.json' }))[6]).toBe('lockstep promote --from staging --to production --approvals approvals.json');
  });

  it('gives every gate a unique id and the line its workflow runs', () => {
    for (const mode of ['pr', 'staging', 'production'] as const) {
      const plan = ciPlan(mode);
      expect(new Set(ids(plan)).size).toBe(plan.length);
      for (const g of plan) expect(g.workflow).toMatch(/^(npx lockstep |git diff |cosign verify-blob )/);
    }
  });
});

describe('runCiPlan', () => {
  it('runs every gate in order and passes when all pass', async () => {
    const r = runner(ALL);
    const run = await runCiPlan('pr', ciPlan('pr'), r);
    expect(run.ok).toBe(true);
    expect(r.ran).toEqual(['build', 'argocd', 'changes dist argocd', 'check', 'policy test policies', 'verify --env production', 'diff --base origin/main --format markdown']);
  });

  it('fails when a gate command is not registered, and does not count it as passed', async () => {
    const { check, ...withoutCheck } = ALL;
    void check;
    const run = await runCiPlan('pr', ciPlan('pr'), runner(withoutCheck));
    expect(run.ok).toBe(false);
    expect(run.results.map((x) => x.status)).toEqual(['passed', 'passed', 'passed', 'not-available', 'skipped', 'skipped', 'skipped']);
    expect(run.results[3]?.detail).toBe('command "lockstep check" is not registered in this build');
  });

  it('stops at the first failing gate like a workflow, or runs the rest with keepGoing', async () => {
    const stopped = await runCiPlan('staging', ciPlan('staging'), runner({ ...ALL, check: 1 }));
    expect(stopped.results.map((x) => x.status)).toEqual(['passed', 'passed', 'passed', 'failed', 'skipped', 'skipped', 'skipped']);
    expect(stopped.results[4]?.detail).toBe('not run: gate check failed');
    const { diff, ...withoutDiff } = ALL;
    void diff;
    const all = await runCiPlan('pr', ciPlan('pr'), runner({ ...withoutDiff, check: 1 }), { keepGoing: true });
    expect(all.results.map((x) => x.status)).toEqual(['passed', 'passed', 'passed', 'failed', 'passed', 'passed', 'not-available']);
    expect(all.ok).toBe(false);
  });

  it('fails the drift gate when generated output is not committed, or when git cannot tell', async () => {
    const dirty = await runCiPlan('pr', ciPlan('pr'), runner(ALL, [' M dist/dev/objects.json', '?? argocd/dev/appproject_dev.yaml']));
    expect(dirty.results[2]).toMatchObject({ status: 'failed', detail: '2 uncommitted change(s) under dist, argocd: M dist/dev/objects.json, ?? argocd/dev/appproject_dev.yaml; commit the generated output' });
    const noGit = await runCiPlan('pr', ciPlan('pr'), runner(ALL, new Error('fatal: not a git repository')));
    expect(noGit.results[2]).toMatchObject({ status: 'not-available', detail: 'cannot ask git for uncommitted changes: fatal: not a git repository' });
  });

  it('summarizes each gate with ✓ or ✗ and counts the outcomes', async () => {
    const { diff, ...withoutDiff } = ALL;
    void diff;
    const run = await runCiPlan('pr', ciPlan('pr'), runner({ ...withoutDiff, verify: 1 }), { keepGoing: true });
    expect(formatCiRun(run)).toBe(
      [
        'lockstep ci pr (.github/workflows/pr.yml)',
        '  ✓ build              lockstep build',
        '  ✓ argocd             lockstep argocd',
        '  ✓ drift              git status --porcelain -- dist argocd',
        '  ✓ check              lockstep check',
        '  ✓ policy-test        lockstep policy test policies',
        '  ✗ verify-production  lockstep verify exited with 1',
        '  ✗ diff               not available: command "lockstep diff" is not registered in this build',
        'FAILED: 5 passed, 1 failed, 1 not available, 0 skipped',
        '',
      ].join('\n'),
    );
    expect(ciRunJson(run)).toMatchObject({ mode: 'pr', ok: false, gates: expect.arrayContaining([{ id: 'diff', title: expect.any(String), command: 'lockstep diff --base origin/main --format markdown', workflow: 'npx lockstep diff --base "origin/$BASE_REF" --format markdown', status: 'not-available', detail: expect.any(String) }]) });
  });
});

describe('lockstep ci', () => {
  async function cli(args: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: process.cwd(), env: {} });
    return { code, stdout, stderr };
  }

  it('exits 2 without a mode or with an unknown one', async () => {
    expect(await cli(['ci'])).toMatchObject({ code: 2, stderr: 'error: lockstep ci needs one of pr, staging, production, got ""; e.g. lockstep ci pr\n' });
    expect(await cli(['ci', 'nightly'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/needs one of pr, staging, production, got "nightly"/) });
  });

  it('prints the plan with --plan, each gate with its workflow line, and runs nothing', async () => {
    const r = await cli(['ci', 'staging', '--plan']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^lockstep ci staging \(\.github\/workflows\/main\.yml\)\n {3}1\. build/);
    expect(r.stdout).toContain('CI: cosign verify-blob dist/staging/release.json');
    const json = JSON.parse((await cli(['ci', 'pr', '--plan', '--json'])).stdout);
    expect(json.gates.map((g: { id: string }) => g.id)).toEqual(ids(ciPlan('pr')));
  });
});
