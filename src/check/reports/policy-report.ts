/**
 * PolicyReport / ClusterPolicyReport (`wgpolicyk8s.io/v1alpha2`, kubernetes-sigs/wg-policy-prototypes)
 * for one environment: one ClusterPolicyReport for cluster-scoped objects and non-Kubernetes
 * payloads, one PolicyReport per namespace. Deterministic: results in check order, no timestamp
 * unless one is passed in. A Preview failure is `warn` with `scored: false` (Kyverno's meaning of
 * warn: a failure of a policy that is not scored).
 */
import jsYaml from 'js-yaml';
import type { CheckResult, CheckSummary, PolicyEvaluation } from '../types.ts';

export const POLICY_REPORT_API_VERSION = 'wgpolicyk8s.io/v1alpha2';

export interface PolicyReportOptions {
  /** Seconds since the epoch to stamp on every result; omitted when absent. */
  readonly timestamp?: number;
}

type ReportResult = Record<string, unknown>;

function reportResult(e: PolicyEvaluation, options: PolicyReportOptions): ReportResult {
  const result = e.result === 'fail' && e.mode === 'Preview' ? 'warn' : e.result;
  return {
    category: e.category,
    ...(e.message !== undefined ? { message: e.message } : {}),
    policy: e.policy,
    // Keys in code-point order, like every other map Lockstep writes.
    properties: {
      ...(e.autogen ? { autogen: e.autogen } : {}),
      ...(e.constructPath ? { constructPath: e.constructPath } : {}),
      file: e.file,
      mode: e.mode,
    },
    resources: [{ apiVersion: e.resource.apiVersion, kind: e.resource.kind, name: e.resource.name, ...(e.resource.namespace ? { namespace: e.resource.namespace } : {}) }],
    result,
    rule: e.rule,
    scored: e.mode !== 'Preview',
    severity: e.severity,
    source: 'lockstep',
    ...(options.timestamp !== undefined ? { timestamp: { nanos: 0, seconds: Math.floor(options.timestamp) } } : {}),
  };
}

function summaryOf(results: readonly ReportResult[]): CheckSummary {
  const s = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) s[r.result as keyof CheckSummary]++;
  return s;
}

/** The report documents: the ClusterPolicyReport first, then PolicyReports by namespace. */
export function toPolicyReports(result: CheckResult, options: PolicyReportOptions = {}): Record<string, unknown>[] {
  const byNamespace = new Map<string, ReportResult[]>();
  for (const e of result.evaluations) {
    const ns = e.resource.namespace ?? '';
    const list = byNamespace.get(ns) ?? [];
    list.push(reportResult(e, options));
    byNamespace.set(ns, list);
  }
  const name = `lockstep-${result.environment}`;
  const labels = { 'app.kubernetes.io/managed-by': 'lockstep', 'lockstep.dev/environment': result.environment };
  const docs: Record<string, unknown>[] = [];
  const cluster = byNamespace.get('') ?? [];
  docs.push({ apiVersion: POLICY_REPORT_API_VERSION, kind: 'ClusterPolicyReport', metadata: { labels, name }, results: cluster, summary: summaryOf(cluster) });
  for (const ns of [...byNamespace.keys()].filter((n) => n !== '').sort()) {
    const list = byNamespace.get(ns)!;
    docs.push({ apiVersion: POLICY_REPORT_API_VERSION, kind: 'PolicyReport', metadata: { labels, name, namespace: ns }, results: list, summary: summaryOf(list) });
  }
  return docs;
}

/** `policy-report.yaml`: the report documents as multi-document YAML. */
export function policyReportYaml(result: CheckResult, options: PolicyReportOptions = {}): string {
  return toPolicyReports(result, options)
    .map((d) => `---\n${jsYaml.dump(d, { lineWidth: -1, noRefs: true, quotingType: '"', sortKeys: false })}`)
    .join('');
}
