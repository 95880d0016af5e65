/**
 * `lockstep ci pr|staging|production`: the gates of the three GitHub workflows, run locally, in the
 * same order, so "green locally" means "green in CI".
 *
 * | mode       | workflow                       | gates                                                                 |
 * |------------|--------------------------------|-----------------------------------------------------------------------|
 * | pr         | .github/workflows/pr.yml       | build, argocd, drift, check, policy test, verify production, diff     |
 * | staging    | .github/workflows/main.yml     | build, argocd, drift, check, policy test, sign staging, verify staging|
 * | production | .github/workflows/promote.yml  | build, argocd, drift, check, policy test, verify staging, promote,    |
 * |            |                                | sign production, verify production, argocd production                 |
 *
 * Each gate names the line its workflow step runs (`workflow`); test/workflows checks that every
 * workflow runs exactly these lines in this order, so the two cannot drift apart silently.
 *
 * A gate whose command is not registered in this build (a command still being written) is "not
 * available", which is a failure: a gate that cannot run has not passed. Like a workflow, the run
 * stops at the first failing gate unless `keepGoing`; the remaining gates are "skipped".
 *
 * Signing differs by design: CI signs keyless (`--cosign`, the workflow's OIDC identity) and verifies
 * with `cosign verify-blob`; locally a key is needed (`--key`), verified with `lockstep verify`.
 */

export type CiMode = 'pr' | 'staging' | 'production';
export const CI_MODES: readonly CiMode[] = ['pr', 'staging', 'production'];

/** The workflow file whose gates each mode runs. */
export const WORKFLOW_OF: Readonly<Record<CiMode, string>> = {
  pr: '.github/workflows/pr.yml',
  staging: '.github/workflows/main.yml',
  production: '.github/workflows/promote.yml',
};

/** The files the drift gate requires to be committed after build. */
export const DRIFT_PATHS: readonly string[] = ['dist', 'argocd'];

export type GateAction =
  | { readonly kind: 'command'; readonly command: string; readonly args: readonly string[] }
  | { readonly kind: 'drift'; readonly paths: readonly string[] };

export interface CiGate {
  /** Unique within a plan, e.g. `verify-production`. */
  readonly id: string;
  readonly title: string;
  /** What runs locally. */
  readonly action: GateAction;
  /** The command line the workflow step runs for this gate (verbatim in the workflow file). */
  readonly workflow: string;
}

export interface CiPlanOptions {
  /** Base revision of the rendered diff (pr). @default 'origin/main' */
  readonly base?: string;
  /** Signing key for local sign gates; without it they sign keyless with cosign, as CI does. */
  readonly key?: string;
  /** Approvals file for the promote gate (CI fetches the deployment's approvals into one). */
  readonly approvals?: string;
}

const command = (id: string, title: string, name: string, args: readonly string[], workflow: string): CiGate => ({
  id,
  title,
  action: { kind: 'command', command: name, args },
  workflow,
});

const verifyBlob = (env: string): string => `cosign verify-blob dist/${env}/release.json`;

function commonGates(): CiGate[] {
  return [
    command('build', 'render, gate and write every environment', 'build', [], 'npx lockstep build'),
    command('argocd', 'generate the Argo CD objects', 'argocd', [], 'npx lockstep argocd'),
    {
      id: 'drift',
      title: 'dist/ and argocd/ are committed as generated',
      action: { kind: 'drift', paths: DRIFT_PATHS },
      workflow: `git diff --exit-code -- ${DRIFT_PATHS.join(' ')}`,
    },
    command('check', 'admission policies against every rendered object', 'check', [], 'npx lockstep check'),
    command('policy-test', 'policy fixtures (kyverno-test.yaml)', 'policy test', ['policies'], 'npx lockstep policy test policies'),
  ];
}

function signGate(env: string, key: string | undefined): CiGate {
  return command(`sign-${env}`, `sign the ${env} release`, 'sign', ['--env', env, ...(key ? ['--key', key] : ['--cosign'])], `npx lockstep sign --env ${env} --cosign`);
}

function verifyGate(env: string, workflow: string): CiGate {
  return command(`verify-${env}`, `the ${env} release is signed and intact`, 'verify', ['--env', env], workflow);
}

/** The gates of a mode, in workflow order. Pure. */
export function ciPlan(mode: CiMode, options: CiPlanOptions = {}): CiGate[] {
  const gates = commonGates();
  switch (mode) {
    case 'pr':
      return [
        ...gates,
        verifyGate('production', 'npx lockstep verify --env production'),
        command('diff', 'rendered diff against the base branch', 'diff', ['--base', options.base ?? 'origin/main', '--format', 'markdown'], 'npx lockstep diff --base "origin/$BASE_REF" --format markdown'),
      ];
    case 'staging':
      return [...gates, signGate('staging', options.key), verifyGate('staging', verifyBlob('staging'))];
    case 'production':
      return [
        ...gates,
        verifyGate('staging', verifyBlob('staging')),
        command('promote', 'promote the staging release to production', 'promote', ['--from', 'staging', '--to', 'production', ...(options.approvals ? ['--approvals', options.approvals] : [])], 'npx lockstep promote --from staging --to production --approvals approvals.json'),
        signGate('production', options.key),
        verifyGate('production', verifyBlob('production')),
        command('argocd-production', 'pin production to the promoted release', 'argocd', ['--env', 'production'], 'npx lockstep argocd --env production'),
      ];
  }
}

export type GateStatus = 'passed' | 'failed' | 'not-available' | 'skipped';

export interface GateResult {
  readonly gate: CiGate;
  readonly status: GateStatus;
  /** Why it failed, was not available or was skipped. */
  readonly detail?: string;
}

/** What runs the gates: the CLI's registry and commands, and git. */
export interface GateRunner {
  /** Whether a command of this name is registered in this build. */
  hasCommand(name: string): boolean;
  /** Runs a registered command in process; returns its exit code. */
  runCommand(name: string, args: readonly string[]): Promise<number>;
  /** Uncommitted changes under `paths` (porcelain lines); throws when git cannot tell. */
  changes(paths: readonly string[]): Promise<string[]>;
  /** Called before each gate runs. */
  onGate?(gate: CiGate): void;
}

export interface CiRunResult {
  readonly mode: CiMode;
  readonly ok: boolean;
  readonly results: readonly GateResult[];
}

export async function runCiPlan(mode: CiMode, plan: readonly CiGate[], runner: GateRunner, options: { keepGoing?: boolean } = {}): Promise<CiRunResult> {
  const results: GateResult[] = [];
  let stopped: string | undefined;
  for (const gate of plan) {
    if (stopped !== undefined) {
      results.push({ gate, status: 'skipped', detail: `not run: gate ${stopped} failed` });
      continue;
    }
    const result = await runGate(gate, runner);
    results.push(result);
    if (result.status !== 'passed' && !options.keepGoing) stopped = gate.id;
  }
  return { mode, ok: results.every((r) => r.status === 'passed'), results };
}

async function runGate(gate: CiGate, runner: GateRunner): Promise<GateResult> {
  const { action } = gate;
  if (action.kind === 'command') {
    if (!runner.hasCommand(action.command)) {
      return { gate, status: 'not-available', detail: `command "lockstep ${action.command}" is not registered in this build` };
    }
    runner.onGate?.(gate);
    const code = await runner.runCommand(action.command, action.args);
    return code === 0 ? { gate, status: 'passed' } : { gate, status: 'failed', detail: `lockstep ${action.command} exited with ${code}` };
  }
  runner.onGate?.(gate);
  let changes: string[];
  try {
    changes = await runner.changes(action.paths);
  } catch (e) {
    return { gate, status: 'not-available', detail: `cannot ask git for uncommitted changes: ${(e as Error).message}` };
  }
  if (changes.length === 0) return { gate, status: 'passed' };
  const shown = changes.slice(0, 10).map((c) => c.trim()).join(', ');
  return { gate, status: 'failed', detail: `${changes.length} uncommitted change(s) under ${action.paths.join(', ')}: ${shown}${changes.length > 10 ? ', …' : ''}; commit the generated output` };
}

/** The local command line of a gate, for summaries: `lockstep verify --env production`. */
export function localCommandLine(gate: CiGate): string {
  return gate.action.kind === 'command' ? ['lockstep', gate.action.command, ...gate.action.args].join(' ') : `git status --porcelain -- ${gate.action.paths.join(' ')}`;
}

const MARK: Readonly<Record<GateStatus, string>> = { passed: '✓', failed: '✗', 'not-available': '✗', skipped: '-' };

export function formatCiRun(run: CiRunResult): string {
  const width = Math.max(...run.results.map((r) => r.gate.id.length));
  const lines = [`lockstep ci ${run.mode} (${WORKFLOW_OF[run.mode]})`];
  for (const r of run.results) {
    const what = r.status === 'not-available' ? `not available: ${r.detail}` : r.detail ?? localCommandLine(r.gate);
    lines.push(`  ${MARK[r.status]} ${r.gate.id.padEnd(width)}  ${what}`);
  }
  const count = (s: GateStatus): number => run.results.filter((r) => r.status === s).length;
  const parts = [`${count('passed')} passed`, `${count('failed')} failed`, `${count('not-available')} not available`, `${count('skipped')} skipped`];
  lines.push(`${run.ok ? 'ok' : 'FAILED'}: ${parts.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

export function ciRunJson(run: CiRunResult): unknown {
  return {
    mode: run.mode,
    workflow: WORKFLOW_OF[run.mode],
    ok: run.ok,
    gates: run.results.map((r) => ({ id: r.gate.id, title: r.gate.title, command: localCommandLine(r.gate), workflow: r.gate.workflow, status: r.status, ...(r.detail ? { detail: r.detail } : {}) })),
  };
}
