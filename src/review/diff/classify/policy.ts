/**
 * `policy-relaxed`: admission control that is weaker on the head side — a ValidatingPolicy (or
 * ValidatingAdmissionPolicyBinding) that no longer denies, a Kyverno ClusterPolicy rule moved from
 * Enforce to Audit, `failurePolicy: Ignore`, a removed policy, rule or validation, a new or wider
 * PolicyException.
 */
import type { KubeJson } from '../../../k8s/objects.ts';
import { jsonEqual } from '../match.ts';
import type { RiskNote } from '../types.ts';

const POLICY_GROUPS = ['kyverno.io', 'policies.kyverno.io', 'admissionregistration.k8s.io'];
const LEGACY_KINDS = ['ClusterPolicy', 'Policy'];

function group(obj: KubeJson): string {
  const v = String(obj.apiVersion);
  return v.includes('/') ? v.split('/')[0]! : '';
}

/** Whether an object is an admission policy, binding or exception this classifier reads. */
export function isPolicyObject(obj: KubeJson): boolean {
  return POLICY_GROUPS.includes(group(obj)) && (group(obj) !== 'admissionregistration.k8s.io' || /^Validating/.test(String(obj.kind)));
}

function failurePolicy(obj: KubeJson): string | undefined {
  return (obj.spec?.failurePolicy ?? obj.spec?.webhookConfiguration?.failurePolicy) as string | undefined;
}

/** Effective action of each rule of a ClusterPolicy/Policy (rule `failureAction`, else the policy's). */
export function ruleActions(policy: KubeJson): Map<string, string> {
  const fallback = String(policy.spec?.validationFailureAction ?? 'Audit');
  const out = new Map<string, string>();
  for (const r of (policy.spec?.rules as KubeJson[] | undefined) ?? []) {
    if (!r.validate) continue;
    out.set(String(r.name), String(r.validate.failureAction ?? fallback));
  }
  return out;
}

function enforces(action: string | undefined): boolean {
  return action !== undefined && /^(enforce|deny)$/i.test(action);
}

function legacyRelaxation(before: KubeJson, after: KubeJson): RiskNote[] {
  const notes: RiskNote[] = [];
  const was = ruleActions(before);
  const now = ruleActions(after);
  const rules = (after.spec?.rules as KubeJson[] | undefined) ?? [];
  for (const [name, action] of was) {
    const i = rules.findIndex((r) => r.name === name);
    if (!now.has(name)) {
      notes.push({ class: 'policy-relaxed', pointer: '/spec/rules', message: `validate rule ${name} removed` });
    } else if (enforces(action) && !enforces(now.get(name))) {
      const at = rules[i]?.validate?.failureAction !== undefined ? `/spec/rules/${i}/validate/failureAction` : '/spec/validationFailureAction';
      notes.push({ class: 'policy-relaxed', pointer: at, message: `rule ${name}: failureAction ${action} → ${now.get(name)} (violations are admitted)` });
    }
  }
  return notes;
}

function validatingRelaxation(before: KubeJson, after: KubeJson): RiskNote[] {
  const notes: RiskNote[] = [];
  const was = (before.spec?.validationActions as string[] | undefined) ?? [];
  const now = (after.spec?.validationActions as string[] | undefined) ?? [];
  if (was.includes('Deny') && !now.includes('Deny')) {
    notes.push({ class: 'policy-relaxed', pointer: '/spec/validationActions', message: `validationActions [${was.join(', ')}] → [${now.join(', ')}] (violations are admitted)` });
  }
  const exprs = (p: KubeJson) => ((p.spec?.validations as KubeJson[] | undefined) ?? []).map((v) => String(v.expression));
  const kept = new Set(exprs(after));
  for (const e of exprs(before)) {
    if (!kept.has(e)) notes.push({ class: 'policy-relaxed', pointer: '/spec/validations', message: `validation removed: ${e.length > 120 ? `${e.slice(0, 117)}...` : e}` });
  }
  return notes;
}

function exceptionNote(before: KubeJson | undefined, after: KubeJson): RiskNote[] {
  if (before && jsonEqual(before.spec, after.spec)) return [];
  const what = ((after.spec?.exceptions as KubeJson[] | undefined) ?? []).map((e) => `${e.policyName}${e.ruleNames ? ` (${(e.ruleNames as string[]).join(', ')})` : ''}`);
  return [{ class: 'policy-relaxed', pointer: '/spec', message: `${before ? 'PolicyException changed' : 'new PolicyException'}: exempts matching resources from ${what.join(', ') || 'policies'}` }];
}

/** The policy classifier. */
export function classifyPolicy(before: KubeJson | undefined, after: KubeJson | undefined): RiskNote[] {
  const obj = after ?? before;
  if (!obj || !isPolicyObject(obj)) return [];
  if (obj.kind === 'PolicyException') return after ? exceptionNote(before, after) : [];
  if (!after) return [{ class: 'policy-relaxed', message: `${obj.kind} removed: nothing enforces its rules any more` }];
  if (!before) return [];
  const notes: RiskNote[] = [];
  if (failurePolicy(before) !== 'Ignore' && failurePolicy(after) === 'Ignore') {
    notes.push({ class: 'policy-relaxed', pointer: after.spec?.failurePolicy !== undefined ? '/spec/failurePolicy' : '/spec/webhookConfiguration/failurePolicy', message: 'failurePolicy Fail → Ignore (requests are admitted when the policy cannot be evaluated)' });
  }
  if (LEGACY_KINDS.includes(String(after.kind)) && group(after) === 'kyverno.io') notes.push(...legacyRelaxation(before, after));
  else notes.push(...validatingRelaxation(before, after));
  return notes;
}
