/**
 * Renders a ScanResult in the shape `kyverno-json scan --output json` prints
 * (`pkg/commands/scan/report.go`), so results from this evaluator and from the real CLI can be
 * compared or consumed by the same tools:
 *
 *   [{ resource, results: [{ policy: <policy>, rules: [{ rule: <rule>, identifier?, error?,
 *      violations?: [{ message?, errors: [{ type, field, value?, detail }] }] }] }] }]
 *
 * Rules with status `skip` are left out, as the CLI has no such status.
 */
import type { JsonPolicy } from './policy.ts';
import type { ScanResult } from './scan.ts';

export interface KyvernoJsonErrorReport {
  readonly type: string;
  readonly field: string;
  readonly value?: unknown;
  readonly detail: string;
}

export interface KyvernoJsonRuleReport {
  readonly rule: Readonly<Record<string, unknown>>;
  readonly identifier?: string;
  readonly error?: string;
  readonly violations?: ReadonlyArray<{ readonly message?: string; readonly errors: readonly KyvernoJsonErrorReport[] }>;
}

export interface KyvernoJsonReport {
  readonly resource: unknown;
  readonly results?: ReadonlyArray<{ readonly policy: Readonly<Record<string, unknown>>; readonly rules?: readonly KyvernoJsonRuleReport[] }>;
}

export function toKyvernoJsonReport(result: ScanResult, policies: readonly JsonPolicy[]): KyvernoJsonReport[] {
  return result.resources.map((resource, resourceIndex) => {
    const results = policies.map((policy) => {
      const rules = result.results
        .filter((r) => r.resourceIndex === resourceIndex && r.policy === policy.name && r.status !== 'skip')
        .map((r): KyvernoJsonRuleReport => {
          const definition = policy.rules.find((rule) => rule.name === r.rule)?.definition ?? { name: r.rule };
          return {
            rule: definition,
            ...(r.identifier ? { identifier: r.identifier } : {}),
            ...(r.error ? { error: r.error } : {}),
            ...(r.violations.length > 0
              ? {
                  violations: r.violations.map((v) => ({
                    ...(v.message ? { message: v.message } : {}),
                    errors: v.errors.map((e) => ({
                      type: e.type,
                      field: e.field,
                      ...(e.value !== undefined && e.value !== null ? { value: e.value } : {}),
                      detail: e.detail,
                    })),
                  })),
                }
              : {}),
          };
        });
      return { policy: policy.document, ...(rules.length > 0 ? { rules } : {}) };
    });
    return { resource, ...(results.length > 0 ? { results } : {}) };
  });
}
