/** The ValidatingPolicy engine for the kyverno-test runner (wraps src/policy/cel). */
import { compileValidatingPolicy, evaluateCompiledPolicy, prepareResource } from '../cel/validating-policy.ts';
import { isValidatingPolicy } from '../cel/types.ts';
import type { ValidatingPolicyDocument } from '../cel/types.ts';
import type { CompiledTestPolicy, EngineRequest, PolicyEngine } from './types.ts';

export const validatingPolicyEngine: PolicyEngine = {
  name: 'kyverno-validating-policy',
  handles: (doc) => isValidatingPolicy(doc),
  compile(doc: unknown, file: string): CompiledTestPolicy {
    const compiled = compileValidatingPolicy(doc as ValidatingPolicyDocument, file);
    return {
      id: compiled.namespace ? `${compiled.namespace}/${compiled.name}` : compiled.name,
      kind: compiled.kind,
      evaluate(request: EngineRequest) {
        const results = evaluateCompiledPolicy(compiled, prepareResource(request.resource), {
          namespaceObject: request.namespaceObject,
          operation: request.operation,
        });
        return results.map((r) => ({ rule: r.rule, result: r.result, ...(r.message !== undefined ? { message: r.message } : {}) }));
      },
    };
  },
};
