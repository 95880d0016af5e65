import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildKubernetes128Definitions, serializeDefinitions } from '../../../src/gates/schema/k8s-definitions-source.ts';

describe('the vendored Kubernetes 1.28 definitions', () => {
  it('match what the installed cdk8s-plus-28 and kubernetes-models produce (run regenerate-k8s-definitions.ts when this fails)', async () => {
    const vendored = readFileSync(new URL('../../../src/gates/schema/k8s-1.28.definitions.json', import.meta.url), 'utf8');
    const built = serializeDefinitions(await buildKubernetes128Definitions());
    expect(built === vendored).toBe(true);
  }, 60_000);

  it('describe Kubernetes 1.28 (Job backoffLimitPerIndex and sidecar restartPolicy are present, 1.29 fields are not)', () => {
    const doc = JSON.parse(readFileSync(new URL('../../../src/gates/schema/k8s-1.28.definitions.json', import.meta.url), 'utf8'));
    expect(doc.kubernetesVersion).toBe('1.28');
    expect(doc.definitions['io.k8s.api.batch.v1.JobSpec'].properties.backoffLimitPerIndex).toBeDefined();
    expect(doc.definitions['io.k8s.api.core.v1.Container'].properties.restartPolicy).toBeDefined();
    // PodSpec.resources and Container.restartPolicyRules came later
    expect(doc.definitions['io.k8s.api.core.v1.PodSpec'].properties.resources).toBeUndefined();
    expect(doc.definitions['io.k8s.api.core.v1.PodSecurityContext'].properties.appArmorProfile).toBeUndefined();
  });
});
