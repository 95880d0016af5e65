/**
 * `lockstep check`: evaluates the admission policies an environment renders (and its Preview-mode
 * policies, which are not rendered into the manifests) against every rendered object, plus the
 * kyverno-json policies of `policies/` against the environment file. Reads only `dist/` and
 * repository files, never the construct tree: the same check runs on a checkout of a release.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import jsYaml from 'js-yaml';
import { compareEvaluations, compileCheckPolicies, evaluateObjects, findingsOf, isAdmissionPolicyDocument, summarize, type ObjectSource, type PolicySource } from './evaluate.ts';
import { evaluateJsonPayloads, findJsonPolicyFiles, type JsonPayload, type JsonPolicyFile } from './json-payloads.ts';
import { loadEnvironmentOutput } from './load.ts';
import type { CheckResult, PolicyEvaluation, PolicyInfo } from './types.ts';
import { LockstepError } from '../util/errors.ts';

export interface CheckObjectsInput {
  readonly environment: string;
  /** Repository-relative `dist/<env>`. @default `dist/<environment>` */
  readonly distDir?: string;
  /** Rendered objects; the admission policies among them are evaluated too. */
  readonly objects: readonly ObjectSource[];
  /** Preview-mode policies (evaluated, never enforced). */
  readonly previewPolicies?: readonly PolicySource[];
  /** kyverno-json policy files and the payloads to scan with them. */
  readonly jsonPolicies?: readonly JsonPolicyFile[];
  readonly payloads?: readonly JsonPayload[];
}

export interface CheckResultWithNotes extends CheckResult {
  /** Policies or rules that could not be evaluated offline. */
  readonly notes: readonly string[];
}

/** The check over data already in memory (what `checkEnvironment` does after reading `dist/`). */
export function checkObjects(input: CheckObjectsInput): CheckResultWithNotes {
  const sources: PolicySource[] = [
    ...input.objects.filter((o) => isAdmissionPolicyDocument(o.json)).map((o) => ({ file: o.file, json: o.json })),
    ...(input.previewPolicies ?? []).map((p) => ({ ...p, preview: true })),
  ];
  const compiled = compileCheckPolicies(sources);
  const evaluations: PolicyEvaluation[] = evaluateObjects(compiled.policies, input.objects);
  const policies: PolicyInfo[] = compiled.policies.map((p) => p.info);
  if (input.jsonPolicies && input.jsonPolicies.length > 0 && input.payloads && input.payloads.length > 0) {
    const json = evaluateJsonPayloads(input.jsonPolicies, input.payloads);
    evaluations.push(...json.evaluations);
    policies.push(...json.policies);
    evaluations.sort(compareEvaluations);
    policies.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  const findings = findingsOf(evaluations);
  return {
    environment: input.environment,
    distDir: input.distDir ?? `dist/${input.environment}`,
    policies,
    resources: input.objects.length + (input.payloads?.length ?? 0),
    evaluations,
    findings,
    summary: summarize(evaluations),
    ok: !findings.some((f) => f.level === 'error'),
    notes: compiled.notes,
  };
}

export interface CheckEnvironmentOptions {
  /** Repository root. */
  readonly root: string;
  /** Environment name (`environments/<env>.yaml`, `dist/<env>/`). */
  readonly env: string;
  /** @default 'dist' */
  readonly distDir?: string;
  /** Folder of authored policies, for the kyverno-json ones; `false` to skip them. @default 'policies' */
  readonly policiesDir?: string | false;
}

/** Reads `dist/<env>` and `environments/<env>.yaml` and runs the check. */
export async function checkEnvironment(options: CheckEnvironmentOptions): Promise<CheckResultWithNotes> {
  const out = await loadEnvironmentOutput(options.root, options.env, options.distDir ?? 'dist');
  const jsonPolicies = options.policiesDir === false ? [] : await findJsonPolicyFiles(options.root, options.policiesDir ?? 'policies');
  const payloads: JsonPayload[] = [];
  if (jsonPolicies.length > 0) {
    const file = `environments/${options.env}.yaml`;
    let text: string;
    try {
      text = await readFile(join(options.root, file), 'utf8');
    } catch (error) {
      throw new LockstepError({ file, message: `cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, fix: `create environments/${options.env}.yaml or pass the right --env` });
    }
    payloads.push({ file, resource: { apiVersion: 'lockstep.dev/v1alpha1', kind: 'Environment', name: options.env }, payload: jsYaml.load(text) });
    // The promotion lock and the release metadata, when the environment has them.
    const optional: [string, string, (t: string) => unknown][] = [
      [`environments/${options.env}.lock.yaml`, 'EnvironmentLock', (t) => jsYaml.load(t)],
      [`${options.distDir ?? 'dist'}/${options.env}/release.json`, 'Release', (t) => JSON.parse(t)],
    ];
    for (const [rel, kind, parse] of optional) {
      let body: string;
      try {
        body = await readFile(join(options.root, rel), 'utf8');
      } catch {
        continue;
      }
      let payload: unknown;
      try {
        payload = parse(body);
      } catch (error) {
        throw new LockstepError({ file: rel, message: `cannot parse: ${(error as Error).message.split('\n')[0]}`, fix: 'it is written by lockstep; restore it or run the stage that writes it again' });
      }
      payloads.push({ file: rel, resource: { apiVersion: 'lockstep.dev/v1alpha1', kind, name: options.env }, payload });
    }
  }
  const result = checkObjects({
    environment: options.env,
    distDir: out.distDir,
    objects: out.objects,
    previewPolicies: out.previewPolicies.map((p) => ({ file: p.file, json: p.json })),
    jsonPolicies,
    payloads,
  });
  // A break-glass promotion is flagged in every report, whatever the policies say.
  const lock = payloads.find((p) => p.resource.kind === 'EnvironmentLock')?.payload as { current?: { id?: string; breakGlass?: { reason?: string } } } | undefined;
  if (lock?.current?.breakGlass) {
    return { ...result, notes: [...result.notes, `BREAK-GLASS: ${options.env} runs release ${lock.current.id} promoted with --break-glass: ${lock.current.breakGlass.reason}`] };
  }
  return result;
}
