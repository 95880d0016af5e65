import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conformancePodSecurityVpol } from '../../../src/policy/kyverno-test/conformance.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'lockstep-fixtures-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('conformancePodSecurityVpol', () => {
  it('replays the suite folder under the fixtures root and lists failures', async () => {
    const base = join(root, 'policy/kyverno-policies/pod-security-vpol/p/.kyverno-test');
    await mkdir(base, { recursive: true });
    await writeFile(join(base, '..', 'p.yaml'), `apiVersion: policies.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata: {name: p}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
  validations: [{expression: "object.spec.?hostPID.orValue(false) == false", message: no hostPID}]
`);
    await writeFile(join(base, 'resource.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec: {hostPID: true, containers: []}\n');
    await writeFile(join(base, 'kyverno-test.yaml'), `kind: Test
policies: [../p.yaml]
resources: [resource.yaml]
results:
- {policy: p, isValidatingPolicy: true, kind: Pod, resources: [bad], result: fail}
- {policy: p, isValidatingPolicy: true, kind: Pod, resources: [bad], result: pass}
`);
    expect(await conformancePodSecurityVpol(root)).toEqual({
      suite: 'kyverno-policies/pod-security-vpol',
      passed: 1,
      failed: 1,
      skipped: 0,
      failures: ['p/.kyverno-test/kyverno-test.yaml: p Pod/bad: expected pass, got fail (no hostPID)'],
    });
  });
});
