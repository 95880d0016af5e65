/**
 * `kyverno test` replay: for every kyverno-test.yaml under a directory, evaluate each resource
 * against each policy with the engine that handles the policy's kind, then compare with `results`.
 *
 * Comparison follows the Kyverno CLI (`commands/test/output.go`, `checks.go`):
 * - a result entry selects engine responses by policy (`name` or `namespace/name`), resource kind
 *   and resource name (`name` or `namespace/name`);
 * - for CEL policy kinds (`isValidatingPolicy` etc.) every rule response counts; otherwise only rules
 *   named `rule`, `autogen-<rule>` or `autogen-cronjob-<rule>`;
 * - a policy that does not apply to the resource produces no rule response, which Kyverno counts as a
 *   pass ("excluded") whatever the expectation (`excludedAsSkip: true` makes it a strict `skip`);
 * - no resource with that name and kind is a failure ("not found").
 * Every expected result (one resource of one entry) counts once in `passed`/`failed`; a test file that
 * does not load, or has load errors while all its expected results pass, adds one failure.
 */
import { stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { LockstepError } from '../../util/errors.ts';
import type { KubernetesObject, Operation } from '../cel/types.ts';
import { findTestFiles, loadTest } from './load.ts';
import type { LoadedTest } from './load.ts';
import type {
  ActualStatus,
  CompiledTestPolicy,
  EngineRuleResponse,
  PolicyEngine,
  PolicyTestCase,
  PolicyTestFileResult,
  PolicyTestRun,
  TestResultEntry,
  ValuesDocument,
} from './types.ts';
import { validatingPolicyEngine } from './validating-policy-engine.ts';
import { clusterPolicyEngine } from '../legacy/kyverno-test-engine.ts';

export interface PolicyTestOptions {
  /** Engines to dispatch to, first match wins. Default: the ValidatingPolicy and ClusterPolicy engines. */
  readonly engines?: readonly PolicyEngine[];
  /** Treat "policy did not apply" as `skip` instead of Kyverno's unconditional pass. Default false. */
  readonly excludedAsSkip?: boolean;
}

const OPERATIONS: readonly Operation[] = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];

function isCelRow(r: TestResultEntry): boolean {
  return !!(r.isValidatingAdmissionPolicy || r.isValidatingPolicy || r.isImageValidatingPolicy || r.isMutatingAdmissionPolicy || r.isMutatingPolicy || r.isGeneratingPolicy || r.isDeletingPolicy);
}

function resourceKey(r: KubernetesObject): { name: string; full: string } {
  const name = r.metadata?.name ?? '';
  const ns = r.metadata?.namespace;
  return { name, full: ns ? `${ns}/${name}` : name };
}

function operationFor(values: ValuesDocument, policy: string, resource: string): Operation {
  const perResource = values.policies?.find((p) => p.name === policy)?.resources?.find((r) => r.name === resource)?.values?.['request.operation'];
  const op = perResource ?? values.globalValues?.['request.operation'];
  return typeof op === 'string' && (OPERATIONS as readonly string[]).includes(op) ? (op as Operation) : 'CREATE';
}

function namespaceObjectFor(values: ValuesDocument, namespace: string | undefined): KubernetesObject | null {
  if (!namespace) return null;
  const full = values.namespaces?.find((n) => n.metadata?.name === namespace);
  if (full) return full;
  const sel = values.namespaceSelector?.find((n) => n.name === namespace);
  if (sel) return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { ...(sel.labels ?? {}) } } };
  return null;
}

interface Response {
  readonly policy: CompiledTestPolicy;
  readonly resource: KubernetesObject;
  readonly rules: readonly EngineRuleResponse[];
}

function formatFile(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

async function runOne(root: string, file: string, options: PolicyTestOptions): Promise<PolicyTestFileResult> {
  const engines = options.engines ?? [validatingPolicyEngine, clusterPolicyEngine];
  const shown = formatFile(root, file);
  let loaded: LoadedTest;
  try {
    loaded = await loadTest(file);
  } catch (error) {
    return { file: shown, name: '', cases: [], errors: [(error as Error).message], passed: 0, failed: 1 };
  }
  const errors = [...loaded.errors];
  const compiled: CompiledTestPolicy[] = [];
  const unsupported = new Map<string, string>();
  const broken = new Map<string, string>();
  for (const { file: pfile, doc } of loaded.policies) {
    const d = doc as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: string; namespace?: string } };
    const id = d.metadata?.namespace && d.kind !== 'ClusterPolicy' && d.kind !== 'ValidatingPolicy' ? `${d.metadata.namespace}/${d.metadata.name}` : (d.metadata?.name ?? '');
    const engine = engines.find((e) => e.handles(d));
    if (!engine) {
      unsupported.set(id, `no policy engine for ${String(d.apiVersion)} ${String(d.kind)}`);
      continue;
    }
    try {
      compiled.push(engine.compile(doc, pfile));
    } catch (error) {
      const message = (error as Error).message;
      broken.set(id, message);
      errors.push(message);
    }
  }
  const values = loaded.values;
  const responses: Response[] = [];
  for (const { doc: resource } of loaded.resources) {
    const namespaceObject = namespaceObjectFor(values, resource.metadata?.namespace);
    for (const policy of compiled) {
      const operation = operationFor(values, policy.id, resourceKey(resource).name);
      let rules: readonly EngineRuleResponse[];
      try {
        rules = policy.evaluate({ resource, namespaceObject, operation, values: values.globalValues ?? {} });
      } catch (error) {
        rules = [{ rule: 'evaluation', result: 'error', message: (error as Error).message }];
      }
      responses.push({ policy, resource, rules });
    }
  }
  const cases: PolicyTestCase[] = [];
  for (const row of loaded.test.results ?? []) {
    const names = row.resources ?? (row.resource !== undefined ? [row.resource] : []);
    for (const name of names) cases.push(judge(row, name, responses, unsupported, broken, loaded.errors.length > 0, options));
  }
  const passed = cases.filter((c) => c.ok).length;
  // Kyverno aborts a test whose files do not load; make sure such a file can never look green.
  const failed = cases.length - passed + (errors.length > 0 && passed === cases.length ? 1 : 0);
  return { file: shown, name: loaded.test.metadata?.name ?? loaded.test.name ?? '', cases, errors, passed, failed };
}

function judge(
  row: TestResultEntry,
  name: string,
  responses: readonly Response[],
  unsupported: ReadonlyMap<string, string>,
  broken: ReadonlyMap<string, string>,
  hadLoadErrors: boolean,
  options: PolicyTestOptions,
): PolicyTestCase {
  const base = { policy: row.policy, ...(row.rule !== undefined ? { rule: row.rule } : {}), kind: row.kind, resource: name, expected: row.result };
  const fail = (actual: ActualStatus, message: string): PolicyTestCase => ({ ...base, actual, ok: false, message });
  if (unsupported.has(row.policy)) return fail('unsupported', unsupported.get(row.policy)!);
  if (broken.has(row.policy)) return fail('load-error', `policy does not compile: ${broken.get(row.policy)!.split('\n')[0]}`);
  const matching = responses.filter((r) => {
    if (r.policy.id !== row.policy || r.resource.kind !== row.kind) return false;
    const key = resourceKey(r.resource);
    if (key.full !== name && key.name !== name) return false;
    return !row.namespace || row.namespace === (r.resource.metadata?.namespace ?? '');
  });
  if (matching.length === 0) {
    return fail(hadLoadErrors ? 'load-error' : 'not-found', hadLoadErrors ? 'resource or policy not loaded (see file errors)' : `no ${row.kind} named ${name} evaluated by policy ${row.policy}`);
  }
  const rules = matching.flatMap((r) =>
    isCelRow(row) ? r.rules : r.rules.filter((x) => x.rule === row.rule || x.rule === `autogen-${row.rule}` || x.rule === `autogen-cronjob-${row.rule}`),
  );
  if (rules.length === 0) {
    const ok = !options.excludedAsSkip || row.result === 'skip';
    return { ...base, actual: 'excluded', ok, message: 'policy does not apply to the resource (excluded)' };
  }
  const wrong = rules.find((r) => r.result !== row.result);
  const shown = wrong ?? rules[0]!;
  return { ...base, actual: shown.result, ok: wrong === undefined, ...(shown.message !== undefined ? { message: shown.message } : {}) };
}

/** Runs every kyverno-test.yaml under `dir`. Never throws for test failures; see `PolicyTestRun`. */
export async function runPolicyTests(dir: string, options: PolicyTestOptions = {}): Promise<PolicyTestRun> {
  const kind = await stat(dir).then(
    (s) => (s.isDirectory() ? 'dir' : 'other'),
    () => 'missing',
  );
  if (kind !== 'dir') {
    throw new LockstepError({ file: dir, message: kind === 'missing' ? 'no such folder' : 'not a folder', fix: 'pass the folder that holds the kyverno-test.yaml files, e.g. lockstep policy test policies' });
  }
  const files = await findTestFiles(dir);
  const results: PolicyTestFileResult[] = [];
  for (const file of files) results.push(await runOne(dir, file, options));
  return {
    files: results,
    passed: results.reduce((n, f) => n + f.passed, 0),
    failed: results.reduce((n, f) => n + f.failed, 0),
  };
}
