/**
 * kyverno-json policies (`json.kyverno.io/v1alpha1`) over non-Kubernetes payloads: environment
 * files, release metadata, promotion locks. They live in `policies/<name>/<name>.yaml` next to the
 * admission policies; only the built-in kyverno-json evaluator (src/policy/json) runs them.
 * Their mode comes from the `lockstep.dev/policy-mode` annotation and defaults to Deny: they gate
 * the pipeline, not a cluster.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JSON_POLICY_API_VERSION, loadJsonPolicies, scan, type JsonPolicy } from '../policy/json/index.ts';
import { modeOfPolicy } from './mode.ts';
import type { CheckedResource, PolicyEvaluation, PolicyInfo } from './types.ts';
import type { PolicySeverity } from '../../constructs/policy/admission-policy.ts';

export interface JsonPolicyFile {
  /** Repository-relative path. */
  readonly file: string;
  readonly text: string;
}

export interface JsonPayload {
  /** Repository-relative path of the payload. */
  readonly file: string;
  readonly resource: CheckedResource;
  readonly payload: unknown;
}

/** Every `<dir>/<name>/<name>.yaml` whose first document is a kyverno-json policy, sorted. */
export async function findJsonPolicyFiles(root: string, dir = 'policies'): Promise<JsonPolicyFile[]> {
  let folders: string[];
  try {
    folders = (await readdir(join(root, dir), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: JsonPolicyFile[] = [];
  for (const name of folders) {
    const file = `${dir}/${name}/${name}.yaml`;
    let text: string;
    try {
      text = await readFile(join(root, file), 'utf8');
    } catch {
      continue;
    }
    if (text.includes(`apiVersion: ${JSON_POLICY_API_VERSION}`)) out.push({ file, text });
  }
  return out;
}

export interface JsonEvaluation {
  readonly policies: readonly PolicyInfo[];
  readonly evaluations: readonly PolicyEvaluation[];
}

function infoOf(p: JsonPolicy): PolicyInfo {
  const doc = p.document as { metadata?: { annotations?: Record<string, string> } };
  const a = doc.metadata?.annotations ?? {};
  const severity = (['low', 'medium', 'high', 'critical'] as const).find((s) => s === a['policies.kyverno.io/severity']) ?? 'medium';
  return {
    name: p.name,
    file: p.file,
    mode: modeOfPolicy({ ...doc, spec: {} as Record<string, unknown> }),
    engine: 'kyverno-json',
    title: a['policies.kyverno.io/title'] ?? p.name,
    category: a['policies.kyverno.io/category'] ?? 'Other',
    severity: severity as PolicySeverity,
    description: a['policies.kyverno.io/description'] ?? '',
    rules: p.rules.map((r) => r.name),
  };
}

/** Loads the policy files (throws a LockstepError on invalid ones) and scans each payload. */
export function evaluateJsonPayloads(files: readonly JsonPolicyFile[], payloads: readonly JsonPayload[]): JsonEvaluation {
  const policies = files.flatMap((f) => loadJsonPolicies(f.text, f.file));
  const infos = policies.map(infoOf);
  const byName = new Map(infos.map((i) => [i.name, i]));
  const evaluations: PolicyEvaluation[] = [];
  for (const payload of payloads) {
    const result = scan(policies, [payload.payload]);
    for (const r of result.results) {
      if (r.status === 'skip') continue;
      const info = byName.get(r.policy)!;
      evaluations.push({
        policy: r.policy,
        rule: r.rule,
        mode: info.mode,
        result: r.status,
        ...(r.status !== 'pass' && r.message ? { message: r.message } : {}),
        resource: payload.resource,
        file: payload.file,
        severity: info.severity,
        category: info.category,
      });
    }
  }
  return { policies: infos, evaluations };
}
