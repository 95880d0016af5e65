import { POLICY_MODE_ANNOTATION } from '../../constructs/policy/admission-policy.ts';
import { POLICY_MODES, type PolicyMode } from '../../constructs/policy/mode.ts';
import type { FindingLevel } from './types.ts';

/**
 * The rollout mode of a rendered policy. The annotation Lockstep writes wins; otherwise the mode
 * is read from what the cluster would do (`validationActions`, or a ClusterPolicy's failureAction).
 */
export function modeOfPolicy(doc: { metadata?: { annotations?: Record<string, unknown> }; spec?: Record<string, unknown> }): PolicyMode {
  const annotated = doc.metadata?.annotations?.[POLICY_MODE_ANNOTATION];
  if ((POLICY_MODES as readonly unknown[]).includes(annotated)) return annotated as PolicyMode;
  const actions = doc.spec?.validationActions;
  if (Array.isArray(actions)) {
    if (actions.includes('Deny')) return 'Deny';
    if (actions.includes('Warn')) return 'Warn';
    return 'Audit';
  }
  const rules = doc.spec?.rules;
  if (Array.isArray(rules)) {
    const enforce = rules.some((r) => /^enforce$/i.test(String((r as { validate?: { failureAction?: unknown } }).validate?.failureAction ?? '')));
    if (enforce) return 'Deny';
    return doc.spec?.emitWarning === true ? 'Warn' : 'Audit';
  }
  return 'Deny';
}

/** Exit semantics: a Deny failure fails the check; Audit and Warn warn; Preview informs. */
export function levelFor(mode: PolicyMode): FindingLevel {
  switch (mode) {
    case 'Deny':
      return 'error';
    case 'Audit':
    case 'Warn':
      return 'warning';
    case 'Preview':
      return 'info';
  }
}
