/**
 * Types of the `kyverno test` replay: the `cli.kyverno.io/v1alpha1` Test and Values formats, the
 * engine plug-in interface, and the run result.
 */
import type { KubernetesObject, Operation } from '../cel/types.ts';

export type ExpectedStatus = 'pass' | 'fail' | 'skip' | 'warn' | 'error';

/** One `results[]` entry of a kyverno-test.yaml. */
export interface TestResultEntry {
  readonly policy: string;
  readonly rule?: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly resources?: readonly string[];
  /** Deprecated single-resource form. */
  readonly resource?: string;
  readonly result: ExpectedStatus;
  readonly isValidatingAdmissionPolicy?: boolean;
  readonly isValidatingPolicy?: boolean;
  readonly isImageValidatingPolicy?: boolean;
  readonly isMutatingAdmissionPolicy?: boolean;
  readonly isMutatingPolicy?: boolean;
  readonly isGeneratingPolicy?: boolean;
  readonly isDeletingPolicy?: boolean;
  readonly [other: string]: unknown;
}

export interface TestDocument {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string };
  readonly name?: string;
  readonly policies?: readonly string[];
  readonly resources?: readonly string[];
  readonly variables?: string;
  readonly values?: string;
  readonly results?: readonly TestResultEntry[];
  readonly [other: string]: unknown;
}

/** The `kind: Values` file (`variables:` in the test). */
export interface ValuesDocument {
  readonly globalValues?: Readonly<Record<string, unknown>>;
  readonly namespaceSelector?: readonly { readonly name: string; readonly labels?: Readonly<Record<string, string>> }[];
  readonly namespaces?: readonly KubernetesObject[];
  readonly policies?: readonly {
    readonly name: string;
    readonly resources?: readonly { readonly name: string; readonly values?: Readonly<Record<string, unknown>> }[];
    readonly rules?: readonly { readonly name: string; readonly values?: Readonly<Record<string, unknown>> }[];
  }[];
  readonly [other: string]: unknown;
}

/** What an engine reports for one rule of one policy on one resource. */
export interface EngineRuleResponse {
  readonly rule: string;
  readonly result: ExpectedStatus;
  readonly message?: string;
}

export interface EngineRequest {
  readonly resource: KubernetesObject;
  readonly namespaceObject: KubernetesObject | null;
  readonly operation: Operation;
  /** Values from the values file for this policy × resource (`request.operation`, variables …). */
  readonly values: Readonly<Record<string, unknown>>;
}

/** A policy compiled by an engine; `evaluate` returns no responses when the policy does not apply. */
export interface CompiledTestPolicy {
  /** `name`, or `namespace/name` for namespaced policies, as kyverno-test results refer to it. */
  readonly id: string;
  readonly kind: string;
  evaluate(request: EngineRequest): readonly EngineRuleResponse[];
}

/**
 * A policy engine the runner dispatches to by policy `apiVersion`/`kind`. The built-in one
 * evaluates Kyverno ValidatingPolicies; a ClusterPolicy engine can be added the same way.
 */
export interface PolicyEngine {
  readonly name: string;
  handles(doc: { readonly apiVersion?: unknown; readonly kind?: unknown }): boolean;
  /** Compiles a policy document; throws (ideally a LockstepError) when it cannot. */
  compile(doc: unknown, file: string): CompiledTestPolicy;
}

export type ActualStatus = ExpectedStatus | 'excluded' | 'not-found' | 'unsupported' | 'load-error';

/** One expected result (one resource of one `results[]` entry) and what happened. */
export interface PolicyTestCase {
  readonly policy: string;
  readonly rule?: string;
  readonly kind: string;
  readonly resource: string;
  readonly expected: ExpectedStatus;
  /** The engine's result; `excluded` when the policy did not apply (counted as a pass, like Kyverno). */
  readonly actual: ActualStatus;
  readonly ok: boolean;
  readonly message?: string;
}

export interface PolicyTestFileResult {
  /** Path of the kyverno-test.yaml relative to the directory that was run. */
  readonly file: string;
  readonly name: string;
  readonly cases: readonly PolicyTestCase[];
  /** Problems loading the test (missing or invalid files, policies that do not compile). */
  readonly errors: readonly string[];
  readonly passed: number;
  readonly failed: number;
}

export interface PolicyTestRun {
  readonly files: readonly PolicyTestFileResult[];
  readonly passed: number;
  readonly failed: number;
}

export type { SuiteResult } from '../../conformance/suite-result.ts';
