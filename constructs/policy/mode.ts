/**
 * Rollout modes of an admission policy. The mode is a property the platform passes per environment
 * (preview → audit → enforce), never an edit of the policy itself.
 *
 * - `Preview`: not sent to the cluster. `lockstep check` evaluates it and reports failures as
 *   information only.
 * - `Audit`: in the cluster, violations recorded in policy reports; check reports them as warnings.
 * - `Warn`: as Audit, and the API server returns a warning to the client.
 * - `Deny`: violations are rejected at admission; check fails on them.
 */
export type PolicyMode = 'Preview' | 'Audit' | 'Warn' | 'Deny';

export const POLICY_MODES: readonly PolicyMode[] = ['Preview', 'Audit', 'Warn', 'Deny'];

export type ValidationAction = 'Audit' | 'Warn' | 'Deny';

/**
 * `spec.validationActions` of a ValidatingPolicy for a mode. Preview policies are never applied,
 * but the file written for them is still a valid policy, so it says Audit.
 * Kubernetes forbids Deny together with Warn; Warn keeps Audit so violations still reach reports.
 */
export function validationActionsFor(mode: PolicyMode): ValidationAction[] {
  switch (mode) {
    case 'Deny':
      return ['Deny'];
    case 'Warn':
      return ['Audit', 'Warn'];
    case 'Audit':
    case 'Preview':
      return ['Audit'];
  }
}

/** Rule-level `validate.failureAction` of a legacy ClusterPolicy (Warn = Audit plus `spec.emitWarning`). */
export function failureActionFor(mode: PolicyMode): 'Enforce' | 'Audit' {
  return mode === 'Deny' ? 'Enforce' : 'Audit';
}

export function assertPolicyMode(what: string, mode: unknown): asserts mode is PolicyMode {
  if (!(POLICY_MODES as readonly unknown[]).includes(mode)) {
    throw new Error(`${what} must be one of ${POLICY_MODES.join(', ')}, got ${JSON.stringify(mode)}`);
  }
}
