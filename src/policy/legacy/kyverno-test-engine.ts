/** The ClusterPolicy engine for the kyverno-test runner (`src/policy/kyverno-test`). */
import type { CompiledTestPolicy, EngineRequest, PolicyEngine } from '../kyverno-test/types.ts';
import { compileClusterPolicy } from './policy.ts';
import { isClusterPolicy } from './types.ts';

export const clusterPolicyEngine: PolicyEngine = {
  name: 'kyverno-cluster-policy',
  handles: (doc) => isClusterPolicy(doc),
  compile(doc: unknown, file: string): CompiledTestPolicy {
    const policy = compileClusterPolicy(doc, file);
    return {
      id: policy.namespace !== undefined ? `${policy.namespace}/${policy.name}` : policy.name,
      kind: policy.kind,
      evaluate(request: EngineRequest) {
        const labels = request.namespaceObject?.metadata?.labels ?? {};
        return policy
          .evaluate({ resource: request.resource, operation: request.operation, namespaceLabels: labels, values: request.values })
          .map((r) => ({ rule: r.rule, result: r.status, message: r.message }));
      },
    };
  },
};
