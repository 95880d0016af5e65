import { LockstepError } from '../util/errors.ts';
import type { Approval } from './lock.ts';

/**
 * Distinct approvals from the command line and the CI approval context. Identities are compared
 * case-insensitively, so one person cannot count twice by changing case.
 */
export function collectApprovals(flags: readonly string[], ciApprovers: readonly string[], at: string): Approval[] {
  const seen = new Set<string>();
  const out: Approval[] = [];
  const add = (raw: string, source: Approval['source']) => {
    const identity = raw.trim();
    if (!identity || seen.has(identity.toLowerCase())) return;
    seen.add(identity.toLowerCase());
    out.push({ identity, at, source });
  };
  for (const f of flags) add(f, 'flag');
  for (const c of ciApprovers) add(c, 'github-environment');
  return out;
}

/**
 * Approvers recorded by the CI approval step. The promote workflow exports the reviewers of the
 * `production` environment deployment as `LOCKSTEP_APPROVERS` (comma-separated).
 */
export function ciApprovers(env: Readonly<Record<string, string | undefined>>): string[] {
  return (env['LOCKSTEP_APPROVERS'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/**
 * Approvers from the GitHub "pending deployments / approvals" API response that the promote
 * workflow saves (`gh api repos/{repo}/actions/runs/{run}/approvals`): every user whose review of
 * the target environment was approved. GitHub itself needs only one reviewer; the count Lockstep
 * requires is checked by promote.
 */
export function approversFromGithub(json: unknown, environment: string, file: string): string[] {
  if (!Array.isArray(json)) throw new LockstepError({ file, message: 'expected the JSON array of the GitHub run approvals API', fix: 'save `gh api repos/OWNER/REPO/actions/runs/RUN_ID/approvals` to this file', code: 'promote/approvals-file' });
  const out: string[] = [];
  for (const entry of json as { state?: string; user?: { login?: string }; environments?: { name?: string }[] }[]) {
    if (entry?.state !== 'approved' || !entry.user?.login) continue;
    if (entry.environments && !entry.environments.some((e) => e?.name === environment)) continue;
    out.push(entry.user.login);
  }
  return out;
}
