import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ciPlan, CI_MODES, WORKFLOW_OF } from '../../src/delivery/ci.ts';

const REPO = join(import.meta.dirname, '../..');
const DIR = join(REPO, '.github/workflows');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml')).sort();

interface Step { uses?: string; run?: string; name?: string; with?: Record<string, unknown>; if?: string }
interface Job { steps: Step[]; environment?: string | { name: string }; permissions?: Record<string, string>; concurrency?: unknown }
interface Workflow { on: unknown; concurrency?: { group: string; 'cancel-in-progress'?: boolean }; jobs: Record<string, Job>; permissions?: Record<string, string> }

const load = (file: string): Workflow => parse(readFileSync(join(DIR, file), 'utf8')) as Workflow;
const steps = (w: Workflow): Step[] => Object.values(w.jobs).flatMap((j) => j.steps);
const uses = (w: Workflow): string[] => steps(w).flatMap((s) => (s.uses ? [s.uses] : []));

/** The job that runs the gates: the one whose steps run `npx lockstep build`. */
function gatesJob(w: Workflow): Job {
  const job = Object.values(w.jobs).find((j) => j.steps.some((s) => s.run?.includes('npx lockstep build')));
  if (!job) throw new Error('no job runs npx lockstep build');
  return job;
}

/** Every line of the job's `run:` steps, in order. */
const runLines = (job: Job): string[] => job.steps.flatMap((s) => (s.run ? s.run.split('\n').map((l) => l.trim()) : []));

describe('GitHub workflows', () => {
  it('are the three workflows of lockstep ci, and every one parses as YAML', () => {
    expect(FILES).toEqual(['main.yml', 'pr.yml', 'promote.yml']);
    for (const mode of CI_MODES) expect(FILES).toContain(WORKFLOW_OF[mode].replace('.github/workflows/', ''));
    for (const f of FILES) expect(load(f).jobs).toBeTypeOf('object');
  });

  it('each have a concurrency group', () => {
    for (const f of FILES) {
      const w = load(f);
      expect(w.concurrency?.group, f).toMatch(/\S/);
      expect(typeof w.concurrency?.['cancel-in-progress'], f).toBe('boolean');
    }
    // Releases queue; only pull request runs are cancelled by a newer push.
    expect(load('pr.yml').concurrency).toMatchObject({ group: 'pr-${{ github.event.pull_request.number }}', 'cancel-in-progress': true });
    expect(load('main.yml').concurrency?.['cancel-in-progress']).toBe(false);
    expect(load('promote.yml').concurrency).toEqual({ group: 'promote-production', 'cancel-in-progress': false });
  });

  it('pin every action to a version tag or commit', () => {
    for (const f of FILES) {
      for (const u of uses(load(f))) expect(u, `${f}: ${u}`).toMatch(/^[\w.-]+\/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
    }
  });

  it('install cosign, syft and kyverno with their official actions wherever gates run', () => {
    for (const f of FILES) {
      const all = uses(load(f));
      expect(all.some((u) => u.startsWith('sigstore/cosign-installer@')), f).toBe(true);
      expect(all.some((u) => u.startsWith('anchore/sbom-action/download-syft@')), f).toBe(true);
      expect(all.some((u) => u.startsWith('kyverno/action-install-cli@')), f).toBe(true);
      expect(steps(load(f)).find((s) => s.uses?.startsWith('actions/setup-node@'))?.with).toEqual({ 'node-version': 20, cache: 'npm' });
    }
  });

  it('run promotion in the GitHub environment production, triggered by hand with inputs', () => {
    const w = load('promote.yml');
    const job = gatesJob(w);
    expect(job.environment).toBe('production');
    expect(w.on).toMatchObject({ workflow_dispatch: { inputs: { reason: { required: true } } } });
    expect(runLines(job).some((l) => l.includes('actions/runs/$GITHUB_RUN_ID/approvals'))).toBe(true);
  });

  it('sign keyless: the signing jobs may request an OIDC token, the others may not', () => {
    for (const f of ['main.yml', 'promote.yml']) expect(gatesJob(load(f)).permissions?.['id-token'], f).toBe('write');
    const pr = load('pr.yml');
    expect(pr.permissions).toEqual({ contents: 'read' });
    for (const job of Object.values(pr.jobs)) expect(job.permissions?.['id-token']).toBeUndefined();
  });

  it('post the rendered diff as a sticky comment and upload SARIF on pull requests', () => {
    const all = uses(load('pr.yml'));
    expect(all.filter((u) => u.startsWith('github/codeql-action/upload-sarif@'))).toHaveLength(3);
    expect(all.some((u) => u.startsWith('marocchino/sticky-pull-request-comment@'))).toBe(true);
    expect(gatesJob(load('pr.yml')).permissions).toMatchObject({ 'security-events': 'write', 'pull-requests': 'write' });
  });

  for (const mode of CI_MODES) {
    it(`run the same gates as "lockstep ci ${mode}", in the same order (${WORKFLOW_OF[mode]})`, () => {
      const lines = runLines(gatesJob(load(WORKFLOW_OF[mode].replace('.github/workflows/', ''))));
      const plan = ciPlan(mode);
      // Each gate's line appears, after the previous gate's.
      let from = 0;
      for (const gate of plan) {
        const at = lines.findIndex((l, i) => i >= from && l.includes(gate.workflow));
        expect(at, `gate ${gate.id}: "${gate.workflow}" after line ${from}`).toBeGreaterThanOrEqual(from);
        from = at + 1;
      }
      // And the workflow runs no lockstep command that is not a gate.
      const lockstepLines = lines.filter((l) => l.startsWith('npx lockstep')).map((l) => l.replace(/\s*>.*$/, ''));
      expect(lockstepLines).toEqual(plan.map((g) => g.workflow).filter((w) => w.startsWith('npx lockstep')));
    });
  }
});
