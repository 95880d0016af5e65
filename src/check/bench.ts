/**
 * Benchmark entry for `npm run bench`: how many object × rule evaluations per second the check
 * runs over a given set of objects and policies. The clock is a parameter (library code never
 * reads it); the bench script passes `performance.now`.
 */
import { compileCheckPolicies, evaluateObjects, type ObjectSource, type PolicySource } from './evaluate.ts';

export interface PolicyBenchOptions {
  readonly objects: readonly ObjectSource[];
  /** Policies to evaluate; default: the admission policies among `objects`. */
  readonly policies?: readonly PolicySource[];
  /** Milliseconds from an arbitrary origin, e.g. `performance.now`. */
  readonly now: () => number;
  /** Repeat until at least this long has passed. @default 500 */
  readonly minMillis?: number;
}

export interface PolicyBenchResult {
  readonly objects: number;
  readonly policies: number;
  /** Validations (rules) over all policies. */
  readonly rules: number;
  readonly iterations: number;
  readonly millis: number;
  /** Policy evaluations (one policy on one object) per second. */
  readonly evaluationsPerSecond: number;
  /** objects × rules per second. */
  readonly objectRulesPerSecond: number;
}

export function benchmarkPolicies(options: PolicyBenchOptions): PolicyBenchResult {
  const sources = options.policies ?? options.objects.filter((o) => o.json.apiVersion?.startsWith('policies.kyverno.io/') || o.json.kind === 'ClusterPolicy').map((o) => ({ file: o.file, json: o.json }));
  const { policies } = compileCheckPolicies(sources);
  const rules = policies.reduce((n, p) => n + Math.max(1, p.info.rules.length), 0);
  const minMillis = options.minMillis ?? 500;
  let iterations = 0;
  let evaluations = 0;
  const start = options.now();
  let elapsed = 0;
  do {
    evaluations += evaluateObjects(policies, options.objects).length;
    iterations++;
    elapsed = options.now() - start;
  } while (elapsed < minMillis);
  const seconds = Math.max(elapsed, 1e-6) / 1000;
  return {
    objects: options.objects.length,
    policies: policies.length,
    rules,
    iterations,
    millis: elapsed,
    evaluationsPerSecond: evaluations / seconds,
    objectRulesPerSecond: (options.objects.length * rules * iterations) / seconds,
  };
}
